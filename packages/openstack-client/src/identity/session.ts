/**
 * The token cache. One token at a time; refreshed shortly before it expires; when a request gets
 * 401 the session re-authenticates, but concurrent 401s share one refresh (single flight) and a
 * 401 for an already-replaced token just gets the current one.
 */
import { silentLogger } from '../logger.js';
import type { Logger } from '../logger.js';
import type { AuthProvider } from '../transport/transport.js';
import type { AuthResult } from './types.js';

export interface AuthSessionOptions {
  now?: () => number;
  /** Refresh this long before expiry (bounded to a quarter of the token's lifetime). Default 5 min. */
  refreshMarginMs?: number;
  logger?: Logger;
}

export class AuthSession implements AuthProvider {
  readonly #authenticate: () => Promise<AuthResult>;
  readonly #now: () => number;
  readonly #marginMs: number;
  readonly #logger: Logger;
  #current: AuthResult | undefined;
  #inflight: Promise<AuthResult> | undefined;
  #count = 0;

  constructor(authenticate: () => Promise<AuthResult>, options: AuthSessionOptions = {}) {
    this.#authenticate = authenticate;
    this.#now = options.now ?? Date.now;
    this.#marginMs = options.refreshMarginMs ?? 5 * 60_000;
    this.#logger = options.logger ?? silentLogger;
  }

  /** How many times this session has authenticated. */
  get authentications(): number {
    return this.#count;
  }

  #stale(r: AuthResult): boolean {
    const lifetime = r.expiresAt.getTime() - r.issuedAt.getTime();
    const margin = lifetime > 0 ? Math.min(this.#marginMs, lifetime / 4) : this.#marginMs;
    return this.#now() >= r.expiresAt.getTime() - margin;
  }

  /** The current authentication, refreshed if close to expiry. */
  async result(): Promise<AuthResult> {
    if (this.#current && !this.#stale(this.#current)) return this.#current;
    return this.refresh();
  }

  async token(): Promise<string> {
    return (await this.result()).token;
  }

  async reauthenticate(rejectedToken: string): Promise<string> {
    const cur = this.#current;
    if (cur && cur.token !== rejectedToken && !this.#stale(cur)) return cur.token;
    return (await this.refresh()).token;
  }

  /** Authenticates now; callers arriving while a refresh is in flight share it. */
  refresh(): Promise<AuthResult> {
    if (!this.#inflight) {
      this.#inflight = (async () => {
        try {
          const r = await this.#authenticate();
          this.#count += 1;
          this.#current = r;
          this.#logger.debug(`authenticated (identity ${r.identityVersion}), token expires ${r.expiresAt.toISOString()}`);
          return r;
        } finally {
          this.#inflight = undefined;
        }
      })();
    }
    return this.#inflight;
  }

  /** Forgets the cached token (the next call authenticates). */
  invalidate(): void {
    this.#current = undefined;
  }
}
