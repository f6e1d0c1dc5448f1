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

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.requestsPerSecond);
    this.last = t;
  }

  /** What Nova's `/limits` reports of this bucket: whole requests left now, and when the next one is. */
  state(): { remaining: number; nextAvailableMs: number } {
    this.refill();
    const remaining = Math.floor(this.tokens);
    return { remaining, nextAvailableMs: this.last + (remaining >= 1 ? 0 : ((1 - this.tokens) / this.requestsPerSecond) * 1000) };
  }

  /** Takes one token; returns 0 when allowed, else the seconds to wait (rounded up, ≥ 1). */
  take(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    const missing = 1 - this.tokens;
    return Math.max(1, Math.ceil(missing / this.requestsPerSecond));
  }
}
