import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureLocalSshKey, SshKeyError } from './local-key.js';
import { generateSshKeyPair, md5Fingerprint, samePublicKey, sha256Fingerprint } from './openssh-key.js';

describe('OpenSSH keys', () => {
  it('encodes ed25519 keys in the OpenSSH formats', () => {
    const pair = generateSshKeyPair('ed25519', 'me@host', () => Buffer.from([1, 2, 3, 4]));
    expect(pair.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} me@host$/);
    expect(pair.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA/);
    expect(md5Fingerprint(pair.publicKey)).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(sha256Fingerprint(pair.publicKey)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('compares keys by material, not comment', () => {
    const pair = generateSshKeyPair('ed25519', 'a');
    expect(samePublicKey(pair.publicKey, pair.publicKey.replace(/ a$/, ' other comment'))).toBe(true);
    expect(samePublicKey(pair.publicKey, generateSshKeyPair('ed25519', 'a').publicKey)).toBe(false);
  });

  it('creates ~/.ssh/<name> 0600 once, then reuses it, and refuses half a pair', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rax-kube-sshdir-'));
    try {
      const first = await ensureLocalSshKey('id_test', 'ed25519', join(dir, '.ssh'));
      expect(first.created).toBe(true);
      expect((await stat(first.privateKeyPath)).mode & 0o777).toBe(0o600);
      const again = await ensureLocalSshKey('id_test', 'ed25519', join(dir, '.ssh'));
      expect(again).toEqual({ ...first, created: false });
      await rm(`${first.privateKeyPath}.pub`);
      await expect(ensureLocalSshKey('id_test', 'ed25519', join(dir, '.ssh'))).rejects.toThrow(SshKeyError);
      await writeFile(`${first.privateKeyPath}.pub`, `${first.publicKey}\n`);
      expect((await readFile(`${first.privateKeyPath}.pub`, 'utf8')).trim()).toBe(first.publicKey);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
