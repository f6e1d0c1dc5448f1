import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSim } from '@rax-kube/openstack-sim';
import type { Sim } from '@rax-kube/openstack-sim';
import { buildStandInRelease } from '@rax-kube/tarball-builder';
import type * as TarballBuilder from '@rax-kube/tarball-builder';
import type { ObjectStorage } from '@rax-kube/tarball-builder';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { connect, releaseOwner } from '../cloud/connect.js';
import { publishRelease } from './publish.js';

// The real upload and key functions, noting when each was called and when it settled.
const calls = vi.hoisted(() => [] as string[]);
vi.mock('@rax-kube/tarball-builder', async (importOriginal) => {
  const actual = await importOriginal<typeof TarballBuilder>();
  const traced =
    <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      calls.push(`${name} called`);
      try {
        return await fn(...args);
      } finally {
        calls.push(`${name} settled`);
      }
    };
  return { ...actual, uploadServerTarball: traced('upload', actual.uploadServerTarball), ensureTempUrlKey: traced('key', actual.ensureTempUrlKey) };
});

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
  beforeEach(() => {
    calls.length = 0;
  });
  const storageRequests = (): string[] =>
    sim.state
      .requests()
      .filter((r) => r.service === 'object-store')
      .map((r) => `${r.method} ${r.path.replace(/^\/v1\/[^/]+/u, '')}`);

  it('finds the tarball under server/, uploads it once, and signs a URL that serves the same bytes', async () => {
    const { client, credentials } = connect({ ...sim.env });
    const options = { objectStorage: client.objectStorage, source: { kind: 'path' as const }, owner: releaseOwner(credentials), containerPrefix: 'devel/', env: {}, cwd: dir, home: dir };
    const first = await publishRelease(options);
    // The temp-URL key is not waited for after the upload, nor the upload after the key: both go out before either is done.
    expect(calls.slice(0, 2).sort()).toEqual(['key called', 'upload called']);
    // A small tarball is inspected before it is sent: its digests go with the PUT, no POST after it.
    expect(storageRequests().filter((r) => r.startsWith('POST /kubernetes-releases-'))).toEqual([]);
    expect(first.origin).toBe('the build tree (server)');
    expect(first.upload).toMatchObject({ container: `kubernetes-releases-${sim.env.OS_USERNAME}`, object: 'devel/kubernetes-server-linux-amd64.tar.gz', uploaded: true });
    const bytes = await readFile(join(dir, 'server', 'kubernetes-server-linux-amd64.tar.gz'));
    const response = await fetch(first.url);
    expect(response.status).toBe(200);
    expect(createHash('sha256').update(Buffer.from(await response.arrayBuffer())).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(first.expiresAt.getTime() - Date.now()).toBeGreaterThan(23 * 3600 * 1000);

    const before = storageRequests().length;
    calls.length = 0;
    const second = await publishRelease(options);
    expect(second.upload.uploaded).toBe(false);
    expect(second.upload.etag).toBe(first.upload.etag);
    // Unchanged: the key, the object and the limits, in one round trip (see upload.round-trips.test.ts in tarball-builder).
    expect(storageRequests().slice(before).sort()).toEqual(['GET /info', 'HEAD ', `HEAD /kubernetes-releases-${sim.env.OS_USERNAME}/devel/kubernetes-server-linux-amd64.tar.gz`]);
    expect(calls.slice(0, 2).sort()).toEqual(['key called', 'upload called']);
  });

  it("reports the key's error when the account refuses it, and does not leave the upload running", async () => {
    const { client, credentials } = connect({ ...sim.env });
    const real = client.objectStorage;
    const refusing = new Proxy(real, {
      get: (target, property) => (property === 'account' ? { ...target.account, get: () => Promise.reject(new Error('account HEAD refused')) } : Reflect.get(target, property)),
    }) as ObjectStorage;
    await expect(publishRelease({ objectStorage: refusing, source: { kind: 'path' }, owner: releaseOwner(credentials), containerPrefix: 'refused/', env: {}, cwd: dir, home: dir })).rejects.toThrow('account HEAD refused');
    expect(calls).toContain('upload settled');
  });

  it('reports where it looked when there is no tarball', async () => {
    const { client } = connect({ ...sim.env });
    await expect(
      publishRelease({ objectStorage: client.objectStorage, source: { kind: 'path' }, owner: 'x', containerPrefix: '', env: {}, cwd: join(dir, 'nowhere'), home: dir }),
    ).rejects.toThrow(/Could not find kubernetes-server-linux-amd64\.tar\.gz\. Looked in:/);
  });
});
