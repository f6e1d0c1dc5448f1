import { describe, expect, it } from 'vitest';
import { mapBounded } from './pool.js';

describe('mapBounded', () => {
  it('keeps at most `limit` in flight and returns results in order', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapBounded([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });

  it('attempts every item and then throws the first error', async () => {
    const seen: number[] = [];
    await expect(
      mapBounded([1, 2, 3], 1, async (n) => {
        seen.push(n);
        if (n === 2) throw new Error('two');
        return n;
      }),
    ).rejects.toThrow('two');
    expect(seen).toEqual([1, 2, 3]);
  });
});
