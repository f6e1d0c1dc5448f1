import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import type { OpenStackClient } from '@rax-kube/openstack-client';
import type { TarballDigests } from './digest.js';
import { TarballError } from './errors.js';
import { inspectServerTarball } from './inspect.js';
import type { ServerTarballInspection } from './inspect.js';
import { SERVER_TARBALL_NAME } from './layout.js';
import { ProgressMeter } from './progress.js';
import type { TransferProgress } from './progress.js';

/** The object-storage part of the client: all upload and temp-URL code needs. */
export type ObjectStorage = OpenStackClient['objectStorage'];

export const DEFAULT_CONTAINER_PREFIX = 'devel/';
export const DEFAULT_SEGMENT_SIZE = 1024 ** 3;
export const DEFAULT_SEGMENT_CONCURRENCY = 4;
/** Swift's documented default `max_file_size` (5 GiB + 2 bytes), used when `/info` is unavailable. */
export const SWIFT_DEFAULT_MAX_FILE_SIZE = 5 * 1024 ** 3 + 2;
const SWIFT_DEFAULT_MAX_MANIFEST_SEGMENTS = 1000;

/** `kubernetes-releases-<username>`, the container name `kube-up` used. */
export function defaultReleaseContainer(username: string): string {
  return `kubernetes-releases-${username}`;
}

/** `<prefix>kubernetes-server-linux-amd64.tar.gz`; a prefix without a trailing slash gets one. */
export function releaseObjectName(containerPrefix: string = DEFAULT_CONTAINER_PREFIX): string {
  const prefix = containerPrefix.replace(/^\/+/u, '');
  return prefix === '' ? SERVER_TARBALL_NAME : `${prefix.replace(/\/+$/u, '')}/${SERVER_TARBALL_NAME}`;
}

export interface UploadProgress extends TransferProgress {
  /** `inspect`: reading the file for its digests; `upload`: sending it. */
  phase: 'inspect' | 'upload';
  segmentsDone: number;
  /** 1 for a single object. */
  segmentsTotal: number;
}

export interface UploadServerTarballOptions {
  objectStorage: ObjectStorage;
  /** A path (inspected first: layout check and digests) or the result of an earlier inspection. */
  tarball: string | ServerTarballInspection;
  /** Default `kubernetes-releases-<username>`. */
  container?: string;
  /** For the default container name (`OS_USERNAME`). */
  username?: string;
  /** `CONTAINER_PREFIX`; default `devel/`. */
  containerPrefix?: string;
  /** Files larger than this go up as a static large object; default 1 GiB, capped at the cluster's `max_file_size`. */
  segmentSize?: number;
  /** Segments in flight at once; default 4. */
  concurrency?: number;
  /** Upload even when the remote object already matches. */
  force?: boolean;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

export interface UploadedTarball {
  container: string;
  object: string;
  size: number;
  digests: TarballDigests;
  /** The object's ETag in Swift (for a large object: the MD5 of its segments' ETags). */
  etag: string;
  /** False when the remote object already matched and nothing was sent. */
  uploaded: boolean;
  /** 0 for a single object. */
  segments: number;
  segmentSize: number | undefined;
}

interface ClusterLimits {
  maxFileSize: number;
  maxManifestSegments: number;
  minSegmentSize: number;
}

async function clusterLimits(objectStorage: ObjectStorage): Promise<ClusterLimits> {
  // /info can be disabled (expose_info = false); Swift's defaults apply then.
  const info = await objectStorage.info().catch(() => undefined);
  const positive = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback);
  return {
    maxFileSize: positive(info?.swift?.max_file_size, SWIFT_DEFAULT_MAX_FILE_SIZE),
    maxManifestSegments: positive(info?.slo?.max_manifest_segments, SWIFT_DEFAULT_MAX_MANIFEST_SEGMENTS),
    minSegmentSize: positive(info?.slo?.min_segment_size, 1),
  };
}

/**
 * The segment size to use, or undefined for a single PUT. Pure: the requested size is capped at
 * the cluster's largest object and raised when the file would need more segments than a manifest
 * may list.
 */
export function planUpload(size: number, requested: number, limits: ClusterLimits): { segmentSize: number | undefined; segments: number } {
  if (!Number.isInteger(requested) || requested <= 0) throw new TarballError('UPLOAD_OPTIONS_INVALID', `segmentSize must be a positive integer, got ${requested}`);
  let segmentSize = Math.max(limits.minSegmentSize, Math.min(requested, limits.maxFileSize));
  if (size <= segmentSize) return { segmentSize: undefined, segments: 0 };
  if (Math.ceil(size / segmentSize) > limits.maxManifestSegments) segmentSize = Math.ceil(size / limits.maxManifestSegments);
  if (segmentSize > limits.maxFileSize) {
    throw new TarballError('UPLOAD_OPTIONS_INVALID', `A ${size}-byte file needs segments over the cluster's max_file_size (${limits.maxFileSize}) to fit in ${limits.maxManifestSegments} manifest entries`);
  }
  return { segmentSize, segments: Math.ceil(size / segmentSize) };
}

