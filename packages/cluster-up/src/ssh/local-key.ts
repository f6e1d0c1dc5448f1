import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserInputError } from '../errors.js';
import { writeFileAtomically, writePrivateFile } from '../secrets/store.js';
import { readIfPresent } from '../util/read-if-present.js';
import { generateSshKeyPair, publicKeyFromPrivate } from './openssh-key.js';
import type { SshKeyType } from './openssh-key.js';

export interface LocalSshKey {
  privateKeyPath: string;
  publicKey: string;
  created: boolean;
  /** The .pub was missing (an interrupted first run) and was written again from the private key. */
  repaired?: boolean;
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
  if (privateKey !== undefined) {
    // The private key is written first, so an interrupted run leaves it without its .pub: the
    // public half is in the private key file, and is written out again.
    const derived = publicKeyFromPrivate(privateKey, `rax-kube-${name}`);
    if (derived === undefined) throw new SshKeyError(`SSH_KEY_NAME=${name}: ${publicKeyPath} is missing and cannot be read from ${privateKeyPath} (encrypted or not an SSH key); run ssh-keygen -y -f ${privateKeyPath} > ${publicKeyPath}, or choose another SSH_KEY_NAME`);
    await writeFileAtomically(publicKeyPath, `${derived}\n`, 0o644);
    return { privateKeyPath, publicKey: derived, created: false, repaired: true };
  }
  if (publicKey !== undefined) {
    throw new SshKeyError(`SSH_KEY_NAME=${name}: ${privateKeyPath} is missing while ${publicKeyPath} exists; restore the private key, or choose another SSH_KEY_NAME`);
  }
  await mkdir(sshDir, { recursive: true, mode: 0o700 });
  const pair = generateSshKeyPair(type, `rax-kube-${name}`);
  await writePrivateFile(privateKeyPath, pair.privateKey);
  await writeFileAtomically(publicKeyPath, `${pair.publicKey}\n`, 0o644);
  return { privateKeyPath, publicKey: pair.publicKey, created: true };
}
