import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OpenStackError, isOpenStackError, isStatus } from '../../errors.js';
import { redactUrl } from '../../redact.js';
import type { ServiceClient } from '../../service.js';
import { decideRetry } from '../../transport/backoff.js';
import { errorFromResponse } from '../../transport/transport.js';
import type { TransportContext } from '../../transport/transport.js';
import type { ObjectStorageDeps } from '../deps.js';
import type { ObjectEntry, ObjectHead, ObjectSubdir, UploadOptions, UploadResult } from '../types.js';
import { objectPath, containerPath } from '../urls.js';
import { swiftListing } from '../containers/requests.js';
import { metadataFromHeaders } from '../account/requests.js';

const unquote = (s: string | undefined): string | undefined => (s === undefined ? undefined : s.replace(/^"|"$/g, ''));

/** MD5 hex of a file or a byte range of it (streamed, constant memory). */
export async function md5OfFile(path: string, range?: { start: number; end: number }): Promise<string> {
  const hash = createHash('md5');
  await pipeline(createReadStream(path, range ?? {}), hash);
  return hash.digest('hex');
}

function headFrom(headers: Record<string, unknown>): ObjectHead {
  const h = (k: string): string | undefined => (headers[k] === undefined ? undefined : String(headers[k]));
  return {
    etag: unquote(h('etag')),
    contentLength: h('content-length') === undefined ? undefined : Number(h('content-length')),
    contentType: h('content-type'),
    lastModified: h('last-modified'),
    metadata: metadataFromHeaders(headers, 'x-object-meta-'),
    staticLargeObject: h('x-static-large-object') === 'True' || h('x-static-large-object') === 'true',
  };
}

export async function headObject(svc: ServiceClient, container: string, name: string): Promise<ObjectHead> {
  const res = await svc.request('HEAD', objectPath(container, name));
  return headFrom(res.headers);
}

/** HEAD that answers undefined for a missing object. */
export async function findObject(svc: ServiceClient, container: string, name: string): Promise<ObjectHead | undefined> {
  try {
    return await headObject(svc, container, name);
  } catch (err) {
    if (isStatus(err, 404)) return undefined;
    throw err;
  }
}

export type UploadSource = string | Buffer | Readable;

/**
 * PUT one object (≤ 5 GiB). A file path is streamed and can be replayed on retry or re-auth; a
 * Buffer likewise; a bare Readable is sent once (its MD5 is computed on the way and compared with
 * Swift's ETag afterwards).
 */
export async function uploadObject(svc: ServiceClient, container: string, name: string, source: UploadSource, opts: UploadOptions = {}): Promise<UploadResult> {
  const headers: Record<string, string> = { ...opts.headers };
  headers['content-type'] = opts.contentType ?? 'application/octet-stream';
  for (const [k, v] of Object.entries(opts.metadata ?? {})) headers[`x-object-meta-${k}`] = v;

  let etag = opts.etag;
  let bytes: number | undefined;
  let body: Buffer | Readable;
  let context: TransportContext = {};
  let streamHash: ReturnType<typeof createHash> | undefined;

  if (typeof source === 'string') {
    bytes = (await stat(source)).size;
    etag ??= await md5OfFile(source);
    body = createReadStream(source);
    context = { bodyFactory: () => createReadStream(source) };
    headers['content-length'] = String(bytes);
  } else if (Buffer.isBuffer(source)) {
    bytes = source.length;
    etag ??= createHash('md5').update(source).digest('hex');
    body = source;
  } else {
    streamHash = createHash('md5');
    const hash = streamHash;
    const tee = new PassThrough();
    source.on('data', (chunk: Buffer) => hash.update(chunk));
    source.on('error', (err) => tee.destroy(err));
    source.pipe(tee);
    body = tee;
  }

  if (opts.skipIfUnchanged && etag) {
    const remote = await findObject(svc, container, name);
    if (remote?.etag === etag) {
      if (typeof body !== 'string' && body instanceof Readable) body.destroy();
      return { etag, uploaded: false, bytes };
    }
  }
  if (etag) headers.etag = etag;

  const res = await svc.request('PUT', objectPath(container, name), { body, headers, context });
  const remoteEtag = unquote(res.headers.etag as string | undefined);
  const localEtag = etag ?? streamHash?.digest('hex');
  if (remoteEtag && localEtag && remoteEtag !== localEtag) {
    throw new OpenStackError({ code: 'CHECKSUM_MISMATCH', message: `uploaded ${container}/${name} but Swift's ETag ${remoteEtag} differs from the local MD5 ${localEtag}` });
  }
  return { etag: remoteEtag ?? localEtag ?? '', uploaded: true, bytes };
}

