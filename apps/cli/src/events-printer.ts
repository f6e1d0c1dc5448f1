import type { ClusterEvent } from '@rax-kube/cluster-up';
import type { CliIo } from './io.js';

/**
 * Renders up / down events on stderr: one line per step start and end, resource lines with -v,
 * progress lines with -v (on a terminal, progress rewrites one line). Nothing in events carries
 * a secret, so nothing here needs redacting.
 */
export function eventPrinter(io: CliIo, verbose: number): (event: ClusterEvent) => void {
  let progressShown = false;
  const clearProgress = () => {
    if (progressShown && io.isTTY) io.stderr('\r\u001b[2K');
    progressShown = false;
  };
  return (event) => {
    switch (event.type) {
      case 'step-started':
        clearProgress();
        io.stderr(`… ${event.title}\n`);
        break;
      case 'step-done':
        clearProgress();
        io.stderr(`✔ ${event.step}: ${event.message}\n`);
        break;
      case 'step-failed':
        clearProgress();
        io.stderr(`✖ ${event.step}: ${event.error.message}\n`);
        break;
      case 'step-progress':
        if (io.isTTY) {
          io.stderr(`\r\u001b[2K  ${event.step}: ${event.message}`);
          progressShown = true;
        } else if (verbose > 0) {
          io.stderr(`  ${event.step}: ${event.message}\n`);
        }
        break;
      case 'resource':
        if (verbose > 0) {
          clearProgress();
          io.stderr(`  ${event.action} ${event.kind} ${event.name} (${event.id})\n`);
        }
        break;
    }
  };
}
