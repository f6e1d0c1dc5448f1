import type { ClusterEvent, EventSink } from '@rax-kube/cluster-up';
import { colorWanted, redrawableTerminal } from './io.js';
import type { CliIo } from './io.js';
import { describeTransfer, progressPrinter } from './progress.js';
import type { TransferProgress } from './progress.js';
import { liveTaskList } from './task-list-writer.js';

/** Where up and down report as they go, on stderr. */
export interface StepOutput {
  emit: EventSink;
  /** Download / upload progress of the release. */
  transfer: (label: string, progress: TransferProgress) => void;
  /** A note for the user; while the task list is live it goes above the list. */
  note: (text: string) => void;
  /** Leaves the last state on screen and the terminal as it was found; call it before exiting. */
  close(): void;
}

/**
 * A live task list when stderr is a terminal that can redraw, plain lines otherwise (logs, CI,
 * TERM=dumb), and no step output with --json (stdout carries the result; transfers still show).
 */
export function stepOutput(io: CliIo, options: { verbose: number; json: boolean }): StepOutput {
  const terminal = redrawableTerminal(io);
  if (options.json || !terminal) {
    return { emit: options.json ? () => undefined : eventPrinter(io, options.verbose), transfer: progressPrinter(io), note: io.stderr, close: () => undefined };
  }
  const list = liveTaskList(io.stderr, terminal, { color: colorWanted(io) });
  return {
    emit: (event) => {
      if (event.type !== 'resource') list.event(event);
      else if (options.verbose > 0) list.print(resourceLine(event));
    },
    transfer: (label, progress) => list.event({ type: 'step-progress', step: 'release', message: describeTransfer(label, progress) }),
    note: (text) => list.print(text),
    close: () => list.close(),
  };
}

/**
 * Plain lines for logs: one per step start and end, resource and progress lines with -v.
 * Nothing in events carries a secret, so nothing here needs redacting.
 */
export function eventPrinter(io: CliIo, verbose: number): (event: ClusterEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'step-started':
        io.stderr(`… ${event.title}\n`);
        break;
      case 'step-done':
        io.stderr(`✔ ${event.step}: ${event.message}\n`);
        break;
      case 'step-failed':
        io.stderr(`✖ ${event.step}: ${event.error.message}\n`);
        break;
      case 'step-progress':
        if (verbose > 0) io.stderr(`  ${event.step}: ${event.message}\n`);
        break;
      case 'resource':
        if (verbose > 0) io.stderr(resourceLine(event));
        break;
    }
  };
}

function resourceLine(event: Extract<ClusterEvent, { type: 'resource' }>): string {
  return `  ${event.action} ${event.kind} ${event.name} (${event.id})\n`;
}
