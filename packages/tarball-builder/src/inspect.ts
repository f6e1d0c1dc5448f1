import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { DigestTap } from './digest.js';
import type { TarballDigests } from './digest.js';
import { TarballError } from './errors.js';
import { REQUIRED_SERVER_BINARIES, SERVER_BIN_DIR } from './layout.js';
import type { ServerBinary } from './layout.js';
import { ProgressMeter } from './progress.js';
import type { ProgressListener } from './progress.js';
import { TarFormatError } from './tar/header.js';
import { createTarParserStream } from './tar/reader.js';
import type { TarEntry } from './tar/reader.js';

export interface TarballEntrySummary {
  /** Normalised: no leading `./`, no trailing `/`. */
  path: string;
  type: TarEntry['type'];
  mode: number;
  size: number;
}

export interface ServerTarballInspection {
  /** Absolute path of the file inspected. */
  path: string;
  /** Size of the compressed file in bytes. */
  size: number;
  /** The file's mtime when inspected: upload refuses a file that changed since. */
  modifiedMs: number;
  /** Digests of the compressed file, as uploaded. */
  digests: TarballDigests;
  entryCount: number;
  /** Sum of the member sizes (the unpacked payload). */
  unpackedSize: number;
  entries: TarballEntrySummary[];
  /** The required binaries as found (each a regular file with an executable bit). */
  binaries: Record<ServerBinary, { size: number; mode: number }>;
}

export interface InspectOptions {
  signal?: AbortSignal;
  /** Bytes of the compressed file read so far (a 2 GiB tarball takes a few seconds). */
  onProgress?: ProgressListener;
}

export const normaliseEntryPath = (path: string): string => path.replace(/^(\.\/)+/u, '').replace(/\/+$/u, '');

/**
 * Read a server tarball once, as a stream: digest the compressed bytes (MD5, SHA-256, SHA-512),
 * gunzip and walk the tar headers, and check that the five server binaries are there as
 * executable regular files. Memory use does not grow with the file.
 */
export async function inspectServerTarball(file: string, options: InspectOptions = {}): Promise<ServerTarballInspection> {
  const { path, size, modifiedMs } = await statTarball(file);
  return inspectTarballStream(createReadStream(path, { highWaterMark: 1024 * 1024 }), { path, size, modifiedMs }, options);
}

/** Resolve and stat a tarball path, with TARBALL_NOT_FOUND for anything but a regular file. */
export async function statTarball(file: string): Promise<{ path: string; size: number; modifiedMs: number }> {
  const path = resolve(file);
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new TarballError('TARBALL_NOT_FOUND', `Tarball ${path} does not exist`, { path, searched: [path], cause: err });
    throw err;
  });
  if (!info.isFile()) throw new TarballError('TARBALL_NOT_FOUND', `Tarball ${path} is not a regular file`, { path, searched: [path] });
  return { path, size: info.size, modifiedMs: info.mtimeMs };
}

/**
 * Inspect the bytes of a tarball as they arrive from `source` (the file, or one branch of a tee
 * when the upload reads the file at the same time). `file` describes where they come from.
 */
export async function inspectTarballStream(
  source: Readable,
  file: { path: string; size: number; modifiedMs: number },
  options: InspectOptions = {},
): Promise<ServerTarballInspection> {
  const { path } = file;
  const entries: TarballEntrySummary[] = [];
  const meter = new ProgressMeter(file.size, options.onProgress);
  const tap = new DigestTap((n) => meter.add(n));
  const sink = createTarParserStream({
    onEntry(entry) {
      entries.push({ path: normaliseEntryPath(entry.path), type: entry.type, mode: entry.mode, size: entry.size });
    },
  });
  try {
    // Large output chunks: with zlib's 16 KiB default, the per-chunk round trips cost three times the inflating.
    await pipeline(source, tap, createGunzip({ chunkSize: 256 * 1024 }), sink, ...(options.signal ? [{ signal: options.signal }] : []));
  } catch (err) {
    throw describeReadFailure(path, err);
  }
  const digests = tap.accumulator.digest();
  meter.finish();

  const problems: string[] = [];
  const binaries: Partial<Record<ServerBinary, { size: number; mode: number }>> = {};
  const byPath = new Map(entries.map((e) => [e.path, e]));
  for (const name of REQUIRED_SERVER_BINARIES) {
    const entryPath = `${SERVER_BIN_DIR}/${name}`;
    const entry = byPath.get(entryPath);
    if (entry === undefined) problems.push(`${entryPath} is missing`);
    else if (entry.type !== 'file') problems.push(`${entryPath} is a ${entry.type}, not a regular file`);
    else if ((entry.mode & 0o111) === 0) problems.push(`${entryPath} is not executable (mode ${formatMode(entry.mode)})`);
    else binaries[name] = { size: entry.size, mode: entry.mode };
  }
  if (problems.length > 0) {
    throw new TarballError('TARBALL_INVALID_LAYOUT', `${path} is not a usable Kubernetes server tarball:\n  ${problems.join('\n  ')}`, { path });
  }
  return {
    path,
    size: tap.accumulator.bytes,
    modifiedMs: file.modifiedMs,
    digests,
    entryCount: entries.length,
    unpackedSize: entries.reduce((sum, e) => sum + (e.type === 'file' ? e.size : 0), 0),
    entries,
    binaries: binaries as Record<ServerBinary, { size: number; mode: number }>,
  };
}

export const formatMode = (mode: number): string => `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;

function describeReadFailure(path: string, err: unknown): unknown {
  if (err instanceof TarFormatError) {
    return new TarballError(err.kind === 'truncated' ? 'TARBALL_TRUNCATED' : 'TARBALL_CORRUPT', `${path}: ${err.kind === 'truncated' ? 'truncated tar archive' : 'corrupt tar archive'}: ${err.message}`, {
      path,
      cause: err,
    });
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  // zlib reports a stream that stops early as Z_BUF_ERROR ("unexpected end of file").
  if (code === 'Z_BUF_ERROR') {
    return new TarballError('TARBALL_TRUNCATED', `${path}: truncated gzip stream (the file ends early; an interrupted download or copy?)`, { path, cause: err });
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new TarballError('TARBALL_CORRUPT', `${path}: not a valid gzip file (${(err as Error).message})`, { path, cause: err });
  }
  return err;
}
