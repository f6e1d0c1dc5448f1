import { describe, expect, it } from 'vitest';
import type { RateLimit } from '@rax-kube/openstack-client';
import { RatePacer } from './pacer.js';

/** A fake clock whose sleep advances it; several waiters resolve in order of their wake-up time. */
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now = Math.max(now, now + ms);
    },
    advance: (ms: number) => void (now += ms),
    sleeps,
  };
}

/** The cloud's side: a token bucket of `burst`, refilled at `perSecond`, as the local cloud keeps one. */
function cloudBucket(perSecond: number, burst: number, start: number, now: () => number) {
  let tokens = start;
  let at = now();
  return {
    take(): boolean {
      tokens = Math.min(burst, tokens + ((now() - at) / 1000) * perSecond);
      at = now();
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

const perMinute = (value: number, remaining?: number, verb = '*', regex = '.*'): RateLimit => ({ verb, uri: '*', regex, value, unit: 'MINUTE', ...(remaining === undefined ? {} : { remaining }) });

describe('RatePacer', () => {
  it('sends a burst of creates at the published rate without one refusal, and no slower than the cloud allows', async () => {
    const time = fakeTime();
    // 20 requests/s; the cloud's bucket holds 40 and has 34.6 left when /limits said 34.
    const cloud = cloudBucket(20, 40, 34.6, time.now);
    const pacer = new RatePacer([perMinute(1200, 34)], { ...time, jitterMs: 0 });
    let refused = 0;
    for (let i = 0; i < 51; i++) {
      await pacer.acquire('POST', '/servers');
      if (!cloud.take()) refused++;
    }
    expect(refused).toBe(0);
    // 34 at once, then 17 more at 20/s: 0.85 s, never a whole-second Retry-After stall.
    expect(time.now()).toBe(850);
  });

  it('reserves turns for concurrent callers: each waits its own share, none runs ahead', async () => {
    const time = fakeTime();
    const pacer = new RatePacer([perMinute(600, 2)], { now: time.now, sleep: async (ms) => void time.sleeps.push(ms), jitterMs: 0 });
    const waits = await Promise.all([0, 1, 2, 3, 4].map(() => pacer.acquire('POST', '/servers')));
    expect(waits).toEqual([0, 0, 100, 200, 300]);
  });

  it('applies only the limits whose verb and path match, and all of them at once', async () => {
    const time = fakeTime();
    const pacer = new RatePacer([perMinute(60, 1, 'POST', '^/servers'), perMinute(6000, 100, 'GET')], { ...time, jitterMs: 0 });
    expect(pacer.paces('DELETE', '/servers/x')).toBe(false);
    expect(pacer.paces('POST', '/os-keypairs')).toBe(false);
    expect(pacer.paces('post', '/servers')).toBe(true);
    expect(await pacer.acquire('GET', '/servers/detail')).toBe(0);
    expect(await pacer.acquire('POST', '/servers')).toBe(0);
    expect(await pacer.acquire('POST', '/servers')).toBe(1000);
    expect(pacer.describe('POST', '/servers')).toEqual(['60 POST per MINUTE on * (1 left)']);
  });

  it('leaves out a limit whose pattern JavaScript cannot read, rather than guess', () => {
    const pacer = new RatePacer([perMinute(1, 0, '*', '(?P<name>x')]);
    expect(pacer.paces('POST', '/servers')).toBe(false);
  });

  it('after a refusal, later requests wait for the refill instead of trying their luck', async () => {
    const time = fakeTime();
    const pacer = new RatePacer([perMinute(1200, 40)], time);
    expect(await pacer.acquire('POST', '/servers')).toBe(0);
    pacer.refused('POST', '/servers');
    // 50 ms for the refill, and 25 ms more: the refill kept in hand for a request that is late.
    expect(await pacer.acquire('POST', '/servers')).toBe(75);
  });

  it('never waits longer than maxWaitMs for one turn (a daily limit is left to the cloud to enforce)', async () => {
    const time = fakeTime();
    const pacer = new RatePacer([{ verb: 'POST', uri: '*/servers', regex: '.*', value: 50, unit: 'DAY', remaining: 0 }], { ...time, maxWaitMs: 60_000 });
    expect(await pacer.acquire('POST', '/servers')).toBe(60_000);
  });

  it('keeps refill in hand for requests that reach the cloud late and bunched', async () => {
    // The first ten requests (the burst) are held up 40 ms on the event loop and arrive together,
    // after the cloud's bucket sat full and lost that refill; the later ones go out on their turn.
    const arrivals = async (jitterMs: number) => {
      const time = fakeTime();
      const pacer = new RatePacer([perMinute(1200, 10)], { now: time.now, sleep: async () => undefined, jitterMs });
      const sent: number[] = [];
      for (let i = 0; i < 14; i++) {
        time.advance(await pacer.acquire('POST', '/servers'));
        sent.push(time.now() + (i < 10 ? 40 : 0));
      }
      let cloudNow = 0;
      const cloud = cloudBucket(20, 10, 10, () => cloudNow);
      let refused = 0;
      for (const at of sent.sort((a, b) => a - b)) {
        cloudNow = at;
        if (!cloud.take()) refused++;
      }
      return refused;
    };
    expect(await arrivals(0)).toBeGreaterThan(0);
    expect(await arrivals(40)).toBe(0);
  });

  it('starts from one request when the cloud does not say how many remain', async () => {
    const time = fakeTime();
    const pacer = new RatePacer([perMinute(120)], { ...time, jitterMs: 0 });
    expect(await pacer.acquire('POST', '/servers')).toBe(0);
    expect(await pacer.acquire('POST', '/servers')).toBe(500);
  });
});
