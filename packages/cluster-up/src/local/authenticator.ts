import { createHash, timingSafeEqual } from 'node:crypto';
import type { FakeMasterCredentials } from './credentials.js';

/** Decides whether an `Authorization` header value carries valid credentials. */
export type Authenticator = (authorization: string | undefined) => boolean;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Secrets are compared as SHA-256 digests with `timingSafeEqual`: equal-length buffers whatever
 * the input length, and every known credential is compared on each request (no early exit), so
 * the response time does not tell how close a guess was.
 */
function matchesAny(candidate: string, known: readonly Buffer[]): boolean {
  const presented = digest(candidate);
  let found = false;
  for (const secret of known) found = timingSafeEqual(presented, secret) || found;
  return found;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * `Basic <base64(user:password)>` against the basic-auth users, `Bearer <token>` against the
 * tokens, as the apiserver's basic and token authenticators read them (scheme case-insensitive,
 * the user ends at the first `:`).
 */
export function createAuthenticator(credentials: FakeMasterCredentials): Authenticator {
  const users = credentials.basicAuth.map(({ user, password }) => ({ user: digest(user), password: digest(password) }));
  const tokens = [...credentials.tokens].filter((token) => token !== '').map(digest);
  return (authorization) => {
    if (authorization === undefined) return false;
    const match = /^(basic|bearer) +(\S+) *$/i.exec(authorization);
    if (!match) return false;
    const scheme = (match[1] ?? '').toLowerCase();
    const value = match[2] ?? '';
    if (scheme === 'bearer') return matchesAny(value, tokens);
    if (!BASE64.test(value) || value.length % 4 !== 0) return false;
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const user = digest(decoded.slice(0, colon));
    const password = digest(decoded.slice(colon + 1));
    let found = false;
    for (const known of users) {
      const userMatches = timingSafeEqual(user, known.user);
      const passwordMatches = timingSafeEqual(password, known.password);
      found = (userMatches && passwordMatches) || found;
    }
    return found;
  };
}
