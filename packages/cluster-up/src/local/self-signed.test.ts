import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { generateSelfSignedCertificate } from './self-signed.js';

const NOW = new Date('2026-05-01T12:00:00Z');

function httpsGet(port: number, ca: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET', ...(ca === undefined ? {} : { ca }), agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('generateSelfSignedCertificate', () => {
  it('makes a v3 CA and server certificate for 127.0.0.1 and localhost, signed by its own key', () => {
    const serial = Buffer.from('8123456789abcdef0011223344556677', 'hex');
    const { certificatePem, privateKeyPem } = generateSelfSignedCertificate({ now: () => NOW, random: () => Buffer.from(serial) });
    expect(certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END CERTIFICATE-----\n$/);
    const cert = new X509Certificate(certificatePem);
    expect(cert.subject).toBe('CN=rax-kube-local-master');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('127.0.0.2')).toBeUndefined();
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.ca).toBe(true);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(privateKeyPem))).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    // Top bit cleared so the serial stays positive.
    expect(cert.serialNumber.toLowerCase()).toBe('0123456789abcdef0011223344556677');
    expect(new Date(cert.validFrom).toISOString()).toBe('2026-05-01T11:59:00.000Z');
    expect(new Date(cert.validTo).toISOString()).toBe('2027-05-01T12:00:00.000Z');
    // The raw extensions as RFC 5280 lays them out: basicConstraints and keyUsage critical.
    const der = cert.raw.toString('hex');
    expect(der).toContain('0603551d130101ff040530030101ff');
    expect(der).toContain('0603551d0f0101ff040403020284');
    expect(der).toContain('0603551d25040c300a06082b06010505070301');
    expect(der).toContain('a003020102'); // version v3
  });

  it('does not verify against another key, and gives each certificate a fresh key and serial', () => {
    const a = new X509Certificate(generateSelfSignedCertificate().certificatePem);
    const b = new X509Certificate(generateSelfSignedCertificate().certificatePem);
    expect(a.verify(b.publicKey)).toBe(false);
    expect(a.serialNumber).not.toBe(b.serialNumber);
    expect(a.fingerprint256).not.toBe(b.fingerprint256);
  });

  it('takes other names and validity, and refuses bad input', () => {
    const { certificatePem } = generateSelfSignedCertificate({ commonName: 'x', ipAddresses: ['10.1.2.3'], dnsNames: [], validDays: 1, now: () => NOW });
    const cert = new X509Certificate(certificatePem);
    expect(cert.subjectAltName).toBe('IP Address:10.1.2.3');
    expect(new Date(cert.validTo).toISOString()).toBe('2026-05-02T12:00:00.000Z');
    // Dates from 2050 are GeneralizedTime.
    const late = new X509Certificate(generateSelfSignedCertificate({ now: () => new Date('2049-12-01T00:00:00Z'), validDays: 365 }).certificatePem);
    expect(new Date(late.validTo).toISOString()).toBe('2050-12-01T00:00:00.000Z');
    expect(() => generateSelfSignedCertificate({ ipAddresses: ['::1'] })).toThrow(/not an IPv4 address/);
    expect(() => generateSelfSignedCertificate({ dnsNames: ['bad name'] })).toThrow(/not a DNS name/);
    expect(() => generateSelfSignedCertificate({ ipAddresses: [], dnsNames: [] })).toThrow(/subjectAltName/);
    expect(() => generateSelfSignedCertificate({ validDays: 0 })).toThrow(RangeError);
  });

  it('is trusted by a node https client given it as the CA, and only then', async () => {
    const { certificatePem, privateKeyPem } = generateSelfSignedCertificate();
    const other = generateSelfSignedCertificate();
    const server = createServer({ cert: certificatePem, key: privateKeyPem }, (_req, res) => res.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await expect(httpsGet(port, certificatePem)).resolves.toEqual({ status: 200, body: 'hello' });
      await expect(httpsGet(port, other.certificatePem)).rejects.toThrow(/self.signed|unable to verify|certificate/i);
      await expect(httpsGet(port, undefined)).rejects.toThrow(/self.signed|unable to verify|certificate/i);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
