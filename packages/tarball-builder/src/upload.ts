import { createHash, randomBytes } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PassThrough, Transform } from 'node:stream';
import type { Readable, TransformCallback } from 'node:stream';
import { defaultSleep } from '@rax-kube/openstack-client';
import type { OpenStackClient } from '@rax-kube/openstack-client';
import type { TarballDigests } from './digest.js';
import { TarballError } from './errors.js';
import { inspectServerTarball, inspectTarballStream, statTarball } from './inspect.js';
import type { ServerTarballInspection } from './inspect.js';
import { SERVER_TARBALL_NAME } from './layout.js';
import { ProgressMeter } from './progress.js';
import type { TransferProgress } from './progress.js';

/** The object-storage part of the client: all upload and temp-URL code needs. */
export type ObjectStorage = OpenStackClient['objectStorage'];

export const DEFAULT_CONTAINER_PREFIX = 'devel/';
export const DEFAULT_SEGMENT_SIZE = 1024 ** 3;
export const DEFAULT_SEGMENT_CONCURRENCY = 4;
/**
 * Inspecting (three digests, gunzip, tar walk) runs at about 200 MiB/s, so a file under 8 MiB is
 * inspected in about the time of the first round trip, which it overlaps; its digests can then go
 * with the PUT instead of a POST after it. A larger new file is read once, inspected while sent:
 * reading it ahead would cost more than the POST's round trip (and the CPU a local Swift needs).
 */
export const DEFAULT_SINGLE_PASS_FROM = 8 * 1024 ** 2;
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
  /**
   * A new file of at least this many bytes sent as one object is read once: inspected while it is
   * sent, its digests set by a POST afterwards. A smaller one is inspected from the start, alongside
   * the first requests, so they go with the PUT. Default 8 MiB; 0 always reads once.
   */
  singlePassFrom?: number;
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

/** One body for a PUT: counts (and for segments, digests) the bytes as they are read; a retry reopens it. */
class PartBody {
  private sent = 0;
  private hash: Hash | undefined;
  private streams: Readable[] = [];

  constructor(
    private readonly path: string,
    private readonly range: { start: number; end: number } | undefined,
    private readonly meter: ProgressMeter,
    private readonly report: () => void,
    private readonly digest: boolean,
  ) {}

  open = (): Readable => {
    this.destroy();
    this.meter.add(-this.sent);
    this.sent = 0;
    const hash = this.digest ? createHash('md5') : undefined;
    this.hash = hash;
    const source = createReadStream(this.path, { ...this.range, highWaterMark: 256 * 1024 });
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        hash?.update(chunk);
        this.sent += chunk.length;
        this.meter.add(chunk.length);
        this.report();
        callback(null, chunk);
      },
    });
    source.on('error', (err) => counter.destroy(err));
    // The request listens for errors once it has the body; this keeps one from before that uncaught.
    counter.on('error', () => undefined);
    this.streams = [source, counter];
    return source.pipe(counter);
  };

  destroy(): void {
    for (const stream of this.streams) stream.destroy();
    this.streams = [];
  }

  /**
   * Stop a body that may be being sent: with an error, so that the request fails at once. A body
   * that just stops makes got wait for the rest, and Swift with it (client_timeout, 60 s).
   */
  abort(): void {
    for (const stream of this.streams) stream.destroy(new Error('upload stopped'));
    this.streams = [];
  }

  md5(): string {
    if (this.hash === undefined) throw new Error('this body was not digested');
    return this.hash.copy().digest('hex');
  }
}

/**
 * `fn` over `items`, at most `limit` at a time, results in input order. After a failure no new
 * item starts, and the call settles only when the ones in flight have, so nothing is still
 * writing to Swift when the caller cleans up.
 */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}

function uploadError(message: string, cause: unknown, path: string): TarballError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new TarballError('UPLOAD_FAILED', `${message}${detail}`, { path, cause });
}

/**
 * The body of a PUT that is read while the same bytes are being inspected: it passes chunks on
 * one behind, and lets the last one go only once the inspection has accepted the whole file.
 * If the inspection fails, the body fails instead, the request is cut short and Swift (which
 * commits an object only after Content-Length bytes) keeps whatever it had before.
 */
class HeldBackBody extends Transform {
  private held: Buffer | undefined;

  constructor(
    private readonly verdict: Promise<unknown>,
    private readonly onBytes: (count: number) => void,
  ) {
    super({ highWaterMark: 1024 * 1024 });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const previous = this.held;
    this.held = chunk;
    if (previous !== undefined) this.onBytes(previous.length);
    callback(null, previous);
  }

