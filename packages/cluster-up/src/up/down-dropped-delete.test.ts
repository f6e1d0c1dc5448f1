import { COREOS_IMAGE_ID, startSim } from '@rax-kube/openstack-sim';
import type { Sim } from '@rax-kube/openstack-sim';
import type { OpenStackClient } from '@rax-kube/openstack-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../cloud/connect.js';
import { resolveConfig } from '../config/index.js';
import type { ClusterEvent } from '../events.js';
import { CLUSTER_METADATA_KEY } from '../plan/desired.js';
import { deleteWasDropped, MAX_DELETE_RESENDS } from './delete-server.js';
import { down } from './down.js';
import { cloudProviderFromEnv } from '../render/cloud-provider.js';
import { generateSecrets } from '../secrets/store.js';
import { generateSshKeyPair } from '../ssh/openssh-key.js';
import { up } from './up.js';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim({ mode: 'rackspace', bootTimeMs: 0, deleteTimeMs: 100 });
});
afterAll(async () => {
  await sim.close();
});

describe('deleteWasDropped', () => {
  it('is true only for a server that still exists with no task', () => {
    expect(deleteWasDropped({ status: 'ACTIVE', 'OS-EXT-STS:task_state': null })).toBe(true);
    expect(deleteWasDropped({ status: 'ERROR', 'OS-EXT-STS:task_state': null })).toBe(true);
    expect(deleteWasDropped({ status: 'ACTIVE', 'OS-EXT-STS:task_state': 'deleting' })).toBe(false);
    expect(deleteWasDropped({ status: 'DELETED', 'OS-EXT-STS:task_state': null })).toBe(false);
    expect(deleteWasDropped({ status: 'SOFT_DELETED', 'OS-EXT-STS:task_state': null })).toBe(false);
    // A cloud that does not show the task state is never second-guessed.
    expect(deleteWasDropped({ status: 'ACTIVE' })).toBe(false);
  });
});

// Real Nova (seen on the all-in-one cloud) can answer DELETE with 204 and then drop it: the compute
// service fails, reverts the task state from "deleting", and the server stays ACTIVE. down used to
// wait for it until its deadline (15 minutes by default) and then fail.
/** A client whose first `drops` DELETEs of each server are answered but never reach the cloud. */
function droppingClient(drops: number): { client: OpenStackClient; deletes: string[] } {
  const { client } = connect({ ...sim.env });
  const realDelete = client.compute.servers.delete;
  const deletes: string[] = [];
  client.compute.servers.delete = async (id, opts) => {
    deletes.push(id);
    if (deletes.filter((d) => d === id).length <= drops) return;
    await realDelete(id, opts);
  };
  return { client, deletes };
}

describe('down when the cloud drops a server delete', () => {
  const config = resolveConfig({ env: { NUM_NODES: '1', INSTANCE_PREFIX: 'dropped' } });

  async function createServers(client: OpenStackClient): Promise<string[]> {
    const ids: string[] = [];
    for (const name of ['dropped-master', 'dropped-node-1']) {
      const server = await client.compute.servers.create({ name, imageRef: COREOS_IMAGE_ID, flavorRef: 'general1-1', metadata: { [CLUSTER_METADATA_KEY]: 'dropped' } });
      await client.compute.servers.waitForStatus(server.id, 'ACTIVE', { intervalMs: 20 });
      ids.push(server.id);
    }
    return ids;
  }

  it('sends the DELETE again and finishes', async () => {
    const { client, deletes } = droppingClient(1);
    const ids = await createServers(client);
    const events: ClusterEvent[] = [];
    const result = await down({ config }, { client, emit: (e) => events.push(e) });
    expect(result.servers).toBe(2);
    expect(deletes.sort()).toEqual([...ids, ...ids].sort());
    expect(sim.state.servers().filter((s) => s.name.startsWith('dropped-'))).toEqual([]);
    const notes = events.flatMap((e) => (e.type === 'step-progress' && e.step === 'delete' && e.message.includes('dropped') ? [e.message] : []));
    expect(notes.sort()).toEqual([
      'dropped-master: the cloud dropped the delete (ACTIVE, no task); deleting it again',
      'dropped-node-1: the cloud dropped the delete (ACTIVE, no task); deleting it again',
    ]);
  });

  it('gives up with a clear message when every DELETE is dropped, instead of waiting out its deadline', async () => {
    const { client, deletes } = droppingClient(Number.POSITIVE_INFINITY);
    const [master, node] = await createServers(client);
    const started = Date.now();
    await expect(down({ config }, { client, emit: () => undefined })).rejects.toThrow(/accepted its delete 4 times and dropped it each time \(it is ACTIVE\)/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(deletes.filter((id) => id === master)).toHaveLength(MAX_DELETE_RESENDS + 1);
    expect(deletes.filter((id) => id === node)).toHaveLength(MAX_DELETE_RESENDS + 1);
    // Leave the sim clean for the other tests.
    const { client: plain } = connect({ ...sim.env });
    await down({ config }, { client: plain, emit: () => undefined });
    expect(sim.state.servers().filter((s) => s.name.startsWith('dropped-'))).toEqual([]);
  });
});

// up replaces a server in ERROR by deleting it first; the same dropped DELETE used to leave up
// waiting for it until its ACTIVE deadline (30 minutes by default).
describe('up replacing a server in ERROR when the cloud drops its delete', () => {
  const config = resolveConfig({ env: { NUM_NODES: '1', INSTANCE_PREFIX: 'replaced' } });
  const key = generateSshKeyPair('ed25519', 'replaced');
  const secrets = generateSecrets();
  const run = (client: OpenStackClient, emit: (e: ClusterEvent) => void) =>
    up(
      {
        config,
        profile: 'rackspace',
        secrets,
        sshPublicKey: key.publicKey,
        cloudProvider: cloudProviderFromEnv('rackspace', { ...sim.env }).provider,
        publishRelease: async () => ({ url: 'http://127.0.0.1:9/release.tar.gz', sha256: 'a'.repeat(64), expiresAt: new Date(Date.now() + 3600_000) }),
        apiWait: false,
      },
      { client, emit, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))) },
    );

  it('sends the DELETE again, then creates the replacement', async () => {
    await run(connect({ ...sim.env }).client, () => undefined);
    const broken = sim.state.servers().find((s) => s.name === 'replaced-node-1');
    if (!broken) throw new Error('node-1 was not created');
    sim.control.setServerStatus(broken.id, 'ERROR', { code: 500, message: 'No valid host was found.' });

    const { client, deletes } = droppingClient(1);
    const events: ClusterEvent[] = [];
    const result = await run(client, (e) => events.push(e));
    expect(deletes).toEqual([broken.id, broken.id]);
    expect(result.nodes).toEqual([expect.objectContaining({ name: 'replaced-node-1', status: 'ACTIVE' })]);
    expect(result.nodes[0]?.id).not.toBe(broken.id);
    expect(sim.state.servers().filter((s) => s.name === 'replaced-node-1').map((s) => s.id)).toEqual([result.nodes[0]?.id]);
    expect(events).toContainEqual({ type: 'step-progress', step: 'servers', message: 'replaced-node-1: the cloud dropped the delete (ERROR, no task); deleting it again' });

    await down({ config }, { client: connect({ ...sim.env }).client, emit: () => undefined });
    expect(sim.state.servers().filter((s) => s.name.startsWith('replaced-'))).toEqual([]);
  });
});
