import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureLocalSshKey, SshKeyError } from './local-key.js';
import { generateSshKeyPair, md5Fingerprint, publicKeyFromPrivate, samePublicKey, sha256Fingerprint } from './openssh-key.js';

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

  it('creates ~/.ssh/<name> 0600 once, then reuses it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rax-kube-sshdir-'));
    try {
      const first = await ensureLocalSshKey('id_test', 'ed25519', join(dir, '.ssh'));
      expect(first.created).toBe(true);
      expect((await stat(first.privateKeyPath)).mode & 0o777).toBe(0o600);
      expect((await stat(`${first.privateKeyPath}.pub`)).mode & 0o777).toBe(0o644);
      const again = await ensureLocalSshKey('id_test', 'ed25519', join(dir, '.ssh'));
      expect(again).toEqual({ ...first, created: false });
      expect(await readdir(join(dir, '.ssh'))).toEqual(['id_test', 'id_test.pub']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // A run killed between writing the private key and its .pub leaves the private key alone.
  it.each(['rsa', 'ed25519'] as const)('writes a missing .pub again from the private key (%s), the same key as before', async (type) => {
    const dir = await mkdtemp(join(tmpdir(), 'rax-kube-sshdir-'));
    try {
      const first = await ensureLocalSshKey('id_test', type, join(dir, '.ssh'));
      const privateBefore = await readFile(first.privateKeyPath, 'utf8');
      await rm(`${first.privateKeyPath}.pub`);
      const repaired = await ensureLocalSshKey('id_test', type, join(dir, '.ssh'));
      expect(repaired).toEqual({ ...first, created: false, repaired: true });
      expect(await readFile(`${first.privateKeyPath}.pub`, 'utf8')).toBe(`${first.publicKey}\n`);
      expect(await readFile(first.privateKeyPath, 'utf8')).toBe(privateBefore);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads the public half of PEM keys too, and says what to do when it cannot', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ed = generateKeyPairSync('ed25519');
    const rsaPub = publicKeyFromPrivate(rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString(), 'c');
    expect(rsaPub).toMatch(/^ssh-rsa AAAAB3NzaC1yc2E\S+ c$/);
    expect(rsa.publicKey.export({ format: 'jwk' }).n).toBe(parseRsaBlob(rsaPub ?? '').n);
    expect(publicKeyFromPrivate(ed.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), 'c')).toBe(
      `ssh-ed25519 ${Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.from(ed.publicKey.export({ format: 'jwk' }).x ?? '', 'base64url')]).toString('base64')} c`,
    );
    const encrypted = rsa.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString();
    expect(publicKeyFromPrivate(encrypted, 'c')).toBeUndefined();
    expect(publicKeyFromPrivate('not a key', 'c')).toBeUndefined();

    const dir = await mkdtemp(join(tmpdir(), 'rax-kube-sshdir-'));
    try {
      await writeFile(join(dir, 'id_locked'), encrypted, { mode: 0o600 });
      await expect(ensureLocalSshKey('id_locked', 'rsa', dir)).rejects.toThrow(/id_locked\.pub is missing and cannot be read from .*id_locked \(encrypted or not an SSH key\); run ssh-keygen -y/);
      await writeFile(join(dir, 'id_orphan.pub'), 'ssh-ed25519 AAAA x\n');
      const orphan = await ensureLocalSshKey('id_orphan', 'rsa', dir).catch((e: unknown) => e);
      expect(orphan).toBeInstanceOf(SshKeyError);
      expect((orphan as Error).message).toMatch(/SSH_KEY_NAME=id_orphan: .*id_orphan is missing while .*id_orphan\.pub exists/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** The modulus of an ssh-rsa public key line, base64url like a JWK's. */
function parseRsaBlob(line: string): { n: string } {
  const blob = Buffer.from(line.split(' ')[1] ?? '', 'base64');
  let at = 0;
  const next = () => {
    const length = blob.readUInt32BE(at);
    const value = blob.subarray(at + 4, at + 4 + length);
    at += 4 + length;
    return value;
  };
  next();
  next();
  const n = next();
  return { n: (n[0] === 0 ? n.subarray(1) : n).toString('base64url') };
}
