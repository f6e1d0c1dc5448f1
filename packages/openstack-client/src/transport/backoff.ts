/**
 * Retry decisions as a pure function: given what went wrong on attempt N, say whether to try again
 * and after how long. No clock, no randomness of its own: `nowMs` and `random` are inputs.
 */

export interface RetryPolicy {
  /** Retries after the first attempt (so `limit + 1` attempts in total). */
  limit: number;
  /** First backoff for 5xx / connection errors; doubles each attempt. */
  baseDelayMs: number;
  /** Upper bound of any computed (not server-given) backoff. */
  maxDelayMs: number;
  /** First backoff for 413/429 without Retry-After; doubles each attempt. */
  rateLimitBaseDelayMs: number;
  /** A Retry-After longer than this is not waited for: the call fails with RATE_LIMITED. */
  maxRetryAfterMs: number;
  /** 0..1: fraction of a computed delay that may be shaved off at random (spreads herds). */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  limit: 4,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  rateLimitBaseDelayMs: 2_000,
  maxRetryAfterMs: 120_000,
  jitter: 0.2,
});

/** Methods that may be re-sent after a failure that left the outcome unknown. */
export const IDEMPOTENT_METHODS: readonly string[] = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'];

/** Network-level failures where the request may or may not have reached the server. */
export const RETRYABLE_ERROR_CODES: readonly string[] = [
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
];

export const RETRYABLE_STATUS: readonly number[] = [500, 502, 503, 504];
export const RATE_LIMIT_STATUS: readonly number[] = [413, 429];

export interface RetryInput {
  /** How many attempts have failed so far (1 after the first failure). */
  attempt: number;
  method: string;
  status?: number;
  /** Node / got error code for failures without a response. */
  errorCode?: string;
  /** Raw Retry-After header. */
  retryAfter?: string;
  nowMs: number;
  /** A number in [0, 1). */
  random: number;
}

export type RetryReason = 'rate-limited' | 'server-error' | 'connection';

export type RetryDecision =
  | { retry: true; delayMs: number; reason: RetryReason }
  | {
      retry: false;
      reason: 'limit' | 'not-retryable' | 'not-idempotent' | 'retry-after-too-long';
      retryAfterMs?: number;
    };

/**
 * Parses Retry-After: delta-seconds or an HTTP-date. Returns milliseconds (never negative), or
 * undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  // An HTTP-date always has a weekday/month name; this also keeps Date.parse from reading "-3" as a year.
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

function exponential(base: number, attempt: number, cap: number, jitter: number, random: number): number {
  const raw = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(raw * (1 - jitter * random)));
}

export function decideRetry(input: RetryInput, policy: RetryPolicy = DEFAULT_RETRY_POLICY): RetryDecision {
  const method = input.method.toUpperCase();
  const idempotent = IDEMPOTENT_METHODS.includes(method);
  const rateLimited = input.status !== undefined && RATE_LIMIT_STATUS.includes(input.status);
  const serverError = input.status !== undefined && RETRYABLE_STATUS.includes(input.status);
  const connection = input.status === undefined && input.errorCode !== undefined && RETRYABLE_ERROR_CODES.includes(input.errorCode);

  if (!rateLimited && !serverError && !connection) return { retry: false, reason: 'not-retryable' };
  // A rate-limited request was refused before any work was done: safe to re-send whatever the method.
  if (!rateLimited && !idempotent) return { retry: false, reason: 'not-idempotent' };

  const retryAfterMs = parseRetryAfter(input.retryAfter, input.nowMs);
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) {
    return { retry: false, reason: 'retry-after-too-long', retryAfterMs };
  }
  if (input.attempt > policy.limit) {
    return retryAfterMs === undefined ? { retry: false, reason: 'limit' } : { retry: false, reason: 'limit', retryAfterMs };
  }

  if (rateLimited) {
    const delayMs =
      retryAfterMs !== undefined
        ? Math.max(retryAfterMs, 1)
        : exponential(policy.rateLimitBaseDelayMs, input.attempt, policy.maxDelayMs, policy.jitter, input.random);
    return { retry: true, delayMs, reason: 'rate-limited' };
  }
  if (serverError && retryAfterMs !== undefined) {
    return { retry: true, delayMs: Math.max(retryAfterMs, 1), reason: 'server-error' };
  }
  return {
    retry: true,
    delayMs: exponential(policy.baseDelayMs, input.attempt, policy.maxDelayMs, policy.jitter, input.random),
    reason: serverError ? 'server-error' : 'connection',
  };
}
