import { createHash, generateKeyPairSync } from 'node:crypto';

const KEY_TYPES = new Set([
  'ssh-rsa',
  'ssh-dss',
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
]);

function readString(blob: Buffer, offset: number): { value: Buffer; next: number } | undefined {
  if (offset + 4 > blob.length) return undefined;
  const len = blob.readUInt32BE(offset);
  const end = offset + 4 + len;
  if (end > blob.length) return undefined;
  return { value: blob.subarray(offset + 4, end), next: end };
}

/**
 * Nova's keypair fingerprint: the MD5 of the decoded key blob, as colon-separated hex
 * (what `ssh-keygen -l -E md5` prints; checked against Nova 26 for ssh-rsa and ssh-ed25519).
 * Returns undefined when the key cannot be parsed, which Nova reports as
 * "Keypair data is invalid: failed to generate fingerprint".
 */
export function sshFingerprint(publicKey: string): string | undefined {
  const parts = publicKey.trim().split(/\s+/);
  const [type, data] = parts;
  if (!type || !data || !KEY_TYPES.has(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return undefined;
  const blob = Buffer.from(data, 'base64');
  const head = readString(blob, 0);
  if (!head || head.value.toString('latin1') !== type) return undefined;
  // Walk the remaining fields so that a truncated key is rejected, as Nova's parser does.
  const fieldCounts: Record<string, number> = {
    'ssh-rsa': 2,
    'ssh-dss': 4,
    'ssh-ed25519': 1,
    'ecdsa-sha2-nistp256': 2,
    'ecdsa-sha2-nistp384': 2,
    'ecdsa-sha2-nistp521': 2,
  };
  let offset = head.next;
  for (let i = 0; i < (fieldCounts[type] ?? 0); i++) {
    const field = readString(blob, offset);
    if (!field || field.value.length === 0) return undefined;
    offset = field.next;
  }
  if (offset !== blob.length) return undefined;
  if (type === 'ssh-ed25519' && readString(blob, head.next)?.value.length !== 32) return undefined;
  const md5 = createHash('md5').update(blob).digest('hex');
  return md5.match(/../g)?.join(':');
}

function sshString(buf: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(buf.length);
  return Buffer.concat([len, buf]);
}

function mpint(unsigned: Buffer): Buffer {
  let b = unsigned;
  while (b.length > 1 && b[0] === 0) b = b.subarray(1);
  if ((b[0] ?? 0) & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return sshString(b);
}

/** A new RSA keypair as Nova generates it: PKCS#1 PEM private key, OpenSSH public key. */
export function generateRsaKeypair(comment = 'Generated-by-Nova'): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const blob = Buffer.concat([
    sshString(Buffer.from('ssh-rsa')),
    mpint(Buffer.from(jwk.e as string, 'base64url')),
    mpint(Buffer.from(jwk.n as string, 'base64url')),
  ]);
  return {
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
    publicKey: `ssh-rsa ${blob.toString('base64')} ${comment}`,
  };
}
