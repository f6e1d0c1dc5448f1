import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { TarballError } from './errors.js';
import { SERVER_TARBALL_NAME } from './layout.js';
import { ProgressMeter } from './progress.js';
import type { ProgressListener } from './progress.js';

export const DEFAULT_RELEASE_BASE_URL = 'https://dl.k8s.io/release';

/** `v1.MINOR.PATCH`, optionally `-alpha.N`, `-beta.N` or `-rc.N`, as Kubernetes tags its releases. */
const VERSION_PATTERN = /^v1\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-(alpha|beta|rc)\.(0|[1-9][0-9]*))?$/u;

export function validateReleaseVersion(version: string): string {
  if (!VERSION_PATTERN.test(version)) {
    throw new TarballError('RELEASE_VERSION_INVALID', `Release version ${JSON.stringify(version)} is not of the form v1.MINOR.PATCH (e.g. v1.30.2; -alpha.N, -beta.N, -rc.N allowed)`);
  }
  return version;
}

/** The published tarball and its `.sha512` (the layout of dl.k8s.io: `<base>/<version>/<file>`). */
export function releaseUrls(version: string, baseUrl = DEFAULT_RELEASE_BASE_URL): { tarball: string; sha512: string } {
  validateReleaseVersion(version);
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch (err) {
    throw new TarballError('RELEASE_DOWNLOAD_FAILED', `Release base URL ${JSON.stringify(baseUrl)} is not a URL`, { cause: err });
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new TarballError('RELEASE_DOWNLOAD_FAILED', `Release base URL must be http(s), got ${base.protocol}`);
  }
  const tarball = `${base.toString().replace(/\/+$/u, '')}/${version}/${SERVER_TARBALL_NAME}`;
  return { tarball, sha512: `${tarball}.sha512` };
}

/** `$RAX_KUBE_HOME`, else `~/.rax-kube` (the same rule as cluster-up's secrets store). */
export function raxKubeHome(env: Record<string, string | undefined> = process.env): string {
  return env.RAX_KUBE_HOME || join(homedir(), '.rax-kube');
}

export function releaseCacheDir(version: string, home: string): string {
  return join(home, 'releases', validateReleaseVersion(version));
}

export interface FetchReleaseOptions {
  /** e.g. `v1.30.2`. */
  version: string;
  /** Default `https://dl.k8s.io/release`. */
  baseUrl?: string;
  /** Cache root; default `raxKubeHome(env)`. The file lands in `<home>/releases/<version>/`. */
  home?: string;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Re-hash a cached file before reuse (default true); false trusts the cache record. */
  verifyCache?: boolean;
}

export interface FetchedRelease {
  version: string;
  path: string;
  size: number;
  /** The published SHA-512 the file was verified against. */
  sha512: string;
  /** True when a verified cached copy was used and nothing was downloaded. */
  fromCache: boolean;
  url: string;
}

/** A `.sha512` file holds the bare hex digest, or sha512sum's `<hex>  <name>` line. */
export function parseSha512File(text: string, url: string): string {
  const token = text.trim().split(/\s+/u)[0] ?? '';
  if (!/^[0-9a-fA-F]{128}$/u.test(token)) {
    throw new TarballError('RELEASE_DOWNLOAD_FAILED', `${url} does not contain a SHA-512 digest (expected 128 hex digits)`, { path: url });
  }
  return token.toLowerCase();
}

async function sha512OfFile(path: string): Promise<string> {
  const hash = createHash('sha512');
  await pipeline(createReadStream(path, { highWaterMark: 1024 * 1024 }), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) hash.update(chunk);
  });
  return hash.digest('hex');
}

async function get(url: string, signal: AbortSignal | undefined): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: 'follow' });
  } catch (err) {
    if (signal?.aborted) throw err;
    const reason = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    throw new TarballError('RELEASE_DOWNLOAD_FAILED', `Could not reach ${url}: ${reason}`, { path: url, cause: err });
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    const hint = response.status === 404 ? ' (no such release? check the version and the base URL)' : '';
    throw new TarballError('RELEASE_DOWNLOAD_FAILED', `GET ${url} answered ${response.status} ${response.statusText}${hint}`, { path: url });
  }
  return response;
}