/** The remote object already holds these bytes: same ETag (plain object) or same SHA-256 and size. */
export function remoteMatches(remote: { etag: string | undefined; contentLength: number | undefined; metadata: Record<string, string>; staticLargeObject: boolean }, local: { size: number; digests: TarballDigests }): boolean {
  if (remote.metadata.sha256 !== undefined) return remote.metadata.sha256 === local.digests.sha256 && remote.contentLength === local.size;
  return !remote.staticLargeObject && remote.etag === local.digests.md5 && remote.contentLength === local.size;
}

const encodePath = (container: string, object: string): string => `/${encodeURIComponent(container)}/${object.split('/').map(encodeURIComponent).join('/')}`;
const unquote = (v: unknown): string | undefined => (v === undefined ? undefined : String(v).replace(/^"|"$/gu, ''));

/** One body for a PUT: counts and digests the bytes as they are read; a retry reopens it. */
class PartBody {
  private sent = 0;
  private hash: Hash = createHash('md5');
  private current: Readable | undefined;

  constructor(
    private readonly path: string,
    private readonly range: { start: number; end: number } | undefined,
    private readonly meter: ProgressMeter,
    private readonly report: () => void,
  ) {}

  open = (): Readable => {
    this.current?.destroy();
    this.meter.add(-this.sent);
    this.sent = 0;
    this.hash = createHash('md5');
    const source = createReadStream(this.path, { ...this.range, highWaterMark: 256 * 1024 });
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.hash.update(chunk);
        this.sent += chunk.length;
        this.meter.add(chunk.length);
        this.report();
        callback(null, chunk);
      },
    });
    source.on('error', (err) => counter.destroy(err));
    this.current = source.pipe(counter);
    return this.current;
  };

  destroy(): void {
    this.current?.destroy();
  }

  md5(): string {
    return this.hash.copy().digest('hex');
  }
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

function uploadError(message: string, cause: unknown, path: string): TarballError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new TarballError('UPLOAD_FAILED', `${message}${detail}`, { path, cause });
}

/**
 * Upload the server tarball to `<container>/<CONTAINER_PREFIX>kubernetes-server-linux-amd64.tar.gz`:
 * ensure the container; skip when the remote object already matches; otherwise stream it with its
 * ETag in one PUT, or, above the segment size, as parallel segments (bounded) plus a static large
 * object manifest. SHA-256 and SHA-512 are stored as object metadata. The file is never held in
 * memory: every body is a file stream, reopened by range on retry.
 */
