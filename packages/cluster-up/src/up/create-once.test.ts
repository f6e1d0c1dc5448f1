import { OpenStackError } from '@rax-kube/openstack-client';
import { startSim } from '@rax-kube/openstack-sim';
import type { Sim } from '@rax-kube/openstack-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../cloud/connect.js';
import { resolveConfig } from '../config/index.js';
import { cloudProviderFromEnv } from '../render/cloud-provider.js';
import { generateSecrets } from '../secrets/store.js';
import { generateSshKeyPair } from '../ssh/openssh-key.js';
import { createOnce } from './create-once.js';
import { up } from './up.js';

const noWait = () => Promise.resolve();
const lost = () => new OpenStackError({ code: 'CONNECTION', message: 'POST connection failed (ECONNRESET): socket hang up' });

describe('createOnce', () => {
  it('returns what a create with a lost answer made, without sending it again', async () => {
    let creates = 0;
    const made: string[] = [];
    const result = await createOnce(
      async () => {
        creates++;
        made.push('net-1');
        throw lost();
      },
      async () => made[0],
      { sleep: noWait },
    );
    expect(result).toBe('net-1');
    expect(creates).toBe(1);
  });

  it('sends the create again when look-ups find nothing (a 5xx that did nothing)', async () => {
    let creates = 0;
    const result = await createOnce(
      async () => {
        if (++creates === 1) throw new OpenStackError({ code: 'HTTP_SERVER_ERROR', status: 503, message: 'POST failed with 503' });
        return 'net-2';
      },
      async () => undefined,
      { sleep: noWait },
    );
    expect(result).toBe('net-2');
    expect(creates).toBe(2);
  });

  it('passes other errors through at once, and gives up after the last attempt', async () => {
    let finds = 0;
    const conflict = new OpenStackError({ code: 'HTTP_CONFLICT', status: 409, message: 'conflict' });
    await expect(createOnce(() => Promise.reject(conflict), async () => (finds++, undefined), { sleep: noWait })).rejects.toBe(conflict);
    expect(finds).toBe(0);
    await expect(createOnce(() => Promise.reject(lost()), async () => undefined, { sleep: noWait, attempts: 2, lookupDelaysMs: [1] })).rejects.toMatchObject({ code: 'CONNECTION' });
  });
});

describe('up when the answer to a network, subnet, port or keypair create is lost', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSim({ mode: 'rackspace', bootTimeMs: 20, deleteTimeMs: 10 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('finds each one made despite the lost answer, and creates no second', async () => {
    const { client } = connect({ ...sim.env });
    // Each create is carried out, then its answer is lost (as a reset after the cloud acted).
    const loseAnswer = <A extends unknown[], R>(create: (...args: A) => Promise<R>) => {
      let calls = 0;
      return async (...args: A): Promise<R> => {
        const made = await create(...args);
        if (++calls === 1) throw lost();
        return made;
      };
    };
    client.network.networks.create = loseAnswer(client.network.networks.create);
    client.network.subnets.create = loseAnswer(client.network.subnets.create);
    client.network.ports.create = loseAnswer(client.network.ports.create);
    client.compute.keypairs.create = loseAnswer(client.compute.keypairs.create);
    const key = generateSshKeyPair('ed25519', 'lost-answers');
    const result = await up(
      {
        config: resolveConfig({ env: { NUM_NODES: '1' } }),
        profile: 'rackspace',
        secrets: generateSecrets(),
        sshPublicKey: key.publicKey,
        cloudProvider: cloudProviderFromEnv('rackspace', { ...sim.env }).provider,
        publishRelease: async () => ({ url: 'http://127.0.0.1:9/release.tar.gz', sha256: 'a'.repeat(64), expiresAt: new Date(Date.now() + 3600_000) }),
        apiWait: false,
      },
      { client, emit: () => undefined, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 10))) },
    );
    expect(result.nodes.map((n) => n.name)).toEqual(['kubernetes-node-1']);
    expect(sim.state.networks().filter((n) => n.name === 'kubernetes-pool-net')).toHaveLength(1);
    expect(sim.state.subnets().filter((s) => s.name === 'kubernetes-pool-subnet')).toHaveLength(1);
    expect(sim.state.ports().filter((p) => p.name === 'kubernetes-master-port')).toHaveLength(1);
    expect(sim.state.keypairs().map((k) => k.name)).toEqual(['id_kubernetes']);
    expect(sim.state.countRequests('POST', /\/v2\.0\/(networks|subnets|ports)$/)).toBe(3);
    expect(sim.state.countRequests('POST', /\/os-keypairs$/)).toBe(1);
  });
});
