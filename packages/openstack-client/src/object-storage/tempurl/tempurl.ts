/**
 * Swift temp URLs. The signature is HMAC(key, "METHOD\nexpires\npath") over the DECODED path
 * (`/v1/AUTH_acct/container/object`), or "METHOD\nexpires\nprefix:/v1/AUTH_acct/container/prefix"
 * for a prefix URL. Swift reads hex signatures by length (40 sha1, 64 sha256, 128 sha512) and also
 * "<digest>:<base64>"; we send hex for sha1/sha256 and "sha512:<base64>" for sha512.
 */
import { createHmac } from 'node:crypto';
import { OpenStackError } from '../../errors.js';
import { encodeObjectName } from '../urls.js';

export type TempUrlDigest = 'sha1' | 'sha256' | 'sha512';
export type TempUrlMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';

export interface SignInput {
  key: string;
  method: TempUrlMethod;
  /** Unix seconds. */
  expires: number;
  /** Decoded path: `/v1/AUTH_x/c/o`, or the prefix path for prefix URLs. */
  path: string;
  digest?: TempUrlDigest;
  prefix?: boolean;
}

export function tempUrlSignature(input: SignInput): string {
  const digest = input.digest ?? 'sha256';
  const body = `${input.method}\n${input.expires}\n${input.prefix ? 'prefix:' : ''}${input.path}`;
  const mac = createHmac(digest, input.key).update(body);
  return digest === 'sha512' ? `sha512:${mac.digest('base64')}` : mac.digest('hex');
}

export interface TempUrlOptions {
  /** Storage endpoint, e.g. `https://storage101.dfw1.clouddrive.com/v1/MossoCloudFS_x`. */
  storageUrl: string;
  container: string;
  object: string;
  method: TempUrlMethod;
  key: string;
  /** Either an absolute expiry (Date or unix seconds) or a lifetime in seconds from `now`. */
  expiresAt?: Date | number;
  ttlSeconds?: number;
  digest?: TempUrlDigest;
  /** Sets `filename=` so browsers save under this name. */
  filename?: string;
  now?: () => number;
}

function expiresOf(o: { expiresAt?: Date | number; ttlSeconds?: number; now?: () => number }): number {
  if (o.expiresAt instanceof Date) return Math.floor(o.expiresAt.getTime() / 1000);
  if (typeof o.expiresAt === 'number') return Math.floor(o.expiresAt);
  if (o.ttlSeconds === undefined || o.ttlSeconds <= 0) {
    throw new OpenStackError({ code: 'INVALID_ARGUMENT', message: 'a temp URL needs expiresAt or a positive ttlSeconds' });
  }
  return Math.floor((o.now ?? Date.now)() / 1000) + Math.floor(o.ttlSeconds);
}

function split(storageUrl: string): { origin: string; accountPath: string } {
  const u = new URL(storageUrl);
  return { origin: u.origin, accountPath: decodeURIComponent(u.pathname.replace(/\/+$/, '')) };
}

const encodePath = (p: string): string => p.split('/').map(encodeURIComponent).join('/');

/** A temp URL for one object. Pure apart from `now` (injectable). */
export function makeTempUrl(o: TempUrlOptions): string {
  const expires = expiresOf(o);
  const { origin, accountPath } = split(o.storageUrl);
  const path = `${accountPath}/${o.container}/${o.object}`;
  const sig = tempUrlSignature({ key: o.key, method: o.method, expires, path, ...(o.digest ? { digest: o.digest } : {}) });
  const q = new URLSearchParams({ temp_url_sig: sig, temp_url_expires: String(expires) });
  if (o.filename !== undefined) q.set('filename', o.filename);
  return `${origin}${encodePath(accountPath)}/${encodeURIComponent(o.container)}/${encodeObjectName(o.object)}?${q.toString()}`;
}

export interface PrefixTempUrl {
  /** The query string (without "?") shared by every object under the prefix. */
  query: string;
  expires: number;
  /** The temp URL for one object whose name starts with the prefix. */
  urlFor: (object: string) => string;
}

/** A prefix temp URL: one signature valid for every object whose name starts with `prefix`. */
export function makePrefixTempUrl(o: Omit<TempUrlOptions, 'object' | 'filename'> & { prefix: string }): PrefixTempUrl {
  const expires = expiresOf(o);
  const { origin, accountPath } = split(o.storageUrl);
  const sig = tempUrlSignature({
    key: o.key,
    method: o.method,
    expires,
    path: `${accountPath}/${o.container}/${o.prefix}`,
    prefix: true,
    ...(o.digest ? { digest: o.digest } : {}),
  });
  const query = new URLSearchParams({ temp_url_sig: sig, temp_url_expires: String(expires), temp_url_prefix: o.prefix }).toString();
  return {
    query,
    expires,
    urlFor: (object: string) => {
      if (!object.startsWith(o.prefix)) {
        throw new OpenStackError({ code: 'INVALID_ARGUMENT', message: `object "${object}" is not under the temp URL prefix "${o.prefix}"` });
      }
      return `${origin}${encodePath(accountPath)}/${encodeURIComponent(o.container)}/${encodeObjectName(object)}?${query}`;
    },
  };
}
