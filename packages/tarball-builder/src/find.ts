import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TarballError } from './errors.js';
import { SERVER_TARBALL_NAME } from './layout.js';

export interface FindServerTarballOptions {
  /** An explicit tarball path; wins over everything else (the CLI's `--tarball`). */
  tarball?: string;
  /** The Kubernetes tree to look in; default `$KUBE_ROOT`, else the working directory. */
  kubeRoot?: string;
  /** Environment to read `KUBE_SERVER_TARBALL` and `KUBE_ROOT` from; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Base for relative paths; default `process.cwd()`. */
  cwd?: string;
}

export interface FoundServerTarball {
  /** Absolute path of the tarball. */
  path: string;
  /** How it was found. */
  source: 'option' | 'env' | 'server' | 'release-tars';
  size: number;
}

/** The candidate paths, in the order `kube-up` looked at them. */
export function serverTarballCandidates(options: FindServerTarballOptions = {}): Array<{ path: string; source: FoundServerTarball['source'] }> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  if (options.tarball !== undefined && options.tarball !== '') return [{ path: resolve(cwd, options.tarball), source: 'option' }];
  const fromEnv = env.KUBE_SERVER_TARBALL;
  if (fromEnv !== undefined && fromEnv !== '') return [{ path: resolve(cwd, fromEnv), source: 'env' }];
  const root = resolve(cwd, options.kubeRoot ?? (env.KUBE_ROOT || '.'));
  return [
    { path: join(root, 'server', SERVER_TARBALL_NAME), source: 'server' },
    { path: join(root, '_output', 'release-tars', SERVER_TARBALL_NAME), source: 'release-tars' },
  ];
}

/**
 * Locate the server tarball: an explicit path (option, then `KUBE_SERVER_TARBALL`) is the only
 * candidate when given, since silently falling back would upload something the user did not name.
 */
export async function findServerTarball(options: FindServerTarballOptions = {}): Promise<FoundServerTarball> {
  const candidates = serverTarballCandidates(options);
  const looked: string[] = [];
  for (const candidate of candidates) {
    const info = await stat(candidate.path).catch(() => undefined);
    if (info?.isFile()) return { path: candidate.path, source: candidate.source, size: info.size };
    looked.push(info === undefined ? candidate.path : `${candidate.path} (not a regular file)`);
  }
  const hint =
    candidates[0]?.source === 'option' || candidates[0]?.source === 'env'
      ? ''
      : ' Build one (make quick-release), pass --tarball PATH, set KUBE_SERVER_TARBALL, or fetch an official release with --version vX.Y.Z.';
  throw new TarballError('TARBALL_NOT_FOUND', `Could not find ${SERVER_TARBALL_NAME}. Looked in:\n  ${looked.join('\n  ')}\n${hint.trim()}`.trimEnd(), {
    searched: candidates.map((c) => c.path),
  });
}
