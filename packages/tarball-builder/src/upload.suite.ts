/**
 * One upload + temp-URL suite, run against the local sim (unit project) and against real Swift
 * from openstack-aio (integration project), so the sim cannot drift from what Swift does.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServerTarball, writeReproducibleTarball } from './build.js';
import type { BuiltTarball } from './build.js';
import type { TarballError } from './errors.js';
import { inspectServerTarball } from './inspect.js';
import { REQUIRED_SERVER_BINARIES } from './layout.js';
import { buildStandInRelease } from './stand-in.js';
import { createReleaseTempUrl, ensureTempUrlKey } from './temp-url.js';
import { uploadServerTarball } from './upload.js';
import type { ObjectStorage, UploadProgress } from './upload.js';
import { makeBinDir } from './test-support.js';

export interface SwiftTarget {
  objectStorage: ObjectStorage;
  close(): Promise<void>;
}

/** A server tarball of incompressible "binaries", so its size is predictable. */
export async function randomServerTarball(dir: string, bytesPerBinary: number, seed: string, options: { withoutKubelet?: boolean } = {}): Promise<BuiltTarball> {
  const binDir = await makeBinDir(join(dir, `bin-${seed}`));
  for (const name of REQUIRED_SERVER_BINARIES) await writeFile(join(binDir, name), randomBytes(bytesPerBinary), { mode: 0o755 });
  const built = await buildServerTarball({ binDir, output: join(dir, `${seed}.tar.gz`), level: 1 });
  if (!options.withoutKubelet) return built;
  // The same kind of file, minus one binary: it fails inspection only at the very end.
  const files = REQUIRED_SERVER_BINARIES.filter((n) => n !== 'kubelet').map((name) => ({
    path: `kubernetes/server/bin/${name}`,
    source: { kind: 'file' as const, path: join(binDir, name) },
    executable: true,
    size: bytesPerBinary,
  }));
  return writeReproducibleTarball(files, join(dir, `${seed}-broken.tar.gz`), { level: 1 });
}