  override _flush(callback: TransformCallback): void {
    this.verdict.then(
      () => {
        if (this.held !== undefined) this.onBytes(this.held.length);
        callback(null, this.held);
      },
      (err: unknown) => callback(err as Error),
    );
  }
}

interface UploadContext {
  objectStorage: ObjectStorage;
  container: string;
  object: string;
  concurrency: number;
  emit: ((progress: UploadProgress) => void) | undefined;
  signal: AbortSignal | undefined;
}

/** Progress for the upload phase, throttled to one event per 250 ms plus the final one. */
function uploadReporter(ctx: UploadContext, size: number, segmentsTotal: number) {
  const meter = new ProgressMeter(size, undefined);
  let segmentsDone = 0;
  let last = -Infinity;
  const report = (final = false): void => {
    if (ctx.emit === undefined) return;
    const snapshot = meter.snapshot();
    if (!final && snapshot.elapsedMs - last < 250) return;
    last = snapshot.elapsedMs;
    ctx.emit({ ...snapshot, done: final, phase: 'upload', segmentsDone, segmentsTotal });
  };
  return {
    meter,
    report,
    segmentDone: (): void => {
      segmentsDone++;
      report();
    },
    finish: (): void => {
      segmentsDone = segmentsTotal;
      meter.finish();
      report(true);
    },
  };
}

const metadataHeaders = (digests: TarballDigests): Record<string, string> => ({ 'x-object-meta-sha256': digests.sha256, 'x-object-meta-sha512': digests.sha512 });

async function assertUnchangedOnDisk(file: { path: string; size: number; modifiedMs: number }): Promise<void> {
  const now = await stat(file.path);
  if (now.size !== file.size || now.mtimeMs !== file.modifiedMs) {
    throw new TarballError('UPLOAD_FAILED', `${file.path} changed after it was inspected; inspect it again before uploading`, { path: file.path });
  }
}

/** One PUT with the ETag known up front (Swift refuses a body that does not match it). */
async function putWhole(ctx: UploadContext, inspection: ServerTarballInspection): Promise<string> {
  const { path, size, digests } = inspection;
  const progress = uploadReporter(ctx, size, 1);
  // Bounded by the inspected size: bytes appended since are not sent (and the mtime check fails).
  const body = new PartBody(path, size > 0 ? { start: 0, end: size - 1 } : undefined, progress.meter, progress.report, false);
  const abort = (): void => body.abort();
  ctx.signal?.addEventListener('abort', abort, { once: true });
  try {
    const res = await ctx.objectStorage.service.request('PUT', encodePath(ctx.container, ctx.object), {
      body: body.open(),
      headers: { etag: digests.md5, 'content-length': String(size), 'content-type': 'application/gzip', ...metadataHeaders(digests) },
      context: { bodyFactory: body.open },
    });
    const etag = unquote(res.headers.etag) ?? digests.md5;
    if (etag !== digests.md5) throw new TarballError('UPLOAD_FAILED', `Swift stored ${ctx.container}/${ctx.object} with ETag ${etag}, expected ${digests.md5}`, { path });
    await assertUnchangedOnDisk(inspection);
    progress.finish();
    return etag;
  } finally {
    ctx.signal?.removeEventListener('abort', abort);
    body.destroy();
  }
}

/**
 * Segments in parallel (bounded), each checked against Swift's ETag, then the SLO manifest.
 * `inspection` may still be running (it reads the file on its own, alongside the segments): the
 * manifest, which is what makes the new object visible, is written only once it has passed.
 * If anything fails, this upload's segments are deleted and the previous object stays as it was.
 */
