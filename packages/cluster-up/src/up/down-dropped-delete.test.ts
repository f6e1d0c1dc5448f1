import { COREOS_IMAGE_ID, startSim } from '@rax-kube/openstack-sim';
import type { Sim } from '@rax-kube/openstack-sim';
import type { OpenStackClient } from '@rax-kube/openstack-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../cloud/connect.js';
import { resolveConfig } from '../config/index.js';
import type { ClusterEvent } from '../events.js';
import { CLUSTER_METADATA_KEY } from '../plan/desired.js';
import { deleteWasDropped, down, MAX_DELETE_RESENDS } from './down.js';

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
describe('down when the cloud drops a server delete', () => {
  const config = resolveConfig({ env: { NUM_NODES: '1', INSTANCE_PREFIX: 'dropped' } });

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
    const notes = events.flatMap((e) => (e.type === 'step-progress' && e.step === 'delete' ? [e.message] : []));
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