export interface DownloadResult {
  stream: Readable;
  head: ObjectHead;
  status: number;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * GET as a stream. got's promise hooks do not run for streams, so the retry (idempotent GET:
 * connection errors, 5xx, 413/429) and the single re-auth on 401 happen here, before the first
 * byte is handed to the caller.
 */
export async function downloadObject(
  svc: ServiceClient,
  container: string,
  name: string,
  deps: ObjectStorageDeps,
  opts: { range?: string; headers?: Record<string, string> } = {},
): Promise<DownloadResult> {
  const url = await svc.url(objectPath(container, name));
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.range) headers.range = opts.range;
  let reauthenticated = false;
  for (let attempt = 1; ; attempt++) {
    const context: TransportContext = {};
    const outcome = await new Promise<{ stream: Readable & { options?: { context?: TransportContext } }; status: number; resHeaders: Record<string, string | string[] | undefined>; statusMessage: string | undefined } | { error: unknown }>((resolve) => {
      const stream = svc.http.stream(url, { headers, context, throwHttpErrors: false, retry: { limit: 0 } });
      stream.once('response', (response: { statusCode: number; headers: Record<string, string | string[] | undefined>; statusMessage?: string }) =>
        resolve({ stream, status: response.statusCode, resHeaders: response.headers, statusMessage: response.statusMessage }),
      );
      stream.once('error', (error: unknown) => resolve({ error }));
    });
    if ('error' in outcome) {
      const err = outcome.error;
      const code = isOpenStackError(err) ? (err.cause as { code?: string } | undefined)?.code : undefined;
      const d = decideRetry({ attempt, method: 'GET', ...(code ? { errorCode: code } : {}), nowMs: deps.now(), random: deps.random() }, deps.retry);
      if (!d.retry) throw err;
      deps.logger.warn(`retrying GET ${redactUrl(url, deps.redactor)} after ${code} in ${d.delayMs} ms`);
      await deps.sleep(d.delayMs);
      continue;
    }
    const { stream, status } = outcome;
    if (status < 400) return { stream, head: headFrom(outcome.resHeaders), status };
    const body = await readAll(stream);
    if (status === 401 && deps.auth && !reauthenticated) {
      reauthenticated = true;
      const sent = (stream as { options?: { context?: TransportContext } }).options?.context?.sentToken ?? '';
      await deps.auth.reauthenticate(sent);
      attempt -= 1;
      continue;
    }
    const retryAfter = outcome.resHeaders['retry-after'];
    const d = decideRetry(
      { attempt, method: 'GET', status, ...(retryAfter ? { retryAfter: String(retryAfter) } : {}), nowMs: deps.now(), random: deps.random() },
      deps.retry,
    );
    if (d.retry) {
      deps.logger.warn(`retrying GET ${redactUrl(url, deps.redactor)} after ${status} in ${d.delayMs} ms`);
      await deps.sleep(d.delayMs);
      continue;
    }
    throw errorFromResponse(
      { status, statusMessage: outcome.statusMessage, headers: outcome.resHeaders, body, method: 'GET', url: redactUrl(url, deps.redactor), attempts: attempt },
      deps.redactor,
    );
  }
}

/** GET into memory (small objects). */
export async function getObjectBuffer(svc: ServiceClient, container: string, name: string, deps: ObjectStorageDeps): Promise<Buffer> {
  const { stream } = await downloadObject(svc, container, name, deps);
  return readAll(stream);
}

export async function deleteObject(
  svc: ServiceClient,
  container: string,
  name: string,
  opts: { ignoreMissing?: boolean; /** Also delete an SLO's segments. */ withSegments?: boolean } = {},
): Promise<void> {
  try {
    await svc.request('DELETE', objectPath(container, name), opts.withSegments ? { searchParams: { 'multipart-manifest': 'delete' } } : {});
  } catch (err) {
    if (opts.ignoreMissing && isStatus(err, 404)) return;
    throw err;
  }
}

export function listObjects(
  svc: ServiceClient,
  container: string,
  opts: { prefix?: string; delimiter?: string; limit?: number } = {},
): AsyncGenerator<ObjectEntry | ObjectSubdir, void, undefined> {
  return swiftListing<ObjectEntry | ObjectSubdir>(svc, containerPath(container), (o) => ('subdir' in o ? o.subdir : o.name), {
    prefix: opts.prefix,
    delimiter: opts.delimiter,
    limit: opts.limit,
  });
}