async function putSegments(
  ctx: UploadContext,
  file: { path: string; size: number; modifiedMs: number },
  segmentSize: number,
  count: number,
  inspection: Promise<ServerTarballInspection>,
): Promise<{ etag: string; keep: string; inspection: ServerTarballInspection }> {
  const { path, size } = file;
  const progress = uploadReporter(ctx, size, count);
  const keep = `${ctx.object}.segments/${Date.now().toString(36)}-${randomBytes(6).toString('hex')}/`;
  const bodies = new Set<PartBody>();
  let stopped = false;
  const stop = (): void => {
    stopped = true;
    bodies.forEach((b) => b.abort());
  };
  const inspected = inspection.catch((err: unknown) => {
    stop();
    throw err;
  });
  inspected.catch(() => undefined);
  ctx.signal?.addEventListener('abort', stop, { once: true });
  try {
    const ranges = Array.from({ length: count }, (_, index) => ({ index, start: index * segmentSize, end: Math.min(size, (index + 1) * segmentSize) - 1 }));
    const segments = await mapLimit(ranges, ctx.concurrency, async (range) => {
      if (stopped) throw new Error('upload stopped');
      const name = `${keep}${String(range.index).padStart(8, '0')}`;
      const bytes = range.end - range.start + 1;
      const body = new PartBody(path, { start: range.start, end: range.end }, progress.meter, progress.report, true);
      bodies.add(body);
      const res = await ctx.objectStorage.service.request('PUT', encodePath(ctx.container, name), {
        body: body.open(),
        headers: { 'content-length': String(bytes), 'content-type': 'application/octet-stream' },
        context: { bodyFactory: body.open },
      });
      bodies.delete(body);
      // Each segment's MD5 is computed as it is sent (one read per segment), then checked against Swift's.
      const local = body.md5();
      const stored = unquote(res.headers.etag);
      if (stored !== local) throw new TarballError('UPLOAD_FAILED', `Segment ${ctx.container}/${name} was stored with ETag ${stored}, but the bytes sent have MD5 ${local}`, { path });
      progress.segmentDone();
      return { path: `/${ctx.container}/${name}`, etag: local, size_bytes: bytes };
    });
    const result = await inspected;
    await assertUnchangedOnDisk(file);
    // A static large object's ETag is the MD5 of its segments' ETags (hex, concatenated); Swift checks it.
    const expected = createHash('md5').update(segments.map((s) => s.etag).join('')).digest('hex');
    const res = await ctx.objectStorage.service.request('PUT', encodePath(ctx.container, ctx.object), {
      searchParams: { 'multipart-manifest': 'put' },
      body: JSON.stringify(segments),
      headers: { 'content-type': 'application/gzip', etag: expected, ...metadataHeaders(result.digests) },
    });
    progress.finish();
    return { etag: unquote(res.headers.etag) ?? expected, keep, inspection: result };
  } catch (err) {
    stop();
    await deletePrefix(ctx.objectStorage, ctx.container, keep).catch(() => undefined);
    const inspectionFailure = await inspected.then(
      () => undefined,
      (e: unknown) => e,
    );
    throw inspectionFailure instanceof TarballError ? inspectionFailure : err;
  } finally {
    ctx.signal?.removeEventListener('abort', stop);
    bodies.forEach((b) => b.destroy());
  }
}

/**
 * Set the digests on the object. The client does not retry POSTs (not idempotent in general);
 * this one sets the same values every time, so it is retried here, a few times with a short pause.
 */
async function postMetadata(ctx: UploadContext, digests: TarballDigests): Promise<void> {
  const attempts = 4;
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.objectStorage.service.request('POST', encodePath(ctx.container, ctx.object), { headers: { 'content-type': 'application/gzip', ...metadataHeaders(digests) } });
      return;
    } catch (err) {
      const status = (err as { status?: number }).status;
      const retryable = status === undefined || status >= 500 || status === 408 || status === 413 || status === 429;
      if (!retryable || attempt === attempts || ctx.signal?.aborted) throw err;
      await defaultSleep(200 * attempt);
    }
  }
}

type StreamingOutcome = { kind: 'done'; inspection: ServerTarballInspection; etag: string } | { kind: 'retry'; inspection: ServerTarballInspection | undefined; cause: unknown };

/**
 * Read the file once: inspect it and send it in the same pass (the ETag cannot go in the
 * headers, because it is known only at the end). The last chunk is held back until the
 * inspection passes, and Swift's ETag is compared with the local MD5 afterwards, as swiftclient
 * does; the digests are for the caller to set as metadata (postMetadata). A transport failure is
 * handed back for the caller to redo with the replayable two-pass upload.
 */
