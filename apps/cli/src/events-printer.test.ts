import type { ClusterEvent } from '@rax-kube/cluster-up';
import { describe, expect, it } from 'vitest';
import { stepOutput } from './events-printer.js';
import type { CliIo } from './io.js';
import { FakeTerminal, VirtualScreen } from './testing/terminal.js';

const MIB = 1024 * 1024;

const events: ClusterEvent[] = [
  { type: 'step-started', step: 'release', title: 'Upload the release and sign its URL' },
  { type: 'step-started', step: 'network', title: 'Ensure network kubernetes-pool-net' },
  { type: 'resource', action: 'created', kind: 'network', name: 'kubernetes-pool-net', id: 'n-1' },
  { type: 'step-done', step: 'network', message: 'network n-1, master port p-1' },
  { type: 'step-started', step: 'servers', title: 'Create servers (up to 10 at once)' },
  { type: 'step-progress', step: 'servers', message: '1/2 created' },
  { type: 'step-failed', step: 'servers', error: new Error('quota exceeded') },
];

function run(options: { verbose?: number; json?: boolean; env?: Record<string, string>; terminal?: FakeTerminal }) {
  const screen = new VirtualScreen();
  const io: CliIo = { stdout: () => undefined, stderr: screen.write, env: options.env ?? {}, cwd: '/', stdoutIsTTY: false, ...(options.terminal ? { stderrTerminal: options.terminal } : {}) };
  const output = stepOutput(io, { verbose: options.verbose ?? 0, json: options.json ?? false });
  events.slice(0, 2).forEach(output.emit);
  output.note('note: a stand-in release\n');
  for (const done of [0, 20, 40]) output.transfer('upload', { bytesDone: done * MIB, bytesTotal: 40 * MIB, bytesPerSecond: 4 * MIB, etaSeconds: (40 - done) / 4, done: done === 40 });
  events.slice(2).forEach(output.emit);
  output.close();
  return screen;
}

const plain =
  '… Upload the release and sign its URL\n' +
  '… Ensure network kubernetes-pool-net\n' +
  'note: a stand-in release\n' +
  'upload: 0.0 / 40.0 MiB at 4.0 MiB/s, 10 s left\n' +
  'upload: 20.0 / 40.0 MiB at 4.0 MiB/s, 5 s left\n' +
  'upload: 40.0 / 40.0 MiB at 4.0 MiB/s\n' +
  '✔ network: network n-1, master port p-1\n' +
  '… Create servers (up to 10 at once)\n' +
  '✖ servers: quota exceeded\n';

describe('stepOutput', () => {
  it('writes plain lines when stderr is not a terminal: a line per step start and end, transfers every 10 %', () => {
    expect(run({}).raw).toBe(plain);
    expect(run({ verbose: 1 }).raw).toBe(
      plain
        .replace('✔ network', '  created network kubernetes-pool-net (n-1)\n✔ network')
        .replace('✖ servers', '  servers: 1/2 created\n✖ servers'),
    );
  });

  it('writes the same plain lines on a terminal that cannot move its cursor (TERM=dumb)', () => {
    expect(run({ terminal: new FakeTerminal(), env: { TERM: 'dumb' } }).raw).toBe(plain);
  });

  it('draws a task list on a terminal, with notes and -v resource lines above it and the upload under its step', () => {
    const terminal = new FakeTerminal();
    const screen = new VirtualScreen();
    const io: CliIo = { stdout: () => undefined, stderr: screen.write, env: {}, cwd: '/', stdoutIsTTY: false, stderrTerminal: terminal };
    const output = stepOutput(io, { verbose: 1, json: false });
    events.slice(0, 3).forEach(output.emit);
    output.note('note: a stand-in release\n');
    output.transfer('upload', { bytesDone: 20 * MIB, bytesTotal: 40 * MIB, bytesPerSecond: 4 * MIB, etaSeconds: 5, done: false });
    terminal.advance(100);
    expect(screen.lines()).toEqual([
      '  created network kubernetes-pool-net (n-1)',
      'note: a stand-in release',
      '⠙ Upload the release and sign its URL',
      '  › upload: 20.0 / 40.0 MiB at 4.0 MiB/s, 5 s left',
      '⠙ Ensure network kubernetes-pool-net',
    ]);
    expect(screen.raw).toContain('\u001b[36m⠙\u001b[39m');
    events.slice(3).forEach(output.emit);
    output.close();
    expect(screen.lines().slice(2)).toEqual([
      '■ Upload the release and sign its URL (not finished after 0.1 s)',
      '  › upload: 20.0 / 40.0 MiB at 4.0 MiB/s, 5 s left',
      '✔ network: network n-1, master port p-1 (0.1 s)',
      '✖ servers: quota exceeded (0.0 s)',
    ]);
    expect(screen.cursorVisible).toBe(true);
  });

  it('draws without colour when NO_COLOR is set', () => {
    const screen = run({ terminal: new FakeTerminal(), env: { NO_COLOR: '1' } });
    expect(screen.raw).not.toMatch(/\u001b\[\d+m/u);
    expect(screen.lines()).toContain('✖ servers: quota exceeded (0.0 s)');
  });

  it('with --json shows no steps, only the transfer (stdout carries the result)', () => {
    expect(run({ json: true }).raw).toBe('note: a stand-in release\nupload: 0.0 / 40.0 MiB at 4.0 MiB/s, 10 s left\nupload: 20.0 / 40.0 MiB at 4.0 MiB/s, 5 s left\nupload: 40.0 / 40.0 MiB at 4.0 MiB/s\n');
  });
});
