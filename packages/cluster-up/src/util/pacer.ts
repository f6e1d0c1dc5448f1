import { defaultSleep, isOpenStackError } from '@rax-kube/openstack-client';
import type { OpenStackClient, RateLimit } from '@rax-kube/openstack-client';

const UNIT_MS: Record<RateLimit['unit'], number> = { SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };

interface Bucket {
  limit: RateLimit;
  pattern: RegExp;
  /** Requests the bucket gains per millisecond. */
  perMs: number;
  /** Never more than this at once: what the cloud said was left, which the true bucket holds at least. */
  cap: number;
  /** Below zero when requests are waiting for their turn (each reserves its token when it asks). */
  tokens: number;
  at: number;
}

export interface PacerOptions {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** The longest one request waits for its turn; past it, the request goes and the cloud's Retry-After rules (default 60 s). */
  maxWaitMs?: number;
  /**
   * How much later than its turn a request may reach the cloud (default 25 ms): the time between
   * `acquire` and the request on the wire (other work on the event loop, timers that fire a few
   * ms early). Requests held up that long can arrive bunched after the cloud's bucket sat full
   * and lost the refill, so the pacer keeps that much refill (rate x jitterMs) in hand.
   */
  jitterMs?: number;
}

/**
 * Sends requests at the rate a cloud publishes (`GET /limits`, Rackspace and Nova before Newton)
 * instead of finding the limit through 413 / 429 answers, whose Retry-After comes in whole
 * seconds: a burst of 50 creates against 20 requests/s would otherwise stall a full second at
 * the first refusal. Each published limit that matches a request's verb and path is a bucket
 * starting with what the cloud said remains, refilled at value per unit and holding at most that
 * much (the true bucket holds at least as much, so the pacer never runs ahead of the cloud).
 * A refusal still happens if something else spends the same limit; `refused` then empties the
 * buckets so later requests wait their turn too.
 */
export class RatePacer {
  private readonly buckets: Bucket[];
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxWaitMs: number;
  private readonly jitterMs: number;

  constructor(limits: readonly RateLimit[], options: PacerOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
    this.jitterMs = options.jitterMs ?? 25;
    const at = this.now();
    this.buckets = [];
    for (const limit of limits) {
      const pattern = compile(limit.regex);
      if (!pattern) continue;
      const remaining = limit.remaining ?? 1;
      this.buckets.push({ limit, pattern, perMs: limit.value / UNIT_MS[limit.unit], cap: Math.max(1, remaining), tokens: remaining, at });
    }
  }

  /** True when some published limit applies to `verb` on `path`. */
  paces(verb: string, path: string): boolean {
    return this.matching(verb, path).length > 0;
  }

  /** Waits for the request's turn under every limit that applies, and spends it. Returns the ms waited. */
  async acquire(verb: string, path: string): Promise<number> {
    const now = this.now();
    let wait = 0;
    for (const bucket of this.matching(verb, path)) {
      this.refill(bucket, now);
      const needed = 1 + bucket.perMs * this.jitterMs;
      if (bucket.tokens < needed) wait = Math.max(wait, (needed - bucket.tokens) / bucket.perMs);
      bucket.tokens -= 1;
    }
    const waited = Math.min(Math.ceil(wait), this.maxWaitMs);
    if (waited > 0) await this.sleep(waited);
    return waited;
  }

  /** The cloud refused a request for its rate: whatever the pacer thought was left is gone. */
  refused(verb: string, path: string): void {
    const now = this.now();
    for (const bucket of this.matching(verb, path)) {
      this.refill(bucket, now);
      bucket.tokens = Math.min(bucket.tokens, 0);
    }
  }

  /** The limits in force, for a person: "1200 per MINUTE on * (34 left)". */
  describe(verb: string, path: string): string[] {
    return this.matching(verb, path).map(({ limit }) => `${limit.value} ${limit.verb} per ${limit.unit} on ${limit.uri}${limit.remaining === undefined ? '' : ` (${limit.remaining} left)`}`);
  }

  private matching(verb: string, path: string): Bucket[] {
    const v = verb.toUpperCase();
    return this.buckets.filter((b) => (b.limit.verb === '*' || b.limit.verb === v) && b.pattern.test(path));
  }

  private refill(bucket: Bucket, now: number): void {
    bucket.tokens = Math.min(bucket.cap, bucket.tokens + (now - bucket.at) * bucket.perMs);
    bucket.at = now;
  }
}

/** Python's regular expressions as published; one JavaScript cannot read is left out rather than guessed. */
function compile(source: string): RegExp | undefined {
  try {
    return new RegExp(source);
  } catch {
    return undefined;
  }
}

/**
 * Sends `call` at its turn under `pacer` (right away without one); a rate-limit refusal tells the
 * pacer that the cloud's bucket is empty, then goes to the caller, who waits out its Retry-After.
 */
export async function paced<T>(pacer: RatePacer | undefined, verb: string, path: string, call: () => Promise<T>): Promise<T> {
  await pacer?.acquire(verb, path);
  try {
    return await call();
  } catch (error) {
    if (isOpenStackError(error, 'RATE_LIMITED')) pacer?.refused(verb, path);
    throw error;
  }
}

/**
 * A pacer for `verb path` on compute when the cloud publishes rate limits that cover it
 * (Rackspace does; Nova since Newton publishes none); undefined otherwise, or when the limits
 * cannot be read (pacing is an improvement, never a reason to fail).
 */
export async function publishedPacer(client: OpenStackClient, verb: string, path: string, options: PacerOptions = {}): Promise<RatePacer | undefined> {
  const limits = await client.compute.limits().catch(() => undefined);
  const pacer = limits && new RatePacer(limits.rate, options);
  return pacer?.paces(verb, path) ? pacer : undefined;
}