async function putWhileInspecting(ctx: UploadContext, file: { path: string; size: number; modifiedMs: number }): Promise<StreamingOutcome> {
  const progress = uploadReporter(ctx, file.size, 1);
  const source = createReadStream(file.path, { highWaterMark: 1024 * 1024, ...(file.size > 0 ? { end: file.size - 1 } : {}) });
  const toInspect = new PassThrough({ highWaterMark: 1024 * 1024 });
  let putFailed = false;
  const inspecting = inspectTarballStream(toInspect, file);
  const verdict = inspecting.catch((err: unknown) => {
    if (!putFailed) {
      body.destroy(err as Error);
      source.destroy();
    }
    throw err;
  });
  verdict.catch(() => undefined);
  const body = new HeldBackBody(verdict, (n) => {
    progress.meter.add(n);
    progress.report();
  });
  source.on('error', (err) => {
    toInspect.destroy(err);
    body.destroy(err);
  });
  // The inspection can fail (a corrupt first chunk) before got has attached to the body, while the
  // request still waits for its token: an 'error' with no listener would end the process. The
  // failure itself reaches the caller through `inspecting`.
  body.on('error', () => undefined);
  source.pipe(toInspect);
  source.pipe(body);
  const abort = (): void => {
    source.destroy();
    body.destroy(new Error('aborted'));
  };
  ctx.signal?.addEventListener('abort', abort, { once: true });
  let etag: string | undefined;
  try {
    const res = await ctx.objectStorage.service.request('PUT', encodePath(ctx.container, ctx.object), {
      body,
      headers: { 'content-length': String(file.size), 'content-type': 'application/gzip' },
    });
    etag = unquote(res.headers.etag);
  } catch (err) {
    putFailed = true;
    // Let the inspection finish on its own: its result spares the retry a second read.
    source.unpipe(body);
    body.destroy();
    if (ctx.signal?.aborted) {
      source.destroy();
      toInspect.destroy();
      throw ctx.signal.reason ?? err;
    }
    const outcome = await inspecting.then(
      (result) => ({ result, failure: undefined }),
      (failure: unknown) => ({ result: undefined, failure }),
    );
    if (outcome.failure instanceof TarballError) throw outcome.failure;
    return { kind: 'retry', inspection: outcome.result, cause: err };
  } finally {
    ctx.signal?.removeEventListener('abort', abort);
  }
  const inspection = await inspecting;
  await assertUnchangedOnDisk(file);
  if (etag !== inspection.digests.md5) return { kind: 'retry', inspection, cause: new Error(`Swift answered ETag ${etag}, the bytes read have MD5 ${inspection.digests.md5}`) };
  progress.finish();
  return { kind: 'done', inspection, etag };
}

