import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, decideRetry, parseRetryAfter } from './backoff.js';
import type { RetryInput, RetryPolicy } from './backoff.js';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, jitter: 0 };
const input = (over: Partial<RetryInput>): RetryInput => ({ attempt: 1, method: 'GET', nowMs: NOW, random: 0, ...over });

describe('parseRetryAfter', () => {
  it.each([
    ['5', 5000],
    ['0', 0],
    [' 12 ', 12000],
    ['1.5', 1500],
    ['Wed, 01 Jan 2025 12:00:30 GMT', 30000],
    ['Wed, 01 Jan 2025 11:59:00 GMT', 0],
  ])('parses %j as %d ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });
  it.each([undefined, '', 'soon', '-3'])('returns undefined for %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});

describe('decideRetry', () => {
  it('retries 5xx on idempotent methods with exponential backoff capped by maxDelayMs', () => {
    const delays = [1, 2, 3, 4].map((attempt) => decideRetry(input({ attempt, status: 503 }), { ...policy, maxDelayMs: 3000 }));
    expect(delays.map((d) => (d.retry ? d.delayMs : -1))).toEqual([500, 1000, 2000, 3000]);
  });

  it('never retries a POST on 5xx or a connection error', () => {
    expect(decideRetry(input({ method: 'POST', status: 500 }), policy)).toEqual({ retry: false, reason: 'not-idempotent' });
    expect(decideRetry(input({ method: 'post', errorCode: 'ECONNRESET' }), policy)).toEqual({ retry: false, reason: 'not-idempotent' });
    expect(decideRetry(input({ method: 'PATCH', errorCode: 'ETIMEDOUT' }), policy).retry).toBe(false);
  });

  it.each(['GET', 'HEAD', 'PUT', 'DELETE'])('retries %s on connection errors', (method) => {
    for (const errorCode of ['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED']) {
      expect(decideRetry(input({ method, errorCode }), policy)).toMatchObject({ retry: true, reason: 'connection' });
    }
  });

  it('retries every method on 413 and 429, honouring Retry-After in seconds and as an HTTP date', () => {
    expect(decideRetry(input({ method: 'POST', status: 429, retryAfter: '7' }), policy)).toEqual({ retry: true, delayMs: 7000, reason: 'rate-limited' });
    expect(decideRetry(input({ method: 'POST', status: 413, retryAfter: 'Wed, 01 Jan 2025 12:00:03 GMT' }), policy)).toEqual({
      retry: true,
      delayMs: 3000,
      reason: 'rate-limited',
    });
  });

  it('uses a bounded default backoff for rate limits without Retry-After', () => {
    const d = [1, 2, 3, 4, 5].map((attempt) => decideRetry(input({ attempt, method: 'POST', status: 413 }), { ...policy, limit: 10 }));
    expect(d.map((x) => (x.retry ? x.delayMs : -1))).toEqual([2000, 4000, 8000, 16000, 20000]);
  });

  it('does not wait for a Retry-After beyond the cap, and reports it', () => {
    expect(decideRetry(input({ status: 429, retryAfter: '3600' }), policy)).toEqual({ retry: false, reason: 'retry-after-too-long', retryAfterMs: 3_600_000 });
  });

  it('stops after the limit', () => {
    expect(decideRetry(input({ attempt: policy.limit, status: 502 }), policy).retry).toBe(true);
    expect(decideRetry(input({ attempt: policy.limit + 1, status: 502 }), policy)).toEqual({ retry: false, reason: 'limit' });
  });

  it('does not retry client errors or unknown failures', () => {
    for (const status of [400, 401, 403, 404, 409, 501]) {
      expect(decideRetry(input({ status }), policy)).toEqual({ retry: false, reason: 'not-retryable' });
    }
    expect(decideRetry(input({ errorCode: 'ERR_SOMETHING' }), policy).retry).toBe(false);
  });

  it('jitter only ever shortens a computed delay, never a server-given one', () => {
    const jittered = { ...policy, jitter: 0.5 };
    const d = decideRetry(input({ status: 500, random: 0.999 }), jittered);
    expect(d.retry && d.delayMs).toBeGreaterThanOrEqual(250);
    expect(d.retry && d.delayMs).toBeLessThanOrEqual(500);
    expect(decideRetry(input({ status: 429, retryAfter: '2', random: 0.9 }), jittered)).toMatchObject({ delayMs: 2000 });
  });

  it('honours Retry-After on 503', () => {
    expect(decideRetry(input({ status: 503, retryAfter: '4' }), policy)).toEqual({ retry: true, delayMs: 4000, reason: 'server-error' });
  });
});
