import { OpenStackError } from '@rax-kube/openstack-client';
import { describe, expect, it } from 'vitest';
import { withRateLimitPatience } from './rate-limit.js';

const limited = (retryAfterMs?: number) =>
  new OpenStackError({ code: 'RATE_LIMITED', message: 'rate limited', status: 429, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });

describe('withRateLimitPatience', () => {
  it('waits as the cloud says (5 s when it does not say) and tries again until the call goes through', async () => {
    const waits: number[] = [];
    const answers: Array<() => string> = [() => { throw limited(240_000); }, () => { throw limited(); }, () => 'ok'];
    const result = await withRateLimitPatience(async (ms) => void waits.push(ms), async () => (answers.shift() ?? (() => 'extra'))());
    expect(result).toBe('ok');
    expect(waits).toEqual([240_000, 5000]);
  });

  it('gives up after its attempts, and never retries other errors', async () => {
    let calls = 0;
    await expect(withRateLimitPatience(async () => undefined, async () => { calls++; throw limited(1); }, 3)).rejects.toThrow('rate limited');
    expect(calls).toBe(3);
    calls = 0;
    const notFound = new OpenStackError({ code: 'HTTP_NOT_FOUND', message: 'gone', status: 404 });
    await expect(withRateLimitPatience(async () => undefined, async () => { calls++; throw notFound; })).rejects.toBe(notFound);
    expect(calls).toBe(1);
  });
});