export function uploadSuite(name: string, connect: () => Promise<SwiftTarget | string>): void {
  describe(`upload and temp URLs against ${name}`, () => {
    let target: SwiftTarget | undefined;
    let skip = '';
    let dir: string;
    let container: string;
    let small: BuiltTarball;
    let large: BuiltTarball;

    beforeAll(async () => {
      const connected = await connect();
      if (typeof connected === 'string') {
        skip = connected;
        console.warn(`SKIPPED upload suite against ${name}: ${connected}`);
        return;
      }
      target = connected;
      dir = await mkdtemp(join(tmpdir(), 'upload-suite-'));
      container = `rax-kube-tb-test-${randomBytes(4).toString('hex')}`;
      small = await buildStandInRelease(join(dir, 'stand-in'));
      // 5 × 700 KiB of random bytes: about 3.4 MiB, so 1 MiB segments give four.
      large = await randomServerTarball(dir, 700 * 1024, 'large');
    });

    afterAll(async () => {
      if (target === undefined) return;
      await target.objectStorage.deleteContainerRecursive(container).catch(() => undefined);
      await target.close();
      await rm(dir, { recursive: true, force: true });
    });

    const storage = (): ObjectStorage => {
      if (target === undefined) throw new Error(`no target: ${skip}`);
      return target.objectStorage;
    };

    it('uploads with its ETag and digests, then skips an unchanged tarball', async (ctx) => {
      if (skip) ctx.skip(skip);
      const events: UploadProgress[] = [];
      const first = await uploadServerTarball({ objectStorage: storage(), tarball: small.path, container, onProgress: (e) => events.push(e) });
      expect(first).toMatchObject({ container, object: 'devel/kubernetes-server-linux-amd64.tar.gz', uploaded: true, etag: small.digests.md5, segments: 0, size: small.size });
      expect(events.at(-1)).toMatchObject({ phase: 'upload', done: true, bytesDone: small.size, bytesTotal: small.size, segmentsDone: 1, segmentsTotal: 1 });
      // A small file is inspected before it is sent (its digests go with the PUT): first the inspection, then the upload.
      const firstUpload = events.findIndex((e) => e.phase === 'upload');
      expect(events.slice(0, firstUpload).every((e) => e.phase === 'inspect')).toBe(true);
      expect(events[firstUpload - 1]).toMatchObject({ phase: 'inspect', done: true, bytesDone: small.size });
      expect(events.slice(firstUpload).every((e) => e.phase === 'upload')).toBe(true);
      const head = await storage().objects.head(container, first.object);
      expect(head).toMatchObject({ etag: small.digests.md5, contentLength: small.size, staticLargeObject: false });
      expect(head.metadata).toMatchObject({ sha256: small.digests.sha256, sha512: small.digests.sha512 });
      expect((await storage().objects.getBuffer(container, first.object)).equals(await readFile(small.path))).toBe(true);

      const again = await uploadServerTarball({ objectStorage: storage(), tarball: await inspectServerTarball(small.path), container });
      expect(again).toMatchObject({ uploaded: false, etag: small.digests.md5 });
      const skipEvents: UploadProgress[] = [];
      const byPath = await uploadServerTarball({ objectStorage: storage(), tarball: small.path, container, onProgress: (e) => skipEvents.push(e) });
      expect(byPath.uploaded).toBe(false);
      expect(skipEvents.some((e) => e.phase === 'inspect' && e.done)).toBe(true);
      const forced = await uploadServerTarball({ objectStorage: storage(), tarball: small.path, container, force: true });
      expect(forced.uploaded).toBe(true);
    });

    it('reads a file at or above singlePassFrom once: inspected while it is sent, digests set after', async (ctx) => {
      if (skip) ctx.skip(skip);
      const events: UploadProgress[] = [];
      const first = await uploadServerTarball({ objectStorage: storage(), tarball: small.path, container, containerPrefix: 'single-pass/', singlePassFrom: 0, onProgress: (e) => events.push(e) });
      expect(first).toMatchObject({ uploaded: true, etag: small.digests.md5, segments: 0, size: small.size, digests: small.digests });
      // Nothing remote to compare with: the file was read once, inspected on the way out.
      expect(events.every((e) => e.phase === 'upload')).toBe(true);
      expect(events.at(-1)).toMatchObject({ done: true, bytesDone: small.size });
      const head = await storage().objects.head(container, first.object);
      expect(head).toMatchObject({ etag: small.digests.md5, contentLength: small.size, staticLargeObject: false });
      expect(head.metadata).toMatchObject({ sha256: small.digests.sha256, sha512: small.digests.sha512 });
      expect((await uploadServerTarball({ objectStorage: storage(), tarball: small.path, container, containerPrefix: 'single-pass/', singlePassFrom: 0 })).uploaded).toBe(false);
      await expect(uploadServerTarball({ objectStorage: storage(), tarball: small.path, container, singlePassFrom: -1 })).rejects.toMatchObject({ code: 'UPLOAD_OPTIONS_INVALID' });
    });

    it('uploads a large tarball as parallel segments plus a manifest, skips it unchanged, and cleans up replaced segments', async (ctx) => {
      if (skip) ctx.skip(skip);
      const events: UploadProgress[] = [];
      const prefix = 'segmented/';
      const result = await uploadServerTarball({ objectStorage: storage(), tarball: large.path, container, containerPrefix: prefix, segmentSize: 1024 * 1024, concurrency: 3, onProgress: (e) => events.push(e) });
      const segments = Math.ceil(large.size / (1024 * 1024));
      expect(segments).toBeGreaterThanOrEqual(3);
      expect(result).toMatchObject({ uploaded: true, segments, segmentSize: 1024 * 1024 });
      expect(events.at(-1)).toMatchObject({ done: true, bytesDone: large.size, segmentsDone: segments, segmentsTotal: segments });
      const head = await storage().objects.head(container, result.object);
      expect(head.staticLargeObject).toBe(true);
      expect(head.contentLength).toBe(large.size);
      expect(head.metadata.sha256).toBe(large.digests.sha256);
      const listed: string[] = [];
      for await (const e of storage().objects.list(container, { prefix: `${result.object}.segments/` })) if ('name' in e) listed.push(e.name);
      expect(listed).toHaveLength(segments);
      // The manifest's ETag is the MD5 of the segments' MD5s.
      const bytes = await readFile(large.path);
      const segmentMd5s = Array.from({ length: segments }, (_, i) =>
        createHash('md5')
          .update(bytes.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024))
          .digest('hex'),
      );
      expect(result.etag).toBe(createHash('md5').update(segmentMd5s.join('')).digest('hex'));
      expect((await storage().objects.getBuffer(container, result.object)).equals(bytes)).toBe(true);

      const again = await uploadServerTarball({ objectStorage: storage(), tarball: large.path, container, containerPrefix: prefix, segmentSize: 1024 * 1024 });
      expect(again.uploaded).toBe(false);

      const replaced = await uploadServerTarball({ objectStorage: storage(), tarball: small.path, container, containerPrefix: prefix });
      expect(replaced).toMatchObject({ uploaded: true, segments: 0 });
      const left: string[] = [];
      for await (const e of storage().objects.list(container, { prefix: `${result.object}.segments/` })) if ('name' in e) left.push(e.name);
      expect(left).toEqual([]);
      expect((await storage().objects.getBuffer(container, replaced.object)).equals(await readFile(small.path))).toBe(true);
    });

    it('keeps the previous object when a tarball fails inspection while it is being sent', async (ctx) => {
      if (skip) ctx.skip(skip);
      const prefix = 'broken/';
      const good = await uploadServerTarball({ objectStorage: storage(), tarball: small.path, container, containerPrefix: prefix });
      // Several MiB, mostly sent before the missing binary shows up at the end of the archive.
      const broken = await randomServerTarball(dir, 700 * 1024, 'broken', { withoutKubelet: true });
      // A corrupt file: the gzip stream breaks in the middle.
      const corrupt = join(dir, 'corrupt.tar.gz');
      const bytes = Buffer.from(await readFile(large.path));
      bytes.fill(0x55, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 4096);
      await writeFile(corrupt, bytes);
      // Inspected first (the default at this size), and sent while inspected (singlePassFrom 0: the PUT is cut short).
      for (const singlePassFrom of [undefined, 0]) {
        const err = (await uploadServerTarball({ objectStorage: storage(), tarball: broken.path, container, containerPrefix: prefix, ...(singlePassFrom === undefined ? {} : { singlePassFrom }) }).catch((e: unknown) => e)) as TarballError;
        expect(err.code).toBe('TARBALL_INVALID_LAYOUT');
        expect(err.message).toContain('kubernetes/server/bin/kubelet is missing');
        const corruptErr = (await uploadServerTarball({ objectStorage: storage(), tarball: corrupt, container, containerPrefix: prefix, ...(singlePassFrom === undefined ? {} : { singlePassFrom }) }).catch((e: unknown) => e)) as TarballError;
        expect(corruptErr.code).toBe('TARBALL_CORRUPT');
      }
      // The same two as segmented uploads: the manifest is never written and the segments are removed.
      for (const [file, code] of [[broken.path, 'TARBALL_INVALID_LAYOUT'], [corrupt, 'TARBALL_CORRUPT']] as const) {
        const segErr = (await uploadServerTarball({ objectStorage: storage(), tarball: file, container, containerPrefix: prefix, segmentSize: 1024 * 1024 }).catch((e: unknown) => e)) as TarballError;
        expect(segErr.code).toBe(code);
      }
      const leftovers: string[] = [];
      for await (const e of storage().objects.list(container, { prefix: `${good.object}.segments/` })) if ('name' in e) leftovers.push(e.name);
      expect(leftovers).toEqual([]);
      const head = await storage().objects.head(container, good.object);
      expect(head).toMatchObject({ etag: small.digests.md5, contentLength: small.size, staticLargeObject: false });
      expect((await storage().objects.getBuffer(container, good.object)).equals(await readFile(small.path))).toBe(true);
    });

    it('refuses to upload a file that changed after it was inspected', async (ctx) => {
      if (skip) ctx.skip(skip);
      const copy = join(dir, 'copy.tar.gz');
      await writeFile(copy, await readFile(small.path));
      const inspection = await inspectServerTarball(copy);
      await utimes(copy, new Date(), new Date(Date.now() + 5000));
      const err = (await uploadServerTarball({ objectStorage: storage(), tarball: inspection, container, containerPrefix: 'changed/' }).catch((e: unknown) => e)) as TarballError;
      expect(err.code).toBe('UPLOAD_FAILED');
      expect(err.message).toMatch(/changed after it was inspected/u);
    });

    it('signs GET temp URLs that Swift honours (sha256 default, sha1, sha512) and refuses when expired or for PUT', async (ctx) => {
      if (skip) ctx.skip(skip);
      const uploaded = await uploadServerTarball({ objectStorage: storage(), tarball: small.path, container, containerPrefix: 'temp-url/' });
      const key = await ensureTempUrlKey(storage());
      const expected = await readFile(small.path);
      for (const digest of [undefined, 'sha1', 'sha512'] as const) {
        const temp = await createReleaseTempUrl({ objectStorage: storage(), container, object: uploaded.object, key, ...(digest ? { digest } : {}) });
        expect(temp.digest).toBe(digest ?? 'sha256');
        expect(temp.url).toMatch(/[?&]temp_url_sig=[^&]+&temp_url_expires=\d+$/u);
        const res = await fetch(temp.url);
        expect(res.status).toBe(200);
        expect(Buffer.from(await res.arrayBuffer()).equals(expected)).toBe(true);
        const put = await fetch(temp.url, { method: 'PUT', body: 'overwrite attempt' });
        expect(put.status).toBe(401);
        await put.arrayBuffer();
      }
      const day = await createReleaseTempUrl({ objectStorage: storage(), container, object: uploaded.object, key });
      const lifetime = (day.expiresAt.getTime() - Date.now()) / 1000;
      expect(lifetime).toBeGreaterThan(24 * 3600 - 120);
      expect(lifetime).toBeLessThanOrEqual(24 * 3600);
      // Signed an hour "ago" with a one-minute lifetime: expired for Swift's clock.
      const expired = await createReleaseTempUrl({ objectStorage: storage(), container, object: uploaded.object, key, ttlSeconds: 60, now: () => Date.now() - 3600_000 });
      expect(expired.expiresAt.getTime()).toBeLessThan(Date.now());
      const refused = await fetch(expired.url);
      expect(refused.status).toBe(401);
      await refused.arrayBuffer();
      // The object itself is unchanged by the refused PUTs.
      expect((await storage().objects.head(container, uploaded.object)).etag).toBe(small.digests.md5);
    });
  });
}
