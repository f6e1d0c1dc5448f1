import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSim } from '@rax-kube/openstack-sim';
import type { Sim } from '@rax-kube/openstack-sim';
import { buildStandInRelease } from '@rax-kube/tarball-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, releaseOwner } from '../cloud/connect.js';
import { publishRelease } from './publish.js';

let sim: Sim;
let dir: string;
beforeAll(async () => {
  sim = await startSim({ mode: 'rackspace' });
  dir = await mkdtemp(join(tmpdir(), 'rax-kube-publish-'));
  await buildStandInRelease(dir);
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('publishRelease on the local cloud (Rackspace mode)', () => {
  it('finds the tarball under server/, uploads it once, and signs a URL that serves the same bytes', async () => {
    const { client, credentials } = connect({ ...sim.env });
    const options = { objectStorage: client.objectStorage, source: { kind: 'path' as const }, owner: releaseOwner(credentials), containerPrefix: 'devel/', env: {}, cwd: dir, home: dir };
    const first = await publishRelease(options);
    expect(first.origin).toBe('the build tree (server)');
    expect(first.upload).toMatchObject({ container: `kubernetes-releases-${sim.env.OS_USERNAME}`, object: 'devel/kubernetes-server-linux-amd64.tar.gz', uploaded: true });
    const bytes = await readFile(join(dir, 'server', 'kubernetes-server-linux-amd64.tar.gz'));
    const response = await fetch(first.url);
    expect(response.status).toBe(200);
    expect(createHash('sha256').update(Buffer.from(await response.arrayBuffer())).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(first.expiresAt.getTime() - Date.now()).toBeGreaterThan(23 * 3600 * 1000);

    const second = await publishRelease(options);
    expect(second.upload.uploaded).toBe(false);
    expect(second.upload.etag).toBe(first.upload.etag);
  });

  it('reports where it looked when there is no tarball', async () => {
    const { client } = connect({ ...sim.env });
    await expect(
      publishRelease({ objectStorage: client.objectStorage, source: { kind: 'path' }, owner: 'x', containerPrefix: '', env: {}, cwd: join(dir, 'nowhere'), home: dir }),
    ).rejects.toThrow(/Could not find kubernetes-server-linux-amd64\.tar\.gz\. Looked in:/);
  });
});
