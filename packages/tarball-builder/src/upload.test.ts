import { clientFromEnv, OpenStackError } from '@rax-kube/openstack-client';
import { startSim } from '@rax-kube/openstack-sim';
import type { Sim } from '@rax-kube/openstack-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TarballError } from './errors.js';
import { buildStandInRelease } from './stand-in.js';
import { createReleaseTempUrl, ensureTempUrlKey, redactTempUrl } from './temp-url.js';
import { defaultReleaseContainer, planUpload, releaseObjectName, remoteMatches, uploadServerTarball } from './upload.js';
import type { ObjectStorage, UploadProgress } from './upload.js';
import { randomServerTarball, uploadSuite } from './upload.suite.js';
import { inspectServerTarball } from './inspect.js';

uploadSuite('the local sim', async () => {
  const sim = await startSim({ seed: 1 });
  return { objectStorage: clientFromEnv({ ...sim.env }).objectStorage, close: () => sim.close() };
});

const limits = { maxFileSize: 5 * 1024 ** 3 + 2, maxManifestSegments: 1000, minSegmentSize: 1 };
const digests = { md5: 'a'.repeat(32), sha256: 'b'.repeat(64), sha512: 'c'.repeat(128) };

describe('planUpload', () => {
  it('uses one PUT up to the segment size, segments above it', () => {
    expect(planUpload(1024, 1024, limits)).toEqual({ segmentSize: undefined, segments: 0 });
    expect(planUpload(1025, 1024, limits)).toEqual({ segmentSize: 1024, segments: 2 });
  });

  it("never uses segments above the cluster's max_file_size", () => {
    const size = 12 * 1024 ** 3;
    expect(planUpload(size, 8 * 1024 ** 3, limits)).toEqual({ segmentSize: limits.maxFileSize, segments: 3 });
    expect(planUpload(4 * 1024 ** 3, 8 * 1024 ** 3, limits)).toEqual({ segmentSize: undefined, segments: 0 });
    expect(planUpload(3000, 5000, { ...limits, maxFileSize: 1000 })).toEqual({ segmentSize: 1000, segments: 3 });
  });

  it('raises the segment size to fit the manifest limit, and fails when even that is too big', () => {
    expect(planUpload(10_000, 10, { ...limits, maxManifestSegments: 100 })).toEqual({ segmentSize: 100, segments: 100 });
    expect(() => planUpload(10_000, 10, { ...limits, maxManifestSegments: 10, maxFileSize: 500 })).toThrow(/max_file_size/u);
    expect(() => planUpload(10, 0, limits)).toThrow(/positive integer/u);
  });
});

describe('remoteMatches', () => {
  const local = { size: 10, digests };
  it('trusts the ETag of a plain object, and SHA-256 metadata plus size when present', () => {
    expect(remoteMatches({ etag: digests.md5, contentLength: 10, metadata: {}, staticLargeObject: false }, local)).toBe(true);
    expect(remoteMatches({ etag: digests.md5, contentLength: 11, metadata: {}, staticLargeObject: false }, local)).toBe(false);
    expect(remoteMatches({ etag: 'x', contentLength: 10, metadata: { sha256: digests.sha256 }, staticLargeObject: true }, local)).toBe(true);
    expect(remoteMatches({ etag: digests.md5, contentLength: 10, metadata: { sha256: 'other' }, staticLargeObject: false }, local)).toBe(false);
    expect(remoteMatches({ etag: digests.md5, contentLength: 10, metadata: {}, staticLargeObject: true }, local)).toBe(false);
  });
});

describe('release names', () => {
  it('follows kube-up: kubernetes-releases-<user>, <CONTAINER_PREFIX>kubernetes-server-linux-amd64.tar.gz', () => {
    expect(defaultReleaseContainer('alice')).toBe('kubernetes-releases-alice');
    expect(releaseObjectName()).toBe('devel/kubernetes-server-linux-amd64.tar.gz');
    expect(releaseObjectName('builds/v1')).toBe('builds/v1/kubernetes-server-linux-amd64.tar.gz');
    expect(releaseObjectName('')).toBe('kubernetes-server-linux-amd64.tar.gz');
  });
});

