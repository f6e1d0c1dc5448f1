/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** stdout is a terminal: up and down ask before they change anything (unless --yes). */
  stdoutIsTTY: boolean;
  /** Set when stderr, where progress is drawn, is a terminal. */
  stderrTerminal?: Terminal;
}

/**
 * A terminal to redraw progress on, with the clock, timer and interrupt hook that redrawing
 * needs, so tests can drive every frame by hand.
 */
export interface Terminal {
  columns(): number;
  rows(): number;
  /** Milliseconds, only ever compared with each other. */
  now(): number;
  /** Calls `tick` every `ms` without keeping the process alive; returns what stops it. */
  every(ms: number, tick: () => void): () => void;
  /**
   * Calls `handler` once if the process is interrupted (Ctrl-C, SIGTERM) or exits while
   * subscribed, before it ends as it otherwise would; returns the unsubscribe.
   */
  onInterrupt(handler: () => void): () => void;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    ...(process.stderr.isTTY ? { stderrTerminal: processTerminal(process.stderr) } : {}),
  };
}

function processTerminal(stream: NodeJS.WriteStream): Terminal {
  return {
    // 0 or undefined when the size is unknown (some CI pseudo-terminals).
    columns: () => stream.columns || 80,
    rows: () => stream.rows || 24,
    now: () => performance.now(),
    every: (ms, tick) => {
      const timer = setInterval(tick, ms);
      timer.unref();
      return () => clearInterval(timer);
    },
    onInterrupt: (handler) => {
      const onSignal = (signal: NodeJS.Signals) => {
        unsubscribe();
        handler();
        // With our listener gone, the signal's default action ends the process as usual
        // (status 128 + signal number), so the shell still sees an interrupted command.
        process.kill(process.pid, signal);
      };
      const onExit = () => {
        unsubscribe();
        handler();
      };
      const unsubscribe = () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        process.off('exit', onExit);
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      process.once('exit', onExit);
      return unsubscribe;
    },
  };
}

/**
 * The terminal progress may be redrawn on: stderr's, unless TERM=dumb says the terminal cannot
 * move its cursor (then progress is plain lines, as in a log).
 */
export function redrawableTerminal(io: CliIo): Terminal | undefined {
  return io.env.TERM === 'dumb' ? undefined : io.stderrTerminal;
}

/** NO_COLOR set to anything but the empty string turns colour off (https://no-color.org). */
export function colorWanted(io: CliIo): boolean {
  return !io.env.NO_COLOR;
}

/** Expected failures carry an exit code: 2 for bad input, 1 for a failed operation. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}
