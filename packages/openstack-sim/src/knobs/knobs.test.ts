import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { COREOS_IMAGE_ID, startSim, type FaultKind, type Sim } from '../index.js';
import { call, client, tokenFor } from '../testing/harness.js';
import { decideFault } from './faults.js';
import { createPrng } from './prng.js';
import { TokenBucket } from './rate-limit.js';

let sim: Sim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** Status of a request, or 'reset' when the connection was dropped without an answer. */
function raw(url: string, method = 'GET', headers: Record<string, string> = {}, body?: string): Promise<number | 'reset'> {
  return new Promise((resolve) => {
    const req = request(url, { method, headers: { ...headers, connection: 'close' }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve('reset'));
    req.end(body);
  });
}

describe('PRNG and fault decisions', () => {
  it('is reproducible from the seed', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const c = createPrng(43);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('never faults at rate 0 and always at rate 1', () => {
    const prng = createPrng(7);
    const kinds: FaultKind[] = ['5xx', '429'];
    expect(Array.from({ length: 50 }, () => decideFault(prng, 0, kinds).kind).every((k) => k === 'none')).toBe(true);
    expect(Array.from({ length: 50 }, () => decideFault(prng, 1, kinds).kind).every((k) => k === 'status')).toBe(true);
  });
});

describe('fault injection over HTTP', () => {
  async function sequence(seed: number): Promise<Array<number | 'reset'>> {
    const s = await startSim({ seed, faults: { rate: 0.5, kinds: ['5xx', '429', 'reset'] } });
    try {
      const { token } = await tokenFor(s);
      const out: Array<number | 'reset'> = [];
      for (let i = 0; i < 30; i++) out.push(await raw(`${s.url}/v2.1/flavors`, 'GET', { 'x-auth-token': token }));
      return out;
    } finally {
      await s.close();
    }
  }

  it('gives the same faults for the same seed and request sequence', async () => {
    const a = await sequence(1234);
    const b = await sequence(1234);
    const c = await sequence(99);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(a).toContain(200);
    expect(a.some((x) => x === 500 || x === 503)).toBe(true);
    expect(a).toContain(429);
    expect(a).toContain('reset');
  });

  it('sends Retry-After with 413/429 unless the kind says not to; counts faults', async () => {
    sim = await startSim({ faults: { rate: 1, kinds: ['413'], retryAfterSeconds: 3 } });
    const { token } = await tokenFor(sim); // token requests are exempt by default
    const r = await call(`${sim.url}/v2.1/flavors`, { headers: { 'x-auth-token': token } });
    expect(r.status).toBe(413);
    expect(r.headers.get('retry-after')).toBe('3');
    expect(r.json.overLimit).toMatchObject({ code: 413, retryAfter: '3' });
    await sim.close();
    sim = await startSim({ faults: { rate: 1, kinds: ['429-no-retry-after'] } });
    const t2 = await tokenFor(sim);
    const r2 = await call(`${sim.url}/v2.0/networks`, { headers: { 'x-auth-token': t2.token } });
    expect(r2.status).toBe(429);
    expect(r2.headers.get('retry-after')).toBeNull();
    expect(sim.state.faults()).toMatchObject({ total: 1, byKind: { '429-no-retry-after': 1 } });
  });

  it('injects faults into token requests only when includeIdentity is set', async () => {
    sim = await startSim({ faults: { rate: 1, kinds: ['5xx'], includeIdentity: true } });
    const r = await call(`${sim.url}/v3/auth/tokens`, { method: 'POST', body: '{}' });
    expect([500, 503]).toContain(r.status);
  });

  it('creates the server and then drops the connection on a reset during POST /servers', async () => {
    sim = await startSim({ faults: { rate: 1, kinds: ['reset'] }, bootTimeMs: 0 });
    const { token } = await tokenFor(sim);
    const outcome = await raw(
      `${sim.url}/v2.1/servers`,
      'POST',
      { 'x-auth-token': token, 'content-type': 'application/json' },
      JSON.stringify({ server: { name: 'kube-master', imageRef: COREOS_IMAGE_ID, flavorRef: '1', networks: 'none' } }),
    );
    expect(outcome).toBe('reset');
    // networks "none" needs 2.37, so that create failed validation; now a valid one.
    const second = await raw(
      `${sim.url}/v2.1/servers`,
      'POST',
      { 'x-auth-token': token, 'content-type': 'application/json' },
      JSON.stringify({ server: { name: 'kube-master', imageRef: COREOS_IMAGE_ID, flavorRef: '1' } }),
    );
    expect(second).toBe('reset');
    expect(sim.state.servers().map((s) => s.name)).toEqual(['kube-master']);
    expect(sim.state.faults().byKind.reset).toBe(2);
  });

  it('holds a request on timeout and drops it after timeoutHoldMs; close() ends held requests', async () => {
    sim = await startSim({ faults: { rate: 1, kinds: ['timeout'], timeoutHoldMs: 200 } });
    const { token } = await tokenFor(sim);
    const started = Date.now();
    expect(await raw(`${sim.url}/v2.1/flavors`, 'GET', { 'x-auth-token': token })).toBe('reset');
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    await sim.close();
    sim = await startSim({ faults: { rate: 1, kinds: ['timeout'], timeoutHoldMs: 60_000 } });
    const t2 = await tokenFor(sim);
    const pending = raw(`${sim.url}/v2.1/flavors`, 'GET', { 'x-auth-token': t2.token });
    await new Promise((r) => setTimeout(r, 50));
    const closing = Date.now();
    await sim.close();
    sim = undefined;
    expect(await pending).toBe('reset');
    expect(Date.now() - closing).toBeLessThan(2000);
  });

  it('adds latency to every call', async () => {
    sim = await startSim({ latencyMs: 80 });
    const started = Date.now();
    await call(`${sim.url}/info`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });
});

describe('rate limiting', () => {
  it('token bucket: burst, then waits computed from the refill rate', () => {
    let now = 0;
    const bucket = new TokenBucket(2, 3, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0]);
    expect(bucket.take()).toBe(1);
    now = 500;
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBeGreaterThan(0);
  });

  it('answers 429 with Retry-After in openstack mode', async () => {
    sim = await startSim({ rateLimit: { requestsPerSecond: 1, burst: 2 } });
    const { api } = await client(sim);
    const statuses = [];
    let last;
    for (let i = 0; i < 4; i++) {
      last = await api('GET', '/v2.1/flavors');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(sim.state.rateLimitedCount()).toBe(2);
  });

  it('answers 413 with Retry-After in rackspace mode (legacy overLimit)', async () => {
    sim = await startSim({ mode: 'rackspace', rateLimit: { requestsPerSecond: 1, burst: 1 } });
    const { api } = await client(sim);
    expect((await api('GET', '/v2/123456/flavors')).status).toBe(200);
    const limited = await api('GET', '/v2/123456/flavors');
    expect(limited.status).toBe(413);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.json.overLimit.code).toBe(413);
    // Each service has its own bucket; Swift's, once spent, answers with its HTML page.
    expect((await api('GET', '/v1/MossoCloudFS_123456')).status).toBe(204);
    const swift = await api('GET', '/v1/MossoCloudFS_123456');
    expect(swift.status).toBe(413);
    expect(swift.text).toContain('<h1>Request Entity Too Large</h1>');
  });
});