/** The object storage, except that the first `method` on the release object is refused with a 503 before it is sent. */
function refusingFirst(real: ObjectStorage, method: 'PUT' | 'POST', onRefused: () => void): ObjectStorage {
  let refused = false;
  const service = new Proxy(real.service, {
    get: (target, property) => {
      if (property !== 'request') return Reflect.get(target, property);
      return async (...args: Parameters<ObjectStorage['service']['request']>) => {
        const [m, path] = args;
        if (!refused && m === method && path.endsWith('/kubernetes-server-linux-amd64.tar.gz')) {
          refused = true;
          onRefused();
          throw new OpenStackError({ code: 'HTTP_SERVER_ERROR', status: 503, message: `${m} failed with 503` });
        }
        return target.request(...args);
      };
    },
  });
  return new Proxy(real, { get: (target, property) => (property === 'service' ? service : Reflect.get(target, property)) });
}

describe('upload through injected server errors (sim)', () => {
  it('recovers: a refused single-pass PUT is redone with a replayable body, a refused POST is sent again, and the stored bytes are right', async () => {
    // Every request may draw a 5xx (seeded, but requests go out together, so which one draws it
    // depends on their order of arrival); on top, each upload has its single-pass PUT or its POST refused.
    const sim = await startSim({ seed: 11, faults: { rate: 0.1, kinds: ['5xx'] } });
    const dir = await mkdtemp(join(tmpdir(), 'upload-faults-'));
    try {
      const real = clientFromEnv({ ...sim.env }, { sleep: async () => undefined, retry: { limit: 8 } }).objectStorage;
      const built = await buildStandInRelease(dir);
      const expected = await readFile(built.path);
      const refused = { PUT: 0, POST: 0 };
      for (let i = 0; i < 4; i++) {
        const method = i % 2 === 0 ? 'PUT' : 'POST';
        const storage = refusingFirst(real, method, () => refused[method]++);
        const result = await uploadServerTarball({ objectStorage: storage, tarball: built.path, container: 'faulty', containerPrefix: `run-${i}/`, singlePassFrom: 0 });
        expect(result.uploaded).toBe(true);
        expect((await real.objects.getBuffer('faulty', result.object)).equals(expected)).toBe(true);
        expect((await real.objects.head('faulty', result.object)).metadata.sha256).toBe(built.digests.sha256);
      }
      expect(refused).toEqual({ PUT: 2, POST: 2 });
      expect(sim.state.faults().total).toBeGreaterThan(0);
    } finally {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('upload stopped while a body is being sent (sim)', () => {
  it('fails at once, rather than leave the request waiting for the rest of the body', async () => {
    const sim = await startSim({ seed: 12 });
    const dir = await mkdtemp(join(tmpdir(), 'upload-abort-'));
    try {
      const storage = clientFromEnv({ ...sim.env }).objectStorage;
      const large = await randomServerTarball(dir, 700 * 1024, 'abort');
      const inspection = await inspectServerTarball(large.path);
      // Segments (the inspection alongside), and one PUT with the digests known: stopped at the first bytes sent.
      for (const options of [{ tarball: large.path, segmentSize: 1024 * 1024 }, { tarball: inspection }]) {
        const controller = new AbortController();
        const reason = new Error('stopped by the caller');
        const onProgress = (p: UploadProgress): void => {
          if (p.phase === 'upload' && p.bytesDone > 0) controller.abort(reason);
        };
        await expect(uploadServerTarball({ objectStorage: storage, container: 'stopped', ...options, signal: controller.signal, onProgress })).rejects.toBe(reason);
      }
      expect(sim.state.objects().filter((o) => o.container === 'stopped')).toEqual([]);
    } finally {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('upload and temp-URL keys on the sim', () => {
  let sim: Sim;
  let storage: ObjectStorage;
  let dir: string;
  beforeAll(async () => {
    sim = await startSim({ seed: 2 });
    storage = clientFromEnv({ ...sim.env }).objectStorage;
    dir = await mkdtemp(join(tmpdir(), 'upload-sim-'));
  });
  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates kubernetes-releases-<username> and sends no object PUT when the tarball is unchanged', async () => {
    const built = await buildStandInRelease(dir);
    const first = await uploadServerTarball({ objectStorage: storage, tarball: built.path, username: sim.env.OS_USERNAME });
    expect(first.container).toBe(`kubernetes-releases-${sim.env.OS_USERNAME}`);
    const objectPuts = (): number => sim.state.countRequests('PUT', /kubernetes-server-linux-amd64\.tar\.gz$/u);
    expect(objectPuts()).toBe(1);
    expect((await uploadServerTarball({ objectStorage: storage, tarball: built.path, username: sim.env.OS_USERNAME })).uploaded).toBe(false);
    expect(objectPuts()).toBe(1);
  });

  it('refuses to guess a container', async () => {
    const built = await buildStandInRelease(dir);
    const err = (await uploadServerTarball({ objectStorage: storage, tarball: built.path }).catch((e: unknown) => e)) as TarballError;
    expect(err.code).toBe('UPLOAD_OPTIONS_INVALID');
    expect(((await uploadServerTarball({ objectStorage: storage, tarball: built.path, container: 'a/b' }).catch((e: unknown) => e)) as TarballError).code).toBe('UPLOAD_OPTIONS_INVALID');
  });

  it('creates a strong temp-URL key once, keeps an existing one, and honours key 2 alone', async () => {
    await storage.account.setMetadata({ 'temp-url-key': null, 'temp-url-key-2': null });
    const created = await ensureTempUrlKey(storage);
    expect(created).toMatchObject({ which: 1, created: true });
    expect(created.key).toMatch(/^[A-Za-z0-9_-]{43}$/u);
    expect(await ensureTempUrlKey(storage)).toEqual({ key: created.key, which: 1, created: false });
    expect((await storage.account.get()).tempUrlKey).toBe(created.key);

    await storage.account.setMetadata({ 'temp-url-key': null, 'temp-url-key-2': 'second-key' });
    expect(await ensureTempUrlKey(storage)).toEqual({ key: 'second-key', which: 2, created: false });
    expect((await storage.account.get()).tempUrlKey).toBeUndefined();
    const built = await buildStandInRelease(dir);
    const up = await uploadServerTarball({ objectStorage: storage, tarball: built.path, container: 'key2' });
    const temp = await createReleaseTempUrl({ objectStorage: storage, container: 'key2', object: up.object });
    expect(temp.keyCreated).toBe(false);
    expect((await fetch(temp.url)).status).toBe(200);
  });

  it('validates lifetime, digest and method, and redacts signatures for logs', async () => {
    const base = { objectStorage: storage, container: 'c', object: 'o', key: { key: 'k', which: 1 as const, created: false } };
    await expect(createReleaseTempUrl({ ...base, ttlSeconds: 0 })).rejects.toMatchObject({ code: 'TEMP_URL_OPTIONS_INVALID' });
    await expect(createReleaseTempUrl({ ...base, ttlSeconds: 1.5 })).rejects.toMatchObject({ code: 'TEMP_URL_OPTIONS_INVALID' });
    await expect(createReleaseTempUrl({ ...base, digest: 'md5' as never })).rejects.toMatchObject({ code: 'TEMP_URL_OPTIONS_INVALID' });
    await expect(createReleaseTempUrl({ ...base, method: 'PUT' as never })).rejects.toMatchObject({ code: 'TEMP_URL_OPTIONS_INVALID' });
    const temp = await createReleaseTempUrl({ ...base, ttlSeconds: 600, now: () => 1_700_000_000_000 });
    expect(temp.expiresAt.toISOString()).toBe(new Date((1_700_000_000 + 600) * 1000).toISOString());
    const signature = new URL(temp.url).searchParams.get('temp_url_sig') ?? '';
    expect(signature).toMatch(/^[0-9a-f]{64}$/u);
    expect(redactTempUrl(temp.url)).not.toContain(signature);
    expect(redactTempUrl(temp.url)).toContain('temp_url_sig=REDACTED&temp_url_expires=1700000600');
  });
});
