import type { ClusterEvent, StepId } from '@rax-kube/cluster-up';

/** One step of up / down as the task list shows it. */
export interface Task {
  step: StepId;
  title: string;
  state: 'running' | 'done' | 'failed';
  startedAt: number;
  endedAt?: number;
  /** While running, the latest progress; once done, the summary; once failed, the error. */
  message?: string;
}

/** Redraws per second are 1000 / this; the spinner turns one frame per redraw. */
export const FRAME_INTERVAL_MS = 100;

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * The task list after `event`, which happened at `at`. Progress, done and failed apply to the
 * latest running step of that id, since down runs its `delete` step twice.
 */
export function withEvent(tasks: readonly Task[], event: ClusterEvent, at: number): Task[] {
  if (event.type === 'resource') return [...tasks];
  if (event.type === 'step-started') return [...tasks, { step: event.step, title: event.title, state: 'running', startedAt: at }];
  const index = tasks.findLastIndex((t) => t.step === event.step && t.state === 'running');
  const task = tasks[index];
  if (!task) return [...tasks];
  switch (event.type) {
    case 'step-progress':
      return tasks.with(index, { ...task, message: event.message });
    case 'step-done':
      return tasks.with(index, { ...task, state: 'done', endedAt: at, message: event.message });
    case 'step-failed':
      return tasks.with(index, { ...task, state: 'failed', endedAt: at, message: event.error.message });
  }
}

export interface FrameOptions {
  now: number;
  /** The terminal's width; lines stay one column short of it so none wraps. */
  columns: number;
  color: boolean;
  /** For the last frame: steps still running are shown as not finished, or interrupted. */
  ended?: 'stopped' | 'interrupted';
}

type Style = 'green' | 'red' | 'yellow' | 'cyan' | 'dim';
/** `shrink` marks the segment cut first when the line is too long, so what follows it stays. */
type Segment = readonly [text: string, style?: Style, shrink?: 'shrink'];

const SGR: Record<Style, readonly [string, string]> = {
  green: ['\u001b[32m', '\u001b[39m'],
  red: ['\u001b[31m', '\u001b[39m'],
  yellow: ['\u001b[33m', '\u001b[39m'],
  cyan: ['\u001b[36m', '\u001b[39m'],
  dim: ['\u001b[2m', '\u001b[22m'],
};

/**
 * The task list as terminal lines: a spinner, the title and its time for a running step with its
 * latest progress under it, ✔ with the summary for a finished one, ✖ with the error for a failed
 * one. A pure function of the tasks and the time, so every frame can be checked in a test.
 */
export function renderTaskList(tasks: readonly Task[], options: FrameOptions): string[] {
  const width = Math.max(options.columns - 1, 10);
  const spinner = SPINNER[Math.floor(options.now / FRAME_INTERVAL_MS) % SPINNER.length] ?? '⠋';
  const lines: Segment[][] = [];
  for (const task of tasks) {
    const elapsed = (task.endedAt ?? options.now) - task.startedAt;
    if (task.state === 'done') {
      lines.push([['✔', 'green'], [` ${task.step}: `], [firstLine(task.message), undefined, 'shrink'], [` (${duration(elapsed, 1)})`, 'dim']]);
    } else if (task.state === 'failed') {
      lines.push([['✖', 'red'], [` ${task.step}: `], [firstLine(task.message), 'red', 'shrink'], [` (${duration(elapsed, 1)})`, 'dim']]);
    } else if (options.ended) {
      lines.push([['■', 'yellow'], [' '], [firstLine(task.title), undefined, 'shrink'], [` (${options.ended === 'interrupted' ? 'interrupted' : 'not finished'} after ${duration(elapsed, 1)})`, 'yellow']]);
    } else {
      lines.push([[spinner, 'cyan'], [' '], [firstLine(task.title), undefined, 'shrink'], ...(elapsed >= 1000 ? [[` ${duration(elapsed, 0)}`, 'dim'] as const] : [])]);
    }
    if (task.state === 'running' && task.message) lines.push([[`  › ${firstLine(task.message)}`, 'dim']]);
  }
  return lines.map((segments) => fit(segments, width, options.color));
}

/** `4.2 s`, `12 min 5 s` */
function duration(ms: number, decimals: 0 | 1): string {
  const seconds = Math.max(ms, 0) / 1000;
  if (seconds < 60) return `${decimals ? seconds.toFixed(1) : Math.floor(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.floor(seconds % 60)} s`;
}

/** One line with no control characters, which would move the cursor and break the redraw. */
function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]!.replace(/[\u0000-\u001f\u007f-\u009f]/gu, ' ');
}

/**
 * Joins the segments within `width` characters, coloured when asked. A line too long loses the
 * end of its `shrink` segment (marked …), or failing that its own end.
 */
function fit(segments: readonly Segment[], width: number, color: boolean): string {
  const lengthOf = (parts: readonly Segment[]) => parts.reduce((sum, [text]) => sum + [...text].length, 0);
  const over = lengthOf(segments) - width;
  const shrinking = segments.findIndex(([, , shrink]) => shrink);
  const shrunk = segments[shrinking];
  if (over > 0 && shrunk && [...shrunk[0]].length > over) {
    segments = segments.with(shrinking, [`${[...shrunk[0]].slice(0, -over - 1).join('')}…`, shrunk[1]]);
  }
  const cut = lengthOf(segments) > width;
  let room = cut ? width - 1 : width;
  let line = '';
  for (const [text, style] of segments) {
    const piece = [...text].slice(0, Math.max(room, 0)).join('');
    room -= [...piece].length;
    if (piece) line += color && style ? `${SGR[style][0]}${piece}${SGR[style][1]}` : piece;
  }
  return cut ? `${line}…` : line;
}
