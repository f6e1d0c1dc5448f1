/**
 * The wait before the next poll of something that takes a while (servers turning ACTIVE, or
 * going away): a tenth of the time waited so far, at least 250 ms, at most 10 s. A change is seen
 * within about 10 % of the wait, at a few polls a second early on and ever fewer later.
 */
export function pollDelayMs(waitedMs: number): number {
  return Math.min(10_000, Math.max(250, waitedMs / 10));
}
