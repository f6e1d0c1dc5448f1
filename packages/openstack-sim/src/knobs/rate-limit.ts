/** A token bucket: `burst` requests at once, refilled at `requestsPerSecond`. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly requestsPerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes one token; returns 0 when allowed, else the seconds to wait (rounded up, ≥ 1). */
  take(): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.requestsPerSecond);
    this.last = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    const missing = 1 - this.tokens;
    return Math.max(1, Math.ceil(missing / this.requestsPerSecond));
  }
}
