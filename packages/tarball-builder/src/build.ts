import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DigestTap } from './digest.js';
import type { TarballDigests } from './digest.js';
import { TarballError } from './errors.js';
import { REQUIRED_SERVER_BINARIES, SERVER_BIN_DIR } from './layout.js';
import { formatMode } from './inspect.js';
import { ReproducibleGzip } from './tar/gzip.js';
import { tarStream } from './tar/writer.js';
import type { TarSource, TarWriteEntry } from './tar/writer.js';

/** One file to put in a reproducible archive. */
export interface ArchiveFile {
  /** Relative archive path with `/` separators, e.g. `kubernetes/server/bin/kubelet`. */
  path: string;
  source: TarSource;
  /** Stored as 0755 when true, else 0644. */
  executable: boolean;
  /** Required for file sources (known from stat); taken from the data for byte sources. */
  size?: number;
}

export interface ReproducibleArchiveOptions {
  /** Seconds since the epoch stamped on every entry; default 0. */
  mtime?: number;
  /** gzip level 1-9; default 6 (gzip's own default). Part of the input: another level, other bytes. */
  level?: number;
}

export interface BuiltTarball {
  path: string;
  size: number;
  digests: TarballDigests;
  entryCount: number;
}

/** Fixed ownership: archives built from the same files by different users must not differ. */
const OWNER = { uid: 0, gid: 0, uname: 'root', gname: 'root' } as const;

function checkArchivePath(path: string): void {
  const segments = path.split('/');
  if (path === '' || path.startsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new TarballError('BUILD_INPUT_INVALID', `Archive path ${JSON.stringify(path)} must be relative, without empty, "." or ".." segments`);
  }
}

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * The entry list of a reproducible archive: every parent directory made explicit, entries in
 * byte order of their paths, fixed mtime and owner, modes 0755 (directories, executables) or 0644.
 * Pure: the same files in any order give the same list.
 */
export function planArchive(files: readonly ArchiveFile[], options: ReproducibleArchiveOptions = {}): TarWriteEntry[] {
  const mtime = options.mtime ?? 0;
  const dirs = new Set<string>();
  const seen = new Set<string>();
  for (const file of files) {
    checkArchivePath(file.path);
    if (seen.has(file.path)) throw new TarballError('BUILD_INPUT_INVALID', `Archive path ${JSON.stringify(file.path)} is given twice`);
    seen.add(file.path);
    const parts = file.path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  for (const dir of dirs) {
    if (seen.has(dir)) throw new TarballError('BUILD_INPUT_INVALID', `Archive path ${JSON.stringify(dir)} is both a file and a directory`);
  }
  const entries: TarWriteEntry[] = [
    ...[...dirs].map((dir): TarWriteEntry => ({ path: `${dir}/`, type: 'directory', mode: 0o755, mtime, ...OWNER })),
    ...files.map(
      (file): TarWriteEntry => ({
        path: file.path,
        type: 'file',
        mode: file.executable ? 0o755 : 0o644,
        mtime,
        ...OWNER,
        size: file.source.kind === 'bytes' ? file.source.data.length : file.size,
        source: file.source,
      }),
    ),
  ];
  return entries.sort((a, b) => byteOrder(a.path.replace(/\/$/u, ''), b.path.replace(/\/$/u, '')));
}

/**
 * Write a reproducible .tar.gz: to a temporary file next to `output`, renamed into place only when
 * complete, so a crash never leaves a half-written tarball under the real name.
 */
export async function writeReproducibleTarball(files: readonly ArchiveFile[], output: string, options: ReproducibleArchiveOptions = {}): Promise<BuiltTarball> {
  const level = options.level ?? 6;
  if (!Number.isInteger(level) || level < 1 || level > 9) throw new TarballError('BUILD_INPUT_INVALID', `gzip level must be 1-9, got ${level}`);
  const entries = planArchive(files, options);
  const path = resolve(output);
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const tap = new DigestTap();
  try {
    await pipeline(Readable.from(tarStream(entries)), new ReproducibleGzip(level), tap, createWriteStream(temp, { mode: 0o644 }));
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    if (err instanceof RangeError) throw new TarballError('BUILD_INPUT_INVALID', `Cannot build ${path}: ${err.message}`, { path, cause: err });
    throw err;
  }
  return { path, size: tap.accumulator.bytes, digests: tap.accumulator.digest(), entryCount: entries.length };
}

export interface BuildServerTarballOptions extends ReproducibleArchiveOptions {
  /** A directory whose files (recursively, symlinks followed) become `kubernetes/server/bin/…`. */
  binDir: string;
  /** Where to write the .tar.gz. */
  output: string;
  /** More members, e.g. `kubernetes/LICENSES`; paths relative to the archive root. */
  extraFiles?: ArchiveFile[];
}

/** Regular files under `dir`, following symlinks; paths relative to `dir` with `/` separators. */
async function listFiles(dir: string): Promise<Array<{ relPath: string; absPath: string; size: number; mode: number }>> {
  const out: Array<{ relPath: string; absPath: string; size: number; mode: number }> = [];
  const walk = async (current: string): Promise<void> => {
    for (const name of await readdir(current)) {
      const absPath = join(current, name);
      const info = await stat(absPath);
      if (info.isDirectory()) await walk(absPath);
      else if (info.isFile()) out.push({ relPath: relative(dir, absPath).split(sep).join('/'), absPath, size: info.size, mode: info.mode });
    }
  };
  await walk(dir);
  return out;
}

/**
 * Build a server tarball in the release layout from a directory of binaries. Whether a file is
 * executable comes from its mode on disk; the five required binaries must be there and executable.
 */
export async function buildServerTarball(options: BuildServerTarballOptions): Promise<BuiltTarball> {
  const binDir = resolve(options.binDir);
  const dirInfo = await stat(binDir).catch(() => undefined);
  if (!dirInfo?.isDirectory()) throw new TarballError('BUILD_INPUT_INVALID', `Binary directory ${binDir} does not exist or is not a directory`, { path: binDir });
  const found = await listFiles(binDir);
  const byName = new Map(found.map((f) => [f.relPath, f]));
  const problems: string[] = [];
  for (const name of REQUIRED_SERVER_BINARIES) {
    const file = byName.get(name);
    if (file === undefined) problems.push(`${name} is missing`);
    else if ((file.mode & 0o111) === 0) problems.push(`${name} is not executable (mode ${formatMode(file.mode)})`);
  }
  if (problems.length > 0) throw new TarballError('BUILD_INPUT_INVALID', `Cannot build a server tarball from ${binDir}:\n  ${problems.join('\n  ')}`, { path: binDir });
  const files: ArchiveFile[] = found.map((f) => ({
    path: `${SERVER_BIN_DIR}/${f.relPath}`,
    source: { kind: 'file', path: f.absPath },
    executable: (f.mode & 0o111) !== 0,
    size: f.size,
  }));
  return writeReproducibleTarball([...files, ...(options.extraFiles ?? [])], options.output, options);
}
