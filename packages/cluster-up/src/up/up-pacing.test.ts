import { startSim } from '@rax-kube/openstack-sim';
import type { Sim } from '@rax-kube/openstack-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../cloud/connect.js';
import { resolveConfig } from '../config/index.js';
import type { ClusterEvent } from '../events.js';
import { cloudProviderFromEnv } from '../render/cloud-provider.js';
import { generateSecrets } from '../secrets/store.js';
import { generateSshKeyPair } from '../ssh/openssh-key.js';
import { up } from './up.js';

let sim: Sim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function upOn(cloud: Sim, numNodes: number) {
  const { client } = connect({ ...cloud.env });
  const config = resolveConfig({ env: { NUM_NODES: String(numNodes) } });
  const events: ClusterEvent[] = [];
  const result = await up(
    {
      config,
      profile: 'rackspace',
      secrets: generateSecrets(),
      sshPublicKey: generateSshKeyPair('ed25519', 'pacing').publicKey,
      cloudProvider: cloudProviderFromEnv('rackspace', { ...cloud.env }).provider,
      publishRelease: async () => ({ url: 'http://127.0.0.1:9/release.tar.gz', sha256: 'a'.repeat(64), expiresAt: new Date(Date.now() + 3600_000) }),
      apiWait: false,
    },
    { client, emit: (e) => events.push(e) },
  );
  const refusedCreates = cloud.state.requests().filter((r) => r.method === 'POST' && /\/servers$/.test(r.path) && (r.status === 413 || r.status === 429)).length;
  return { result, events, refusedCreates };
}

describe('up on a cloud that publishes its rate limits', () => {
  // Compute allows 8 requests at once and 20 a second; up spends some on its look-ups, then has
  // 13 servers to create: sent as fast as the bucket refills, none is refused (each refusal would
  // cost a whole-second Retry-After).
  it('paces its creates by them and is never refused', async () => {
    sim = await startSim({ mode: 'rackspace', bootTimeMs: 0, deleteTimeMs: 0, rateLimit: { requestsPerSecond: 20, burst: 8 } });
    const { result, events, refusedCreates } = await upOn(sim, 12);
    expect(result.nodes).toHaveLength(12);
    expect(refusedCreates).toBe(0);
    expect(events).toContainEqual({ type: 'step-progress', step: 'servers', message: expect.stringMatching(/^paced by the cloud's published rate limits: 1200 \* per MINUTE on \* \(\d left\)$/) });
  });

  it('creates unpaced, as fast as concurrency allows, where none are published', async () => {
    sim = await startSim({ mode: 'rackspace', bootTimeMs: 0, deleteTimeMs: 0 });
    const { result, events } = await upOn(sim, 3);
    expect(result.nodes).toHaveLength(3);
    expect(events.some((e) => e.type === 'step-progress' && e.message.startsWith('paced'))).toBe(false);
  });
});
