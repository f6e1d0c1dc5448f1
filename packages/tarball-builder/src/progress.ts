/** How far a transfer (download, digest pass or upload) has got, for the CLI to draw. */
export interface TransferProgress {
  bytesDone: number;
  /** Undefined when the size is not known (a download without Content-Length). */
  bytesTotal: number | undefined;
  /** Average since the start of the transfer. */
  bytesPerSecond: number;
  /** Seconds left at the average rate; undefined while the rate or the total is unknown. */
  etaSeconds: number | undefined;
  elapsedMs: number;
  done: boolean;
}

export type ProgressListener = (progress: TransferProgress) => void;

export interface ProgressMeterOptions {
  /** Milliseconds between reports; the final report is always sent. Default 250. */
  intervalMs?: number;
  now?: () => number;
}

/**
 * Counts bytes and reports at most every `intervalMs`, so a listener that redraws a terminal line
 * is not called for every 64 KiB chunk. The clock is injectable for tests.
 */
export class ProgressMeter {
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly started: number;
  private lastReport = -Infinity;
  private bytes = 0;
  private finished = false;

  constructor(
    private readonly total: number | undefined,
    private readonly listener: ProgressListener | undefined,
    options: ProgressMeterOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.intervalMs = options.intervalMs ?? 250;
    this.started = this.now();
  }

  get bytesDone(): number {
    return this.bytes;
  }

  add(count: number): void {
    this.bytes += count;
    if (this.listener === undefined) return;
    const t = this.now();
    if (t - this.lastReport >= this.intervalMs) {
      this.lastReport = t;
      this.listener(this.snapshot(t, false));
    }
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.listener?.(this.snapshot(this.now(), true));
  }

  snapshot(t = this.now(), done = this.finished): TransferProgress {
    const elapsedMs = Math.max(0, t - this.started);
    const bytesPerSecond = elapsedMs > 0 ? (this.bytes * 1000) / elapsedMs : 0;
    const etaSeconds = done ? 0 : this.total !== undefined && bytesPerSecond > 0 ? Math.max(0, this.total - this.bytes) / bytesPerSecond : undefined;
    return { bytesDone: this.bytes, bytesTotal: this.total, bytesPerSecond, etaSeconds, elapsedMs, done };
  }
}
