import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { produceAhead } from './ahead.js';

describe('produceAhead', () => {
  it('produces every item in order, one per turn of the event loop, before anyone asks', async () => {
    const produced: number[] = [];
    const ahead = produceAhead([1, 2, 3], (n) => (produced.push(n), n * 10));
    expect(produced).toEqual([]);
    await nextTurn();
    expect(produced).toEqual([1]);
    expect(await ahead.get(3)).toBe(30);
    expect(await ahead.get(1)).toBe(10);
    expect(produced).toEqual([1, 2, 3]);
  });

  it('lets other work run between two items', async () => {
    const order: string[] = [];
    const ahead = produceAhead(['a', 'b'], (x) => order.push(`produce ${x}`));
    void nextTurn().then(() => order.push('other work'));
    await ahead.get('b');
    expect(order).toEqual(['produce a', 'other work', 'produce b']);
  });

  it('gives the first failure to that item and every later one, and stops there', async () => {
    const produced: string[] = [];
    const ahead = produceAhead(['a', 'b', 'c'], (x) => {
      produced.push(x);
      if (x === 'b') throw new Error('b is invalid');
      return x;
    });
    expect(await ahead.get('a')).toBe('a');
    await expect(ahead.get('b')).rejects.toThrow('b is invalid');
    await expect(ahead.get('c')).rejects.toThrow('b is invalid');
    expect(produced).toEqual(['a', 'b']);
    await expect(ahead.get('z')).rejects.toThrow('not one of the items given');
  });

  it('stops when told, refusing what is left', async () => {
    const produced: string[] = [];
    const ahead = produceAhead(['a', 'b'], (x) => (produced.push(x), x));
    ahead.stop();
    await expect(ahead.get('a')).rejects.toThrow('stopped before it was produced');
    await expect(ahead.get('b')).rejects.toThrow('stopped');
    expect(produced).toEqual([]);
  });
});