async function readCache(path: string, recordPath: string, verify: boolean): Promise<{ sha512: string; size: number } | undefined> {
  const [record, info] = await Promise.all([readFile(recordPath, 'utf8').catch(() => undefined), stat(path).catch(() => undefined)]);
  if (record === undefined || !info?.isFile()) return undefined;
  let expected: string;
  try {
    expected = parseSha512File(record, recordPath);
  } catch {
    return undefined;
  }
  if (verify && (await sha512OfFile(path)) !== expected) return undefined;
  return { sha512: expected, size: info.size };
}

/**
 * Download an official server tarball, verified against its published `.sha512` while it streams
 * to a temporary file; the file gets its real name only once verified, and a verified cached copy
 * is reused without touching the network.
 */
export async function fetchRelease(options: FetchReleaseOptions): Promise<FetchedRelease> {
  const version = validateReleaseVersion(options.version);
  const urls = releaseUrls(version, options.baseUrl);
  const dir = releaseCacheDir(version, options.home ?? raxKubeHome(options.env));
  const path = join(dir, SERVER_TARBALL_NAME);
  const recordPath = `${path}.sha512`;

  const cached = await readCache(path, recordPath, options.verifyCache ?? true);
  if (cached !== undefined) return { version, path, size: cached.size, sha512: cached.sha512, fromCache: true, url: urls.tarball };

  const digestResponse = await get(urls.sha512, options.signal);
  const expected = parseSha512File(await digestResponse.text(), urls.sha512);

  await mkdir(dir, { recursive: true });
  const suffix = `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = `${path}${suffix}`;
  let out: WriteStream | undefined;
  try {
    const response = await get(urls.tarball, options.signal);
    const lengthHeader = response.headers.get('content-length');
    const declared = lengthHeader !== null && /^[0-9]+$/u.test(lengthHeader) ? Number(lengthHeader) : undefined;
    if (response.body === null) throw new TarballError('RELEASE_DOWNLOAD_FAILED', `GET ${urls.tarball} returned no body`, { path: urls.tarball });
    const hash = createHash('sha512');
    const meter = new ProgressMeter(declared, options.onProgress);
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        meter.add(chunk.length);
        callback(null, chunk);
      },
    });
    try {
      out = createWriteStream(temp);
      await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), tap, out, { signal: options.signal });
    } catch (err) {
      if (options.signal?.aborted) throw err;
      throw new TarballError('RELEASE_DOWNLOAD_FAILED', `Download of ${urls.tarball} broke off after ${meter.bytesDone} bytes: ${(err as Error).message}`, {
        path: urls.tarball,
        cause: err,
      });
    }
    meter.finish();
    if (declared !== undefined && meter.bytesDone !== declared) {
      throw new TarballError('RELEASE_DOWNLOAD_FAILED', `Download of ${urls.tarball} is incomplete: ${meter.bytesDone} of ${declared} bytes`, { path: urls.tarball });
    }
    const actual = hash.digest('hex');
    if (actual !== expected) {
      throw new TarballError('RELEASE_DIGEST_MISMATCH', `${urls.tarball} does not match its published SHA-512 (expected ${expected}, got ${actual}); the file was discarded`, {
        path: urls.tarball,
      });
    }
    await rm(recordPath, { force: true });
    await rename(temp, path);
    // The record is written last: its presence is what marks the cached tarball as verified.
    await writeFile(`${recordPath}${suffix}`, `${expected}  ${SERVER_TARBALL_NAME}\n`);
    await rename(`${recordPath}${suffix}`, recordPath);
    return { version, path, size: meter.bytesDone, sha512: expected, fromCache: false, url: urls.tarball };
  } finally {
    // A pipeline that failed early can reject while the file is still being opened: wait for the
    // stream to close, or the file appears after it was removed.
    if (out && !out.closed) await once(out, 'close').catch(() => undefined);
    await rm(temp, { force: true });
    await rm(`${recordPath}${suffix}`, { force: true });
  }
}
