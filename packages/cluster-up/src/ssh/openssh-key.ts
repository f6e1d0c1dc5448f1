import { createHash, createPrivateKey, generateKeyPairSync, randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';

/** RSA 4096 by default: Rackspace's legacy cloud accepts only RSA keypairs. */
export type SshKeyType = 'rsa' | 'ed25519';

export interface SshKeyPair {
  type: SshKeyType;
  /** `ssh-rsa AAAA... comment`, as Nova and authorized_keys take it. */
  publicKey: string;
  /** `-----BEGIN OPENSSH PRIVATE KEY-----` (openssh-key-v1, unencrypted). */
  privateKey: string;
}

/** SSH wire encoding (RFC 4251): length-prefixed strings and two's-complement mpints. */
function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function sshMpint(unsigned: Buffer): Buffer {
  let start = 0;
  while (start < unsigned.length && unsigned[start] === 0) start++;
  const trimmed = unsigned.subarray(start);
  const needsZero = trimmed.length > 0 && ((trimmed[0] ?? 0) & 0x80) !== 0;
  return sshString(needsZero ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function uint32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}

function jwkPart(jwk: JsonWebKey, name: 'n' | 'e' | 'd' | 'p' | 'q' | 'qi' | 'x'): Buffer {
  const value = jwk[name];
  if (typeof value !== 'string') throw new Error(`generated key lacks its "${name}" component`);
  return Buffer.from(value, 'base64url');
}

/**
 * Generates a key pair with node's crypto and encodes it in OpenSSH's own formats (PROTOCOL.key),
 * so `ssh -i` and `ssh-keygen` read it as they read keys they made.
 */
export function generateSshKeyPair(type: SshKeyType, comment: string, random: (size: number) => Buffer = cryptoRandomBytes): SshKeyPair {
  let publicBlob: Buffer;
  let privateFields: Buffer;
  if (type === 'rsa') {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 4096, publicExponent: 0x10001 });
    const jwk = privateKey.export({ format: 'jwk' });
    const [n, e, d, p, q, qi] = (['n', 'e', 'd', 'p', 'q', 'qi'] as const).map((part) => jwkPart(jwk, part)) as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
    publicBlob = Buffer.concat([sshString('ssh-rsa'), sshMpint(e), sshMpint(n)]);
    privateFields = Buffer.concat([sshString('ssh-rsa'), sshMpint(n), sshMpint(e), sshMpint(d), sshMpint(qi), sshMpint(p), sshMpint(q)]);
  } else {
    const { privateKey } = generateKeyPairSync('ed25519');
    const jwk = privateKey.export({ format: 'jwk' });
    const publicKey = jwkPart(jwk, 'x');
    const seed = jwkPart(jwk, 'd');
    publicBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(publicKey)]);
    privateFields = Buffer.concat([sshString('ssh-ed25519'), sshString(publicKey), sshString(Buffer.concat([seed, publicKey]))]);
  }
  const check = random(4);
  let section = Buffer.concat([check, check, privateFields, sshString(comment)]);
  const padding: number[] = [];
  for (let i = 1; (section.length + padding.length) % 8 !== 0; i++) padding.push(i);
  section = Buffer.concat([section, Buffer.from(padding)]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(publicBlob),
    sshString(section),
  ]);
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  const keyType = type === 'rsa' ? 'ssh-rsa' : 'ssh-ed25519';
  return {
    type,
    publicKey: `${keyType} ${publicBlob.toString('base64')} ${comment}`,
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`,
  };
}

function publicBlobOf(publicKey: string): Buffer {
  const [, blob] = publicKey.trim().split(/\s+/);
  if (!blob) throw new Error('not an OpenSSH public key');
  return Buffer.from(blob, 'base64');
}

/** Nova's keypair fingerprint: MD5 of the key blob, colon-separated hex. */
export function md5Fingerprint(publicKey: string): string {
  return (createHash('md5').update(publicBlobOf(publicKey)).digest('hex').match(/../g) ?? []).join(':');
}

/** OpenSSH's fingerprint: `SHA256:` and unpadded base64. */
export function sha256Fingerprint(publicKey: string): string {
  return `SHA256:${createHash('sha256').update(publicBlobOf(publicKey)).digest('base64').replace(/=+$/, '')}`;
}

/** Same key material (type and blob), whatever the comments. */
export function samePublicKey(a: string, b: string): boolean {
  const [typeA, blobA] = a.trim().split(/\s+/);
  const [typeB, blobB] = b.trim().split(/\s+/);
  return typeA === typeB && blobA === blobB && blobA !== undefined;
}

/** Reads SSH wire strings one after another from a buffer; undefined once the data runs out. */
function sshReader(data: Buffer): { string(): Buffer | undefined; uint32(): number | undefined } {
  let at = 0;
  return {
    uint32() {
      if (at + 4 > data.length) return undefined;
      const value = data.readUInt32BE(at);
      at += 4;
      return value;
    },
    string() {
      const length = this.uint32();
      if (length === undefined || at + length > data.length) return undefined;
      const value = data.subarray(at, at + length);
      at += length;
      return value;
    },
  };
}

/**
 * The public key (`<type> <blob> <comment>`) of a private key file, or undefined when it cannot be
 * read: OpenSSH's own format keeps the public blob in clear even when the key is encrypted;
 * unencrypted PEM (PKCS#1 / PKCS#8) RSA and Ed25519 keys are read with node's crypto.
 */
export function publicKeyFromPrivate(privateKey: string, comment: string): string | undefined {
  const openssh = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(privateKey);
  if (openssh) {
    const body = Buffer.from((openssh[1] ?? '').replace(/\s+/g, ''), 'base64');
    const magic = Buffer.from('openssh-key-v1\0');
    if (!body.subarray(0, magic.length).equals(magic)) return undefined;
    const reader = sshReader(body.subarray(magic.length));
    const [cipher, kdf, kdfOptions] = [reader.string(), reader.string(), reader.string()];
    const keys = reader.uint32();
    const blob = reader.string();
    if (!cipher || !kdf || !kdfOptions || keys === undefined || keys < 1 || !blob) return undefined;
    const type = sshReader(blob).string()?.toString();
    return type ? `${type} ${blob.toString('base64')} ${comment}` : undefined;
  }
  try {
    const jwk = createPrivateKey(privateKey).export({ format: 'jwk' });
    if (jwk.kty === 'RSA') return `ssh-rsa ${Buffer.concat([sshString('ssh-rsa'), sshMpint(jwkPart(jwk, 'e')), sshMpint(jwkPart(jwk, 'n'))]).toString('base64')} ${comment}`;
    if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return `ssh-ed25519 ${Buffer.concat([sshString('ssh-ed25519'), sshString(jwkPart(jwk, 'x'))]).toString('base64')} ${comment}`;
  } catch {
    // Encrypted, or not a key node can read: the caller says what to do.
  }
  return undefined;
}
