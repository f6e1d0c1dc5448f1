import { redrawableTerminal } from './io.js';
import type { CliIo } from './io.js';

export interface TransferProgress {
  bytesDone: number;
  bytesTotal: number | undefined;
  bytesPerSecond: number;
  etaSeconds: number | undefined;
  done: boolean;
}

const MIB = 1024 * 1024;

/** `upload: 12.0 / 40.0 MiB at 3.1 MiB/s, 10 s left` */
export function describeTransfer(label: string, p: TransferProgress): string {
  return `${label}: ${(p.bytesDone / MIB).toFixed(1)}${p.bytesTotal ? ` / ${(p.bytesTotal / MIB).toFixed(1)}` : ''} MiB at ${(p.bytesPerSecond / MIB).toFixed(1)} MiB/s${p.etaSeconds !== undefined && !p.done ? `, ${Math.ceil(p.etaSeconds)} s left` : ''}`;
}

/**
 * Transfer progress on stderr: one line rewritten in place on a terminal, otherwise a line per
 * 10 % step (or per 64 MiB when the size is unknown), so logs stay short.
 */
export function progressPrinter(io: CliIo): (label: string, progress: TransferProgress) => void {
  const redraw = redrawableTerminal(io) !== undefined;
  let lastStep = -1;
  let lastLabel = '';
  return (label, p) => {
    if (label !== lastLabel) {
      lastStep = -1;
      lastLabel = label;
    }
    const step = p.bytesTotal ? Math.floor((p.bytesDone / p.bytesTotal) * 10) : Math.floor(p.bytesDone / (64 * MIB));
    const text = describeTransfer(label, p);
    if (redraw) {
      io.stderr(`\r\u001b[2K${text}${p.done ? '\n' : ''}`);
    } else if (step !== lastStep || p.done) {
      lastStep = step;
      io.stderr(`${text}\n`);
    }
  };
}
