import type { Terminal } from '../io.js';

/**
 * What a person would see on a terminal after the text written so far: it interprets the
 * escape sequences the CLI uses (cursor up, carriage return, erase, show / hide cursor, colours)
 * so tests can assert the screen rather than the bytes.
 */
export class VirtualScreen {
  private rows: string[] = [''];
  private row = 0;
  private column = 0;
  cursorVisible = true;
  /** Every byte written, for what the screen cannot show (colour codes). */
  raw = '';

  readonly write = (text: string): void => {
    this.raw += text;
    for (const [, csi, char] of text.matchAll(/\u001b\[([?0-9;]*[A-Za-z])|([\s\S])/gu)) {
      if (csi !== undefined) this.control(csi);
      else if (char === '\n') this.moveTo(this.row + 1, 0);
      else if (char === '\r') this.column = 0;
      else if (char !== undefined) this.put(char);
    }
  };

  /** The screen's lines, without trailing blank ones. */
  lines(): string[] {
    const lines = this.rows.map((line) => line.trimEnd());
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines;
  }

  private control(csi: string): void {
    const n = Number.parseInt(csi, 10) || 1;
    switch (csi.at(-1)) {
      case 'A':
        this.row = Math.max(this.row - n, 0);
        break;
      case 'J':
        this.rows = [...this.rows.slice(0, this.row), (this.rows[this.row] ?? '').slice(0, this.column)];
        break;
      case 'K':
        this.rows[this.row] = '';
        break;
      case 'l':
      case 'h':
        if (csi === '?25l' || csi === '?25h') this.cursorVisible = csi === '?25h';
        else throw new Error(`unexpected mode change ESC[${csi}`);
        break;
      case 'm':
        break;
      default:
        throw new Error(`unexpected escape sequence ESC[${csi}`);
    }
  }

  private moveTo(row: number, column: number): void {
    while (this.rows.length <= row) this.rows.push('');
    this.row = row;
    this.column = column;
  }

  private put(char: string): void {
    const chars = [...(this.rows[this.row] ?? '')];
    while (chars.length < this.column) chars.push(' ');
    chars[this.column] = char;
    this.rows[this.row] = chars.join('');
    this.column++;
  }
}

/** A terminal whose clock moves only when the test says, firing the timers it passes. */
export class FakeTerminal implements Terminal {
  time = 0;
  private timers = new Set<{ ms: number; next: number; tick: () => void }>();
  private interruptHandlers = new Set<() => void>();

  constructor(
    private readonly size: { columns: number; rows: number } = { columns: 80, rows: 24 },
  ) {}

  columns = (): number => this.size.columns;
  rows = (): number => this.size.rows;
  now = (): number => this.time;

  every = (ms: number, tick: () => void): (() => void) => {
    const timer = { ms, next: this.time + ms, tick };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  };

  onInterrupt = (handler: () => void): (() => void) => {
    this.interruptHandlers.add(handler);
    return () => this.interruptHandlers.delete(handler);
  };

  /** Moves the clock on, firing every timer tick that falls due on the way. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      this.time = due.next;
      due.next += due.ms;
      due.tick();
    }
    this.time = end;
  }

  /** Ctrl-C. */
  interrupt(): void {
    for (const handler of [...this.interruptHandlers]) handler();
  }

  get activeTimers(): number {
    return this.timers.size;
  }

  get interruptSubscribers(): number {
    return this.interruptHandlers.size;
  }
}
