import { describe, expect, it } from 'vitest';
import { ProgressMeter } from './progress.js';
import type { TransferProgress } from './progress.js';

describe('ProgressMeter', () => {
  it('reports rate and ETA from an injected clock, throttled, and always a final report', () => {
    let t = 1000;
    const seen: TransferProgress[] = [];
    const meter = new ProgressMeter(1000, (p) => seen.push(p), { now: () => t, intervalMs: 100 });
    t = 1100;
    meter.add(100); // reported: 100 B in 100 ms
    t = 1150;
    meter.add(100); // throttled
    t = 1200;
    meter.add(100); // reported
    t = 1300;
    meter.finish();
    meter.finish();
    expect(seen).toEqual([
      { bytesDone: 100, bytesTotal: 1000, bytesPerSecond: 1000, etaSeconds: 0.9, elapsedMs: 100, done: false },
      { bytesDone: 300, bytesTotal: 1000, bytesPerSecond: 1500, etaSeconds: 700 / 1500, elapsedMs: 200, done: false },
      { bytesDone: 300, bytesTotal: 1000, bytesPerSecond: 1000, etaSeconds: 0, elapsedMs: 300, done: true },
    ]);
  });

  it('leaves the ETA undefined when the total is unknown', () => {
    let t = 0;
    const meter = new ProgressMeter(undefined, undefined, { now: () => t });
    t = 10;
    meter.add(5);
    expect(meter.snapshot()).toMatchObject({ bytesDone: 5, bytesTotal: undefined, etaSeconds: undefined, bytesPerSecond: 500 });
  });
});
