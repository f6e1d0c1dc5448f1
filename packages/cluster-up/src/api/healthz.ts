import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';

export interface HealthProbe {
  ok: boolean;
  status?: number;
  /** The server's certificate (PEM), to pin in the kubeconfig. */
  certificatePem?: string;
  error?: string;
}

export interface ProbeTarget {
  /** `https://host[:port]` */
  server: string;
  username: string;
  password: string;
  timeoutMs?: number;
}

/**
 * One GET of `/healthz` with basic auth. The apiserver's certificate is self-signed at its first
 * boot, so it cannot be verified here: it is captured instead, and the kubeconfig pins it (trust
 * on first use), so later kubectl calls do verify it.
 */
export function probeHealthz(target: ProbeTarget): Promise<HealthProbe> {
  return new Promise((resolve) => {
    const url = new URL('/healthz', target.server);
    const req = request(
      url,
      {
        method: 'GET',
        rejectUnauthorized: false,
        headers: { authorization: `Basic ${Buffer.from(`${target.username}:${target.password}`).toString('base64')}` },
        timeout: target.timeoutMs ?? 5000,
      },
      (res) => {
        const peer = (res.socket as TLSSocket).getPeerCertificate?.();
        const certificatePem = peer?.raw ? `-----BEGIN CERTIFICATE-----\n${(peer.raw.toString('base64').match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n` : undefined;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < 1024) body += chunk;
        });
        res.on('end', () => {
          const ok = res.statusCode === 200 && body.trim() === 'ok';
          resolve({ ok, ...(res.statusCode ? { status: res.statusCode } : {}), ...(certificatePem ? { certificatePem } : {}), ...(ok ? {} : { error: `HTTP ${res.statusCode ?? '?'}` }) });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => resolve({ ok: false, error: error.message }));
    req.end();
  });
}
