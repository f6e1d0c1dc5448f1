import type { ClusterEvent } from '@rax-kube/cluster-up';
import type { Terminal } from './io.js';
import { FRAME_INTERVAL_MS, renderTaskList, withEvent } from './task-list.js';
import type { FrameOptions, Task } from './task-list.js';

const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';
const ERASE_DOWN = '\u001b[J';

/** The task list drawn live on a terminal. */
export interface LiveTaskList {
  event(event: ClusterEvent): void;
  /** Text that goes above the list (resource lines, notes): printed once, it scrolls like a log. */
  print(text: string): void;
  /** Draws the final frame, leaves it on screen and shows the cursor again; idempotent. */
  close(): void;
}

/**
 * Draws the task list on `terminal` from the first step on: redraws it in place every
 * FRAME_INTERVAL_MS (events only change the state, so a burst of progress costs no extra
 * writes), with the cursor hidden until close() or an interrupt draws the last frame. After that
 * it writes nothing more.
 */
export function liveTaskList(write: (text: string) => void, terminal: Terminal, options: { color: boolean }): LiveTaskList {
  let tasks: Task[] = [];
  let phase: 'waiting' | 'live' | 'closed' = 'waiting';
  let height = 0; // lines of the frame now on screen, which the next frame replaces
  let pending = ''; // text for above the list, printed with the next frame
  let stopTimer = (): void => undefined;
  let unsubscribe = (): void => undefined;

  const frame = (ended?: FrameOptions['ended']): string => {
    let lines = renderTaskList(tasks, { now: terminal.now(), columns: terminal.columns(), color: options.color, ...(ended ? { ended } : {}) });
    // The cursor cannot move above the top of the screen to redraw there, so while live a list
    // taller than the terminal shows its latest lines; the final frame is printed whole.
    if (!ended) lines = lines.slice(-Math.max(terminal.rows() - 1, 1));
    const upTo = ended ? pending.length : pending.lastIndexOf('\n') + 1;
    let above = pending.slice(0, upTo);
    pending = pending.slice(upTo);
    if (above && !above.endsWith('\n')) above += '\n';
    const back = height > 0 ? `\u001b[${height}A\r${ERASE_DOWN}` : '';
    height = lines.length;
    return `${back}${above}${lines.map((line) => `${line}\n`).join('')}`;
  };

  const finish = (ended: NonNullable<FrameOptions['ended']>): void => {
    if (phase === 'live') {
      stopTimer();
      unsubscribe();
      write(`${frame(ended)}${SHOW_CURSOR}`);
    }
    phase = 'closed';
  };

  return {
    event(event) {
      if (phase === 'closed') return;
      tasks = withEvent(tasks, event, terminal.now());
      if (phase === 'waiting' && event.type === 'step-started') {
        phase = 'live';
        stopTimer = terminal.every(FRAME_INTERVAL_MS, () => write(frame()));
        unsubscribe = terminal.onInterrupt(() => finish('interrupted'));
        write(`${HIDE_CURSOR}${frame()}`);
      }
    },
    print(text) {
      if (phase === 'live') pending += text;
      else write(text);
    },
    close: () => finish('stopped'),
  };
}
