import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSim } from '@rax-kube/openstack-sim';
import type { Sim } from '@rax-kube/openstack-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../cloud/connect.js';
import { resolveConfig } from '../config/index.js';
import type { ClusterEvent } from '../events.js';
import { down } from './down.js';

let sim: Sim;
let dir: string;
beforeAll(async () => {
  sim = await startSim({ mode: 'rackspace' });
  dir = await mkdtemp(join(tmpdir(), 'rax-kube-down-'));
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('down --release', () => {
  const config = resolveConfig({ env: { NUM_NODES: '1' } });
  const container = 'kubernetes-releases-raxuser';

  // A release below the segment size is uploaded as one plain object, and Swift answers
  // `?multipart-manifest=delete` on a plain object with 200 and "Not an SLO manifest", deleting
  // nothing: down used to report the release deleted and leave it behind.
  it('deletes a release stored as a plain object', async () => {
    const { client } = connect({ ...sim.env });
    await client.objectStorage.containers.ensure(container);
    await client.objectStorage.objects.upload(container, 'devel/kubernetes-server-linux-amd64.tar.gz', Buffer.from('release bytes'));
    const events: ClusterEvent[] = [];
    const result = await down({ config, deleteRelease: { container, object: 'devel/kubernetes-server-linux-amd64.tar.gz' } }, { client, emit: (e) => events.push(e) });
    expect(result.release).toBe(true);
    expect(sim.state.objects().filter((o) => o.container === container)).toEqual([]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'resource', action: 'deleted', kind: 'release' }));
  });

  it('deletes a release stored as a static large object, with its segments', async () => {
    const { client } = connect({ ...sim.env });
    const file = join(dir, 'big.tar.gz');
    await writeFile(file, Buffer.alloc(5000, 7));
    await client.objectStorage.containers.ensure(container);
    await client.objectStorage.uploadLargeObject(container, 'devel/kubernetes-server-linux-amd64.tar.gz', file, { segmentSize: 2000 });
    expect(sim.state.objects().filter((o) => o.container === container).length).toBe(4);
    await down({ config, deleteRelease: { container, object: 'devel/kubernetes-server-linux-amd64.tar.gz' } }, { client, emit: () => undefined });
    expect(sim.state.objects().filter((o) => o.container === container)).toEqual([]);
  });

  it('is idempotent when the release is already gone', async () => {
    const { client } = connect({ ...sim.env });
    const result = await down({ config, deleteRelease: { container, object: 'devel/kubernetes-server-linux-amd64.tar.gz' } }, { client, emit: () => undefined });
    expect(result.release).toBe(true);
  });
});
