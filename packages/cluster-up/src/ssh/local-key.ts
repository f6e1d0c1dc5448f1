import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserInputError } from '../errors.js';
import { writePrivateFile } from '../secrets/store.js';
import { readIfPresent } from '../util/read-if-present.js';
import { generateSshKeyPair } from './openssh-key.js';
import type { SshKeyType } from './openssh-key.js';

export interface LocalSshKey {
  privateKeyPath: string;
  publicKey: string;
  created: boolean;
}

export class SshKeyError extends UserInputError {
  constructor(message: string) {
    super('SSH_KEY_INVALID', message);
  }
}

/**
 * `~/.ssh/<name>` (0600) and `<name>.pub`: reused when present, generated with node's crypto
 * (OpenSSH format) when absent.
 */
export async function ensureLocalSshKey(name: string, type: SshKeyType = 'rsa', sshDir = join(homedir(), '.ssh')): Promise<LocalSshKey> {
  const privateKeyPath = join(sshDir, name);
  const publicKeyPath = `${privateKeyPath}.pub`;
  const [privateKey, publicKey] = await Promise.all([readIfPresent(privateKeyPath), readIfPresent(publicKeyPath)]);
  if (privateKey !== undefined && publicKey !== undefined) return { privateKeyPath, publicKey: publicKey.trim(), created: false };
  if (privateKey !== undefined || publicKey !== undefined) {
    const missing = privateKey === undefined ? privateKeyPath : publicKeyPath;
    throw new SshKeyError(`SSH_KEY_NAME=${name}: ${missing} is missing while its pair exists; restore it, or choose another SSH_KEY_NAME`);
  }
  await mkdir(sshDir, { recursive: true, mode: 0o700 });
  const pair = generateSshKeyPair(type, `rax-kube-${name}`);
  await writePrivateFile(privateKeyPath, pair.privateKey);
  await writeFile(publicKeyPath, `${pair.publicKey}\n`, { mode: 0o644 });
  return { privateKeyPath, publicKey: pair.publicKey, created: true };
}
