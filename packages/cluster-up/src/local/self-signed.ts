import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIPv4 } from 'node:net';
import { bitString, boolean, explicit, ia5Bytes, implicitPrimitive, integer, namedBits, octetString, oid, sequence, setOf, time, utf8String } from './der.js';

export interface SelfSignedCertificate {
  /** `-----BEGIN CERTIFICATE-----`: also usable as its own `certificate-authority-data`. */
  certificatePem: string;
  /** `-----BEGIN PRIVATE KEY-----` (PKCS #8, ECDSA P-256). */
  privateKeyPem: string;
}

export interface SelfSignedOptions {
  /** Subject and issuer common name. */
  commonName?: string;
  /** IPv4 addresses for subjectAltName (default `127.0.0.1`). */
  ipAddresses?: readonly string[];
  /** DNS names for subjectAltName (default `localhost`). */
  dnsNames?: readonly string[];
  /** Validity in days from `now` (default 365). */
  validDays?: number;
  /** Clock, for tests. notBefore is one minute before it, to absorb small clock skew. */
  now?: () => Date;
  /** Randomness for the serial number, for tests. */
  random?: (size: number) => Buffer;
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

/** keyUsage bit numbers (RFC 5280 §4.2.1.3). */
const KEY_USAGE = { digitalSignature: 0, keyCertSign: 5 } as const;

const DAY_MS = 86_400_000;
const SKEW_MS = 60_000;

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

function name(commonName: string): Buffer {
  return sequence(setOf(sequence(oid(OID.commonName), utf8String(commonName))));
}

function ipv4Bytes(address: string): Buffer {
  if (!isIPv4(address)) throw new Error(`"${address}" is not an IPv4 address`);
  return Buffer.from(address.split('.').map(Number));
}

/** A positive serial of at most 20 octets (RFC 5280 §4.1.2.2): 16 random bytes, top bit clear, never 0. */
function serialNumber(random: (size: number) => Buffer): Buffer {
  const bytes = Buffer.from(random(16));
  if (bytes.length !== 16) throw new Error('random source returned the wrong number of bytes');
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  if (bytes.every((byte) => byte === 0)) bytes[15] = 1;
  return bytes;
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * A self-signed X.509 v3 certificate (RFC 5280) for a loopback HTTPS server, made with node's
 * crypto only: an ECDSA P-256 key, the TBSCertificate encoded by `der.ts`, signed with
 * ecdsa-with-SHA256. It is a CA (basicConstraints CA:TRUE, keyCertSign) so clients can trust it
 * as its own authority, and a server certificate (digitalSignature, serverAuth) for the names in
 * subjectAltName.
 */
export function generateSelfSignedCertificate(options: SelfSignedOptions = {}): SelfSignedCertificate {
  const commonName = options.commonName ?? 'rax-kube-local-master';
  const ipAddresses = options.ipAddresses ?? ['127.0.0.1'];
  const dnsNames = options.dnsNames ?? ['localhost'];
  const validDays = options.validDays ?? 365;
  if (!Number.isFinite(validDays) || validDays <= 0) throw new RangeError('validDays must be a positive number');
  if (ipAddresses.length + dnsNames.length === 0) throw new Error('a certificate needs at least one subjectAltName');
  for (const dns of dnsNames) if (!/^[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(dns)) throw new Error(`"${dns}" is not a DNS name`);
  const now = (options.now ?? (() => new Date()))().getTime();

  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value. For P-256 the
  // SPKI ends with the 65-byte uncompressed point.
  const keyIdentifier = createHash('sha1').update(spki.subarray(spki.length - 65)).digest();

  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const subject = name(commonName);
  const altNames = sequence(
    ...dnsNames.map((dns) => implicitPrimitive(2, ia5Bytes(dns))),
    ...ipAddresses.map((ip) => implicitPrimitive(7, ipv4Bytes(ip))),
  );
  const extensions = sequence(
    extension(OID.basicConstraints, true, sequence(boolean(true))),
    extension(OID.keyUsage, true, namedBits([KEY_USAGE.digitalSignature, KEY_USAGE.keyCertSign])),
    extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))),
    extension(OID.subjectAltName, false, altNames),
    extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier)),
  );
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(serialNumber(options.random ?? randomBytes)),
    algorithm,
    subject,
    sequence(time(new Date(now - SKEW_MS)), time(new Date(now + validDays * DAY_MS))),
    subject,
    spki,
    explicit(3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = sequence(tbs, algorithm, bitString(signature));
  return {
    certificatePem: pem('CERTIFICATE', certificate),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