/** Wait for all, then fail with the first failure: nothing is left running behind an error. */
async function allSettledOrThrow(tasks: ReadonlyArray<Promise<unknown>>): Promise<void> {
  const failed = (await Promise.allSettled(tasks)).find((r) => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

/**
 * Upload the server tarball to `<container>/<CONTAINER_PREFIX>kubernetes-server-linux-amd64.tar.gz`.
 *
 * - The container is created when the object is not found; an object that already holds these
 *   bytes (same ETag, or same SHA-256 metadata and size) is left alone unless `force`.
 * - Up to the segment size it is one PUT; above it, segments in parallel (bounded) and a static
 *   large object manifest. SHA-256 and SHA-512 go on as object metadata.
 * - Given a path, the file is inspected (layout and digests) before anything is committed. When
 *   no remote object of the same size exists there is nothing to compare, so a file of at least
 *   `singlePassFrom` bytes is read only once: inspected while it is sent (see putWhileInspecting).
 * - Round trips: looking for the object and reading `/info` go out together (a small file's
 *   inspection starts with them); if the object is not there, creating the container; then the
 *   upload, with the listing of older segments beside it; then, only if needed, the digests POST
 *   and the deletion of old segments. An unchanged tarball costs the first round trip alone.
 * - The file is never held in memory: every body is a file stream, reopened by range on retry.
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
  const singlePassFrom = options.singlePassFrom ?? DEFAULT_SINGLE_PASS_FROM;
  if (typeof singlePassFrom !== 'number' || Number.isNaN(singlePassFrom) || singlePassFrom < 0) throw new TarballError('UPLOAD_OPTIONS_INVALID', `singlePassFrom must be a size in bytes, got ${singlePassFrom}`);
  const ctx: UploadContext = { objectStorage, container, object, concurrency, emit: options.onProgress, signal: options.signal };
  const given = typeof options.tarball === 'string' ? undefined : options.tarball;
  const file = given ?? (await statTarball(options.tarball as string));
  if (given !== undefined) await assertUnchangedOnDisk(given);

  const inspect = (): Promise<ServerTarballInspection> =>
    inspectServerTarball(file.path, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(ctx.emit ? { onProgress: (p) => ctx.emit?.({ ...p, phase: 'inspect', segmentsDone: 0, segmentsTotal: 0 }) } : {}),
    });
  // A small file is inspected from the start, while the first requests are out: its digests then
  // go with the PUT. A larger one is not read before it is known whether it must be compared.
  const early = given === undefined && file.size < singlePassFrom ? inspect() : undefined;
  early?.catch(() => undefined);

  try {
    // The object's HEAD and /info go out together. Only the HEAD carries the token: a Swift behind
    // keystonemiddleware validates a new token once per request until it has cached the answer, so
    // concurrent first requests each wait for a validation (measured on openstack-aio: N × 0.5 s).
    // A 404 does not say whether the container exists: it is created then (an idempotent PUT), a
    // round trip before the first upload under this name; a found object implies the container.
    const found = objectStorage.objects.find(container, object);
    const containerReady = found.then(async (head) => {
      if (head === undefined) await objectStorage.containers.ensure(container);
    });
    containerReady.catch(() => undefined);
    const [remote, limits] = await Promise.all([found, clusterLimits(objectStorage)]);
    const plan = planUpload(file.size, options.segmentSize ?? DEFAULT_SEGMENT_SIZE, limits);
    const mayBeUnchanged = !options.force && remote !== undefined && remote.contentLength === file.size;

    let inspection = given;
    if (inspection === undefined && (mayBeUnchanged || (early !== undefined && plan.segmentSize === undefined))) inspection = await (early ?? inspect());
    if (inspection !== undefined && !options.force && remote !== undefined && remoteMatches(remote, inspection)) {
      ctx.emit?.({ bytesDone: inspection.size, bytesTotal: inspection.size, bytesPerSecond: 0, etaSeconds: 0, elapsedMs: 0, done: true, phase: 'upload', segmentsDone: 0, segmentsTotal: 0 });
      return { container, object, size: inspection.size, digests: inspection.digests, etag: remote.etag ?? inspection.digests.md5, uploaded: false, segments: 0, segmentSize: undefined };
    }

    await containerReady;
    // Segments of earlier uploads of this object (another file or segment size) are garbage once
    // the new object is in place: listed while it is sent, deleted after (with the digests POST, if any).
    const older = listNames(objectStorage, container, `${object}.segments/`);
    older.catch(() => undefined);
    const finish = async (sent: ServerTarballInspection, fields: Pick<UploadedTarball, 'etag' | 'segments' | 'segmentSize'>, keepSegments?: string, alongside: Promise<void>[] = []): Promise<UploadedTarball> => {
      await allSettledOrThrow([removeStaleSegments(objectStorage, container, older, keepSegments), ...alongside]);
      return { container, object, size: sent.size, digests: sent.digests, uploaded: true, ...fields };
    };

    if (inspection === undefined && plan.segmentSize !== undefined) {
      // Nothing remote to compare with: inspect alongside the segment uploads, not before them.
      const slo = await putSegments(ctx, file, plan.segmentSize, plan.segments, early ?? inspectServerTarball(file.path, options.signal ? { signal: options.signal } : {}));
      return await finish(slo.inspection, { etag: slo.etag, segments: plan.segments, segmentSize: plan.segmentSize }, slo.keep);
    }
    if (inspection === undefined) {
      const streamed = await putWhileInspecting(ctx, file);
      if (streamed.kind === 'done') return await finish(streamed.inspection, { etag: streamed.etag, segments: 0, segmentSize: undefined }, undefined, [postMetadata(ctx, streamed.inspection.digests)]);
      inspection = streamed.inspection;
    }
    inspection ??= await inspect();
    if (plan.segmentSize === undefined) {
      return await finish(inspection, { etag: await putWhole(ctx, inspection), segments: 0, segmentSize: undefined });
    }
    const slo = await putSegments(ctx, inspection, plan.segmentSize, plan.segments, Promise.resolve(inspection));
    return await finish(slo.inspection, { etag: slo.etag, segments: plan.segments, segmentSize: plan.segmentSize }, slo.keep);
  } catch (err) {
    if (err instanceof TarballError) throw err;
    if (options.signal?.aborted) throw options.signal.reason ?? err;
    throw uploadError(`Upload of ${file.path} to ${container}/${object} failed`, err, file.path);
  }
}

async function listNames(objectStorage: ObjectStorage, container: string, prefix: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of objectStorage.objects.list(container, { prefix })) if ('name' in entry) names.push(entry.name);
  return names;
}

/** Every listed object but this upload's own segments (under `keep`). */
async function removeStaleSegments(objectStorage: ObjectStorage, container: string, listed: Promise<string[]>, keep: string | undefined): Promise<void> {
  const stale = (await listed).filter((name) => keep === undefined || !name.startsWith(keep));
  await mapLimit(stale, 4, (name) => objectStorage.objects.delete(container, name, { ignoreMissing: true }));
}

/** Every object under `prefix` (the segments of one failed upload). */
async function deletePrefix(objectStorage: ObjectStorage, container: string, prefix: string): Promise<void> {
  await mapLimit(await listNames(objectStorage, container, prefix), 4, (name) => objectStorage.objects.delete(container, name, { ignoreMissing: true }));
}
