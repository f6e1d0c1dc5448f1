import { randomBytes } from 'node:crypto';
import { defaultSleep, outcomeUnknown } from '@rax-kube/openstack-client';
import type { TempUrlDigest } from '@rax-kube/openstack-client';
import { TarballError } from './errors.js';
import type { ObjectStorage } from './upload.js';

export const DEFAULT_TEMP_URL_TTL_SECONDS = 24 * 60 * 60;

type AccountInfo = Awaited<ReturnType<ObjectStorage['account']['get']>>;

export interface TempUrlKey {
  key: string;
  /** Which account key holds it: `X-Account-Meta-Temp-Url-Key` (1) or `…-Key-2` (2). */
  which: 1 | 2;
  /** True when this call generated and set it. */
  created: boolean;
}

/**
 * The account's temp-URL key. An existing key is never replaced (that would break every URL
 * already handed out); key 2 is used when only it is set. With no key at all, a random 256-bit
 * one is set as key 1, then read back, so that of two concurrent callers both use the winner.
 */
export async function ensureTempUrlKey(objectStorage: ObjectStorage, generate: () => string = () => randomBytes(32).toString('base64url')): Promise<TempUrlKey> {
  const account = await objectStorage.account.get();
  if (account.tempUrlKey) return { key: account.tempUrlKey, which: 1, created: false };
  if (account.tempUrlKey2) return { key: account.tempUrlKey2, which: 2, created: false };
  const key = generate();
  // Setting it is a POST, which the client does not retry. When the answer is lost (timeout,
  // reset, 5xx) the key may be set anyway: look before sending it again. A look that finds a key
  // was taken after our last attempt, so it also serves as the read-back.
  let after: AccountInfo | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      await objectStorage.account.setTempUrlKey(key, 1);
      break;
    } catch (err) {
      if (!outcomeUnknown(err) || attempt === 3) throw err;
      await defaultSleep(200 * attempt);
      const now = await objectStorage.account.get();
      if (now.tempUrlKey) {
        after = now;
        break;
      }
    }
  }
  after ??= await objectStorage.account.get();
  if (after.tempUrlKey && after.tempUrlKey !== key) return { key: after.tempUrlKey, which: 1, created: false };
  return { key, which: 1, created: true };
}

export interface ReleaseTempUrlOptions {
  objectStorage: ObjectStorage;
  container: string;
  object: string;
  /** Lifetime in seconds; default 24 h. */
  ttlSeconds?: number;
  /** HMAC digest; default sha256 (sha1 is deprecated in Swift, sha512 also accepted). */
  digest?: TempUrlDigest;
  /** Default GET; HEAD is allowed for probes. */
  method?: 'GET' | 'HEAD';
  /** A key already known (skips the account lookup). */
  key?: TempUrlKey;
  now?: () => number;
}

export interface ReleaseTempUrl {
  /** Contains the signature: hand it to the machines, do not log it (see `redactTempUrl`). */
  url: string;
  expiresAt: Date;
  method: 'GET' | 'HEAD';
  digest: TempUrlDigest;
  keyCreated: boolean;
}

/** A temp URL for the uploaded tarball, e.g. for the machines' download-release unit. */
export async function createReleaseTempUrl(options: ReleaseTempUrlOptions): Promise<ReleaseTempUrl> {
  const ttl = options.ttlSeconds ?? DEFAULT_TEMP_URL_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new TarballError('TEMP_URL_OPTIONS_INVALID', `Temp URL lifetime must be a positive whole number of seconds, got ${ttl}`);
  const digest = options.digest ?? 'sha256';
  if (!['sha1', 'sha256', 'sha512'].includes(digest)) throw new TarballError('TEMP_URL_OPTIONS_INVALID', `Temp URL digest must be sha1, sha256 or sha512, got ${String(digest)}`);
  const method = options.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') throw new TarballError('TEMP_URL_OPTIONS_INVALID', `Release temp URLs are for GET or HEAD, not ${String(method)}`);
  const key = options.key ?? (await ensureTempUrlKey(options.objectStorage));
  const expires = Math.floor((options.now ?? Date.now)() / 1000) + ttl;
  const url = await options.objectStorage.tempUrl({ container: options.container, object: options.object, method, digest, key: key.key, expiresAt: expires });
  return { url, expiresAt: new Date(expires * 1000), method, digest, keyCreated: key.created };
}

/** The URL with its signature masked, for logs and error messages. */
export function redactTempUrl(url: string): string {
  return url.replace(/([?&]temp_url_sig=)[^&#]*/gu, '$1REDACTED');
}
