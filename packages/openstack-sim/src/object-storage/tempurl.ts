import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseCidr, parseIp, cidrContains } from '../network/ipam.js';

export type TempUrlDigest = 'sha1' | 'sha256' | 'sha512';

/** What the sim's `/info` advertises, as Swift 2.30's tempurl middleware does by default. */
export const TEMPURL_METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'] as const;
export const TEMPURL_DIGESTS: readonly TempUrlDigest[] = ['sha1', 'sha256', 'sha512'];

/**
 * HMAC over "METHOD\nexpires\npath" (prefixed by "ip=<range>\n" when an IP range is signed).
 * `path` is `/v1/<account>/<container>/<object>` or `prefix:/v1/<account>/<container>/<prefix>`.
 */
export function tempUrlSignature(
  method: string,
  expires: number,
  path: string,
  key: string,
  digest: TempUrlDigest = 'sha256',
  ipRange?: string,
): string {
  const message = `${ipRange ? `ip=${ipRange}\n` : ''}${method}\n${expires}\n${path}`;
  return createHmac(digest, key).update(message, 'utf8').digest('hex');
}

export type TempUrlScope = 'account' | 'container';

export interface TempUrlCheck {
  method: string;
  /** Decoded request path, e.g. /v1/AUTH_x/c/o */
  path: string;
  query: URLSearchParams;
  keys: ReadonlyArray<{ key: string; scope: TempUrlScope }>;
  nowMs: number;
  clientIp: string;
}

export type TempUrlResult =
  | { kind: 'absent' }
  | { kind: 'invalid' }
  | { kind: 'valid'; expires: number; scope: TempUrlScope; filename: string | undefined; inline: boolean; prefix: string | undefined };

/**
 * Decodes `temp_url_sig` into (digest, lowercase hex), following Swift: a bare hex string names
 * its digest by length (40/64/128); `<digest>:<base64>` accepts standard and URL-safe base64.
 */
export function parseSignature(sig: string): { digest: string; hex: string } | undefined {
  const colon = sig.indexOf(':');
  if (colon >= 0) {
    const digest = sig.slice(0, colon);
    let b64 = sig.slice(colon + 1);
    if (/[-_]/.test(b64) && !/[+/]/.test(b64)) b64 = b64.replace(/-/g, '+').replace(/_/g, '/');
    // Swift appends "==" and decodes strictly, which tolerates missing padding only.
    const stripped = b64.replace(/=+$/, '');
    if (!/^[A-Za-z0-9+/]*$/.test(stripped) || stripped.length % 4 === 1) return undefined;
    return { digest, hex: Buffer.from(stripped, 'base64').toString('hex') };
  }
  if (!/^[0-9a-fA-F]*$/.test(sig) || sig.length % 2 !== 0) return undefined;
  const digest = ({ 40: 'sha1', 64: 'sha256', 128: 'sha512' } as Record<number, string>)[sig.length];
  if (!digest) return undefined;
  // Swift compares against a lowercase hexdigest: an uppercase signature does not match
  // (observed on Swift 2.30).
  return { digest, hex: sig };
}

/** Swift accepts an integer, or ISO 8601 exactly as %Y-%m-%dT%H:%M:%SZ. */
export function parseExpires(text: string): number | undefined {
  if (/^[+-]?\d+$/.test(text.trim())) return Number.parseInt(text, 10);
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

function ipAllowed(range: string, clientIp: string): boolean {
  const ip = parseIp(clientIp.replace(/^::ffff:/, ''));
  if (!ip) return false;
  const cidr = parseCidr(range.includes('/') ? range : `${range}/${range.includes(':') ? 128 : 32}`);
  return !!cidr && cidrContains(cidr, ip.version, ip.value);
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Verifies a temp URL the way Swift's tempurl middleware does (see README for the rules). */
export function checkTempUrl(input: TempUrlCheck): TempUrlResult {
  const q = input.query;
  const sig = q.get('temp_url_sig');
  const expiresText = q.get('temp_url_expires');
  if (sig === null && expiresText === null) return { kind: 'absent' };
  if (!sig || !expiresText) return { kind: 'invalid' };
  const expires = parseExpires(expiresText);
  if (expires === undefined || expires * 1000 < input.nowMs) return { kind: 'invalid' };
  const parsed = parseSignature(sig);
  if (!parsed || !(TEMPURL_DIGESTS as readonly string[]).includes(parsed.digest)) return { kind: 'invalid' };
  if (!(TEMPURL_METHODS as readonly string[]).includes(input.method)) return { kind: 'invalid' };
  const parts = /^\/v1\/([^/]+)\/([^/]+)\/(.+)$/.exec(input.path);
  if (!parts || !(parts[3] as string).replace(/\//g, '')) return { kind: 'invalid' };
  const [, account, container, object] = parts as unknown as [string, string, string, string];
  const ipRange = q.get('temp_url_ip_range') ?? undefined;
  if (ipRange !== undefined && !ipAllowed(ipRange, input.clientIp)) return { kind: 'invalid' };
  if (input.keys.length === 0) return { kind: 'invalid' };
  const prefix = q.get('temp_url_prefix') ?? undefined;
  let hmacPath: string;
  if (prefix === undefined) {
    hmacPath = `/v1/${account}/${container}/${object}`;
  } else {
    if (!object.startsWith(prefix)) return { kind: 'invalid' };
    hmacPath = `prefix:/v1/${account}/${container}/${prefix}`;
  }
  // A HEAD is allowed by a signature for HEAD, GET, POST or PUT.
  const methods = input.method === 'HEAD' ? ['HEAD', 'GET', 'POST', 'PUT'] : [input.method];
  for (const method of methods) {
    for (const { key, scope } of input.keys) {
      const expected = tempUrlSignature(method, expires, hmacPath, key, parsed.digest as TempUrlDigest, ipRange);
      if (safeEqual(parsed.hex, expected)) {
        return { kind: 'valid', expires, scope, filename: q.get('filename') ?? undefined, inline: q.has('inline'), prefix };
      }
    }
  }
  return { kind: 'invalid' };
}

/** Content-Disposition as Swift's tempurl writes it (RFC 6266 + RFC 5987 filename*). */
export function contentDisposition(type: 'inline' | 'attachment', filename: string): string {
  return `${type}; filename="${pyQuote(filename, ' /')}"; filename*=UTF-8''${pyQuote(filename, '/')}`;
}

/** Python's urllib.parse.quote: keeps letters, digits, `_.-~` and the `safe` characters. */
export function pyQuote(text: string, safe: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.\-~]/.test(ch) || safe.includes(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
