import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { coreosLegacy } from '@rax-kube/cloud-config';
import { UserInputError } from '../errors.js';
import { readIfPresent } from '../util/read-if-present.js';
import type { ClusterSecrets } from '@rax-kube/cloud-config';

/** `$RAX_KUBE_HOME`, or `~/.rax-kube`. */
export function raxKubeHome(env: Readonly<Record<string, string | undefined>>): string {
  return env.RAX_KUBE_HOME || join(homedir(), '.rax-kube');
}

/** Per-cluster state lives here: secrets, local cloud state, the release cache. */
export function clusterDir(home: string, cluster: string): string {
  return join(home, 'clusters', cluster);
}

export type RandomBytes = (size: number) => Buffer;

/** Fresh credentials: 192-bit password and tokens, 256-bit node-token key, all from crypto. */
export function generateSecrets(random: RandomBytes = cryptoRandomBytes): ClusterSecrets {
  const token = () => random(24).toString('base64url');
  return {
    adminUser: 'admin',
    adminPassword: token(),
    adminToken: token(),
    serviceAccountTokens: Object.fromEntries(coreosLegacy.SERVICE_ACCOUNTS.map((account) => [account, token()])) as ClusterSecrets['serviceAccountTokens'],
    nodeTokenKey: random(32).toString('hex'),
  };
}

export class SecretsFileError extends UserInputError {
  constructor(message: string) {
    super('SECRETS_FILE_INVALID', message);
  }
}

/**
 * The cluster's credentials, created on first use and reused afterwards, so a cluster keeps
 * them across runs. Stored as JSON with mode 0600 in a 0700 directory; written atomically.
 */
export async function loadOrCreateSecrets(
  home: string,
  cluster: string,
  random: RandomBytes = cryptoRandomBytes,
): Promise<{ secrets: ClusterSecrets; created: boolean; path: string }> {
  const dir = clusterDir(home, cluster);
  const path = join(dir, 'secrets.json');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const existing = await readIfPresent(path);
  if (existing === undefined) {
    const secrets = generateSecrets(random);
    await writePrivateFile(path, `${JSON.stringify(secrets, null, 2)}\n`);
    return { secrets, created: true, path };
  }
  if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
  const { secrets, completed } = completeSecrets(parseSecrets(existing, path), random);
  if (completed) await writePrivateFile(path, `${JSON.stringify(secrets, null, 2)}\n`);
  return { secrets, created: false, path };
}

function parseSecrets(text: string, path: string): Partial<ClusterSecrets> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Partial<ClusterSecrets>;
  } catch {
    // reported below, without echoing the file's contents
  }
  throw new SecretsFileError(`${path} is not a valid secrets file; move it away to let rax-kube create new credentials for this cluster`);
}

/** Fills in anything missing (a file from an older version), keeping every existing value. */
function completeSecrets(partial: Partial<ClusterSecrets>, random: RandomBytes): { secrets: ClusterSecrets; completed: boolean } {
  const fresh = generateSecrets(random);
  const pick = (value: unknown, fallback: string) => (typeof value === 'string' && value !== '' ? value : fallback);
  const tokens = { ...fresh.serviceAccountTokens };
  for (const account of coreosLegacy.SERVICE_ACCOUNTS) tokens[account] = pick(partial.serviceAccountTokens?.[account], tokens[account]);
  const secrets: ClusterSecrets = {
    adminUser: pick(partial.adminUser, fresh.adminUser),
    adminPassword: pick(partial.adminPassword, fresh.adminPassword),
    adminToken: pick(partial.adminToken, fresh.adminToken),
    serviceAccountTokens: tokens,
    nodeTokenKey: pick(partial.nodeTokenKey, fresh.nodeTokenKey),
  };
  return { secrets, completed: JSON.stringify(secrets) !== JSON.stringify(partial) };
}

/** Writes a file only its owner can read: created 0600 from the start, then renamed into place. */
export async function writePrivateFile(path: string, content: string): Promise<void> {
  await writeFileAtomically(path, content, 0o600);
}

/** Writes a temporary file beside `path`, syncs it, and renames it over `path`: readers see the old file or the whole new one. */
export async function writeFileAtomically(path: string, content: string, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  const handle = await open(temporary, 'wx', mode);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}
