import type { ClusterEvent } from '@rax-kube/cluster-up';
import { describe, expect, it } from 'vitest';
import { liveTaskList } from './task-list-writer.js';
import { FakeTerminal, VirtualScreen } from './testing/terminal.js';

function setup(size?: { columns: number; rows: number }) {
  const terminal = new FakeTerminal(size);
  const screen = new VirtualScreen();
  let writes = 0;
  const list = liveTaskList(
    (text) => {
      writes++;
      screen.write(text);
    },
    terminal,
    { color: false },
  );
  return { terminal, screen, list, writes: () => writes };
}

const started = (step: 'release' | 'plan' | 'network' | 'keypair' | 'servers', title: string): ClusterEvent => ({ type: 'step-started', step, title });

describe('liveTaskList', () => {
  it('draws nothing before the first step, then redraws the list in place below what was there', () => {
    const { terminal, screen, list } = setup();
    screen.write('note: using a stand-in release\n');
    list.event({ type: 'step-progress', step: 'release', message: 'ignored: no such step yet' });
    expect(screen.raw).toBe('note: using a stand-in release\n');

    list.event(started('release', 'Upload the release and sign its URL'));
    expect(screen.cursorVisible).toBe(false);
    expect(screen.lines()).toEqual(['note: using a stand-in release', '⠋ Upload the release and sign its URL']);

    list.event(started('network', 'Ensure network kubernetes-pool-net'));
    list.event(started('keypair', 'Ensure keypair id_kubernetes'));
    list.event({ type: 'step-progress', step: 'release', message: 'upload: 1.0 / 40.0 MiB at 2.0 MiB/s, 20 s left' });
    terminal.advance(100);
    expect(screen.lines()).toEqual([
      'note: using a stand-in release',
      '⠙ Upload the release and sign its URL',
      '  › upload: 1.0 / 40.0 MiB at 2.0 MiB/s, 20 s left',
      '⠙ Ensure network kubernetes-pool-net',
      '⠙ Ensure keypair id_kubernetes',
    ]);

    list.event({ type: 'step-done', step: 'keypair', message: 'created keypair id_kubernetes' });
    list.event({ type: 'step-progress', step: 'release', message: 'upload: 30.0 / 40.0 MiB at 3.0 MiB/s, 4 s left' });
    terminal.advance(1100);
    expect(screen.lines()).toEqual([
      'note: using a stand-in release',
      '⠹ Upload the release and sign its URL 1 s',
      '  › upload: 30.0 / 40.0 MiB at 3.0 MiB/s, 4 s left',
      '⠹ Ensure network kubernetes-pool-net 1 s',
      '✔ keypair: created keypair id_kubernetes (0.1 s)',
    ]);
  });

  it('redraws on its timer only, ten times a second however many events arrive', () => {
    const { terminal, list, writes } = setup();
    list.event(started('servers', 'Create servers (up to 10 at once)'));
    expect(writes()).toBe(1);
    for (let n = 1; n <= 500; n++) list.event({ type: 'step-progress', step: 'servers', message: `${n}/500 created` });
    expect(writes()).toBe(1);
    terminal.advance(1000);
    expect(writes()).toBe(11);
  });

  it('prints resource lines and notes above the list, once each, as they would scroll in a log', () => {
    const { terminal, screen, list } = setup();
    list.event(started('network', 'Ensure network kubernetes-pool-net'));
    list.print('  created network kubernetes-pool-net (n-1)\n');
    list.print('  created subnet ');
    terminal.advance(100);
    list.print('kubernetes-pool-subnet (s-1)\n');
    terminal.advance(300);
    expect(screen.lines()).toEqual(['  created network kubernetes-pool-net (n-1)', '  created subnet kubernetes-pool-subnet (s-1)', '⠼ Ensure network kubernetes-pool-net']);
  });

  it('leaves the final frame on screen with the cursor shown, stops its timer, and writes nothing more', () => {
    const { terminal, screen, list, writes } = setup();
    list.event(started('plan', 'Compare the cluster with the cloud'));
    terminal.advance(250);
    list.event({ type: 'step-done', step: 'plan', message: 'servers: 3 to create' });
    list.print('a note that was waiting for the next frame');
    list.close();
    expect(screen.cursorVisible).toBe(true);
    expect(terminal.activeTimers).toBe(0);
    expect(terminal.interruptSubscribers).toBe(0);
    const written = writes();
    list.event(started('network', 'Ensure network kubernetes-pool-net'));
    terminal.advance(1000);
    list.close();
    expect(writes()).toBe(written);
    screen.write('\nKubernetes cluster "kubernetes" is up.\n');
    expect(screen.lines()).toEqual(['a note that was waiting for the next frame', '✔ plan: servers: 3 to create (0.3 s)', '', 'Kubernetes cluster "kubernetes" is up.']);
  });

  it('shows a failure with ✖ and its message, and the steps it cut short as not finished', () => {
    const { terminal, screen, list } = setup();
    list.event(started('release', 'Upload the release and sign its URL'));
    list.event(started('network', 'Ensure network kubernetes-pool-net'));
    terminal.advance(2000);
    list.event({ type: 'step-failed', step: 'network', error: new Error('409 Conflict: quota exceeded for networks') });
    list.close();
    screen.write('rax-kube: 409 Conflict: quota exceeded for networks\n');
    expect(screen.lines()).toEqual([
      '■ Upload the release and sign its URL (not finished after 2.0 s)',
      '✖ network: 409 Conflict: quota exceeded for networks (2.0 s)',
      'rax-kube: 409 Conflict: quota exceeded for networks',
    ]);
    expect(screen.cursorVisible).toBe(true);
  });

  it('on Ctrl-C draws the last frame with the running steps interrupted and shows the cursor', () => {
    const { terminal, screen, list, writes } = setup();
    list.event(started('servers', 'Create servers (up to 10 at once)'));
    list.event({ type: 'step-progress', step: 'servers', message: '2/3 created' });
    terminal.advance(1500);
    terminal.interrupt();
    expect(screen.lines()).toEqual(['■ Create servers (up to 10 at once) (interrupted after 1.5 s)', '  › 2/3 created']);
    expect(screen.cursorVisible).toBe(true);
    expect(terminal.activeTimers).toBe(0);
    const written = writes();
    list.close();
    expect(writes()).toBe(written);
  });

  it('shows the latest lines of a list taller than the terminal while live, and all of it at the end', () => {
    const { terminal, screen, list } = setup({ columns: 80, rows: 3 });
    for (const step of ['release', 'plan', 'network', 'keypair'] as const) list.event(started(step, `step ${step}`));
    terminal.advance(100);
    expect(screen.lines()).toEqual(['⠙ step network', '⠙ step keypair']);
    for (const step of ['release', 'plan', 'network', 'keypair'] as const) list.event({ type: 'step-done', step, message: 'ok' });
    list.close();
    expect(screen.lines()).toEqual(['✔ release: ok (0.1 s)', '✔ plan: ok (0.1 s)', '✔ network: ok (0.1 s)', '✔ keypair: ok (0.1 s)']);
  });

  it('writes nothing at all, not even cursor codes, when no step ever started', () => {
    const { screen, list } = setup();
    list.print('note: passed straight through\n');
    list.close();
    expect(screen.raw).toBe('note: passed straight through\n');
  });
});