export async function uploadServerTarball(options: UploadServerTarballOptions): Promise<UploadedTarball> {
  const { objectStorage } = options;
  const container = options.container ?? (options.username ? defaultReleaseContainer(options.username) : undefined);
  if (container === undefined || container === '' || container.includes('/') || Buffer.byteLength(container) > 256) {
    throw new TarballError('UPLOAD_OPTIONS_INVALID', container === undefined ? 'Upload needs a container name or the username for kubernetes-releases-<username>' : `Container name ${JSON.stringify(container)} is not valid in Swift (1-256 bytes, no "/")`);
  }
  const object = releaseObjectName(options.containerPrefix);
  const concurrency = options.concurrency ?? DEFAULT_SEGMENT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TarballError('UPLOAD_OPTIONS_INVALID', `concurrency must be a positive integer, got ${concurrency}`);
  const emit = options.onProgress;

  const inspection =
    typeof options.tarball === 'string'
      ? await inspectServerTarball(options.tarball, {
          ...(options.signal ? { signal: options.signal } : {}),
          ...(emit ? { onProgress: (p) => emit({ ...p, phase: 'inspect', segmentsDone: 0, segmentsTotal: 0 }) } : {}),
        })
      : options.tarball;
  const { path, size, digests } = inspection;
  const unchangedOnDisk = async (): Promise<void> => {
    const now = await stat(path);
    if (now.size !== size || now.mtimeMs !== inspection.modifiedMs) {
      throw new TarballError('UPLOAD_FAILED', `${path} changed after it was inspected; inspect it again before uploading`, { path });
    }
  };
  await unchangedOnDisk();

  const where = `${container}/${object}`;
  const result = (fields: Pick<UploadedTarball, 'etag' | 'uploaded' | 'segments' | 'segmentSize'>): UploadedTarball => ({ container, object, size, digests, ...fields });
  try {
    await objectStorage.containers.ensure(container);
    const remote = await objectStorage.objects.find(container, object);
    if (!options.force && remote !== undefined && remoteMatches(remote, { size, digests })) {
      emit?.({ bytesDone: size, bytesTotal: size, bytesPerSecond: 0, etaSeconds: 0, elapsedMs: 0, done: true, phase: 'upload', segmentsDone: 0, segmentsTotal: 0 });
      return result({ etag: remote.etag ?? digests.md5, uploaded: false, segments: 0, segmentSize: undefined });
    }

    const plan = planUpload(size, options.segmentSize ?? DEFAULT_SEGMENT_SIZE, await clusterLimits(objectStorage));
    const segmentsTotal = Math.max(1, plan.segments);
    let segmentsDone = 0;
    const meter = new ProgressMeter(size, undefined);
    let lastEmit = -Infinity;
    const report = (force = false): void => {
      if (emit === undefined) return;
      const snapshot = meter.snapshot();
      if (!force && snapshot.elapsedMs - lastEmit < 250) return;
      lastEmit = snapshot.elapsedMs;
      emit({ ...snapshot, done: force && segmentsDone === segmentsTotal, phase: 'upload', segmentsDone, segmentsTotal });
    };
    const bodies = new Set<PartBody>();
    const onAbort = (): void => bodies.forEach((b) => b.destroy());
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const metadataHeaders = { 'x-object-meta-sha256': digests.sha256, 'x-object-meta-sha512': digests.sha512 };

    try {
      const segmentDir = `${object}.segments/`;
      let etag: string;
      let keepSegmentsUnder: string | undefined;
      if (plan.segmentSize === undefined) {
        const body = new PartBody(path, undefined, meter, report);
        bodies.add(body);
        const res = await objectStorage.service.request('PUT', encodePath(container, object), {
          body: body.open(),
          headers: { etag: digests.md5, 'content-length': String(size), 'content-type': 'application/gzip', ...metadataHeaders },
          context: { bodyFactory: body.open },
        });
        etag = unquote(res.headers.etag) ?? digests.md5;
        if (etag !== digests.md5) throw new TarballError('UPLOAD_FAILED', `Swift stored ${where} with ETag ${etag}, expected ${digests.md5}`, { path });
        segmentsDone = 1;
      } else {
        const segmentSize = plan.segmentSize;
        // Named by content and segment size: a re-upload of the same file lands on the same names.
        keepSegmentsUnder = `${segmentDir}${digests.sha256.slice(0, 16)}-${segmentSize}/`;
        const ranges = Array.from({ length: plan.segments }, (_, index) => ({ index, start: index * segmentSize, end: Math.min(size, (index + 1) * segmentSize) - 1 }));
        const segments = await mapLimit(ranges, concurrency, async (range) => {
          const name = `${keepSegmentsUnder}${String(range.index).padStart(8, '0')}`;
          const bytes = range.end - range.start + 1;
          const body = new PartBody(path, { start: range.start, end: range.end }, meter, report);
          bodies.add(body);
          const res = await objectStorage.service.request('PUT', encodePath(container, name), {
            body: body.open(),
            headers: { 'content-length': String(bytes), 'content-type': 'application/octet-stream' },
            context: { bodyFactory: body.open },
          });
          bodies.delete(body);
          // No ETag was sent (it is computed on the way), so check Swift's against ours now.
          const local = body.md5();
          const stored = unquote(res.headers.etag);
          if (stored !== local) throw new TarballError('UPLOAD_FAILED', `Segment ${container}/${name} was stored with ETag ${stored}, but the bytes sent have MD5 ${local}`, { path });
          segmentsDone++;
          report();
          return { path: `/${container}/${name}`, etag: local, size_bytes: bytes };
        });
        await unchangedOnDisk();
        // A static large object's ETag is the MD5 of its segments' ETags (hex, concatenated).
        const expected = createHash('md5').update(segments.map((s) => s.etag).join('')).digest('hex');
        const res = await objectStorage.service.request('PUT', encodePath(container, object), {
          searchParams: { 'multipart-manifest': 'put' },
          body: JSON.stringify(segments),
          headers: { 'content-type': 'application/gzip', etag: expected, ...metadataHeaders },
        });
        etag = unquote(res.headers.etag) ?? expected;
      }
      await unchangedOnDisk();
      meter.finish();
      report(true);
      await removeStaleSegments(objectStorage, container, segmentDir, keepSegmentsUnder);
      return result({ etag, uploaded: true, segments: plan.segments, segmentSize: plan.segmentSize });
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      bodies.forEach((b) => b.destroy());
    }
  } catch (err) {
    if (err instanceof TarballError) throw err;
    if (options.signal?.aborted) throw options.signal.reason ?? err;
    throw uploadError(`Upload of ${path} to ${where} failed`, err, path);
  }
}

/** Segments of earlier uploads of this object (another file or segment size) are garbage now. */
async function removeStaleSegments(objectStorage: ObjectStorage, container: string, segmentDir: string, keep: string | undefined): Promise<void> {
  const stale: string[] = [];
  for await (const entry of objectStorage.objects.list(container, { prefix: segmentDir })) {
    if ('name' in entry && (keep === undefined || !entry.name.startsWith(keep))) stale.push(entry.name);
  }
  await mapLimit(stale, 4, (name) => objectStorage.objects.delete(container, name, { ignoreMissing: true }));
}
