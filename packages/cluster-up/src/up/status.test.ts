import { startSim } from '@rax-kube/openstack-sim';
import type { Sim } from '@rax-kube/openstack-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeTarget } from '../api/healthz.js';
import { connect } from '../cloud/connect.js';
import { resolveConfig } from '../config/index.js';
import type { CloudProfile } from '../config/index.js';
import { cloudProviderFromEnv } from '../render/cloud-provider.js';
import { generateSecrets } from '../secrets/store.js';
import { generateSshKeyPair } from '../ssh/openssh-key.js';
import { down } from './down.js';
import { status } from './status.js';
import { up } from './up.js';

// The probes are recorded, never sent: the sim's addresses are not on this machine.
describe.each(['openstack', 'rackspace'] as const)('status on the %s profile', (profile: CloudProfile) => {
  let sim: Sim;
  const flavors = profile === 'openstack' ? { KUBE_MASTER_FLAVOR: 'm1.small', KUBE_NODE_FLAVOR: 'm1.small' } : {};
  const config = resolveConfig({ env: { NUM_NODES: '1', INSTANCE_PREFIX: `status-${profile}`, ...flavors } });
  const secrets = generateSecrets();
  beforeAll(async () => {
    sim = await startSim({ mode: profile, bootTimeMs: 0 });
  });
  afterAll(async () => {
    await down({ config }, { client: connect({ ...sim.env }).client, emit: () => undefined });
    await sim.close();
  });

  it("checks the API where up checked it (the kubeconfig's server), and reports what it found", async () => {
    const { client } = connect({ ...sim.env });
    const upProbes: string[] = [];
    const created = await up(
      {
        config,
        profile,
        secrets,
        sshPublicKey: generateSshKeyPair('ed25519', 'status').publicKey,
        cloudProvider: cloudProviderFromEnv(profile, { ...sim.env }).provider,
        publishRelease: async () => ({ url: 'http://127.0.0.1:9/release.tar.gz', sha256: 'a'.repeat(64), expiresAt: new Date(Date.now() + 3600_000) }),
        apiDeadlineMs: 1,
      },
      { client, emit: () => undefined, sleep: async () => undefined, probe: async (t: ProbeTarget) => (upProbes.push(t.server), { ok: true }) },
    );
    const statusProbes: ProbeTarget[] = [];
    const result = await status(
      { config, profile, credentials: { username: secrets.adminUser, password: secrets.adminPassword } },
      { client, probe: async (t) => (statusProbes.push(t), { ok: false, error: 'HTTP 401' }) },
    );
    expect(statusProbes.map((t) => t.server)).toEqual(upProbes);
    expect(statusProbes[0]).toMatchObject({ username: secrets.adminUser, password: secrets.adminPassword });
    expect(result.api).toEqual({ url: created.api?.url, healthy: false, detail: 'HTTP 401' });
    // On OpenStack that is the master's fixed address on the cluster network.
    if (profile === 'openstack') expect(result.api?.url).toBe('https://192.168.0.2');
    expect(result.servers.map((s) => [s.name, s.status])).toEqual([
      [`status-${profile}-master`, 'ACTIVE'],
      [`status-${profile}-node-1`, 'ACTIVE'],
    ]);
    expect(result.missing).toEqual([]);

    const unchecked = await status({ config }, { client, probe: async () => expect.unreachable('no profile and no apiUrl: no check') });
    expect(unchecked.api).toBeUndefined();
  });
});
