import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { dump, load } from 'js-yaml';
import { UserInputError } from '../errors.js';
import { writePrivateFile } from '../secrets/store.js';
import { readIfPresent } from '../util/read-if-present.js';

export interface ClusterAccess {
  /** Context, cluster and user entry name: `rackspace_<cluster>`. */
  name: string;
  server: string;
  /** PEM of the apiserver's certificate when pinned, else TLS verification is skipped. */
  certificateAuthorityPem?: string;
  username: string;
  password: string;
  token: string;
}

type NamedList = Array<Record<string, unknown> & { name?: unknown }>;

export class KubeconfigError extends UserInputError {
  constructor(message: string) {
    super('KUBECONFIG_INVALID', message);
  }
}

/** The file kubectl writes to: the first entry of $KUBECONFIG, else ~/.kube/config. */
export function kubeconfigPath(env: Readonly<Record<string, string | undefined>>): string {
  const first = env.KUBECONFIG?.split(':').find((entry) => entry !== '');
  return first ?? join(homedir(), '.kube', 'config');
}

/**
 * Adds or replaces this cluster's cluster, user and context entries and leaves every other entry
 * as it was. `current-context` is set only when none is set: switching is the user's choice.
 */
export function mergeKubeconfig(existingText: string | undefined, access: ClusterAccess, path = 'kubeconfig'): string {
  let config: Record<string, unknown> = {};
  if (existingText !== undefined && existingText.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = load(existingText);
    } catch (error) {
      throw new KubeconfigError(`${path} is not valid YAML (${error instanceof Error ? error.message.split('\n')[0] : 'parse error'}); fix or move it, then run again`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new KubeconfigError(`${path} is not a kubeconfig mapping; fix or move it, then run again`);
    config = parsed as Record<string, unknown>;
  }
  config.apiVersion ??= 'v1';
  config.kind ??= 'Config';
  const cluster: Record<string, unknown> = { server: access.server };
  if (access.certificateAuthorityPem) cluster['certificate-authority-data'] = Buffer.from(access.certificateAuthorityPem).toString('base64');
  else cluster['insecure-skip-tls-verify'] = true;
  upsert(config, 'clusters', { name: access.name, cluster }, path);
  upsert(config, 'users', { name: access.name, user: { username: access.username, password: access.password, token: access.token } }, path);
  upsert(config, 'contexts', { name: access.name, context: { cluster: access.name, user: access.name } }, path);
  if (!config['current-context']) config['current-context'] = access.name;
  return dump(config, { lineWidth: -1, noRefs: true });
}

function upsert(config: Record<string, unknown>, key: 'clusters' | 'users' | 'contexts', entry: Record<string, unknown> & { name: string }, path: string): void {
  const existing = config[key] ?? [];
  if (!Array.isArray(existing)) throw new KubeconfigError(`${path}: "${key}" is not a list; fix or move the file, then run again`);
  const list = existing as NamedList;
  const index = list.findIndex((item) => item?.name === entry.name);
  if (index >= 0) list[index] = entry;
  else list.push(entry);
  config[key] = list;
}

/** Merges into the kubeconfig file on disk; the file is (re)written with mode 0600. */
export async function writeKubeconfig(path: string, access: ClusterAccess): Promise<void> {
  const existing = await readIfPresent(path);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writePrivateFile(path, mergeKubeconfig(existing, access, path));
}
