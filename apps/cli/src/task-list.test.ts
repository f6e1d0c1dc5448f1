import type { ClusterEvent } from '@rax-kube/cluster-up';
import { describe, expect, it } from 'vitest';
import { renderTaskList, withEvent } from './task-list.js';
import type { Task } from './task-list.js';

/** The task list after `events`, each given with the millisecond it happened at. */
function tasksAfter(events: Array<[at: number, event: ClusterEvent]>): Task[] {
  return events.reduce<Task[]>((tasks, [at, event]) => withEvent(tasks, event, at), []);
}

const upStart: Array<[number, ClusterEvent]> = [
  [0, { type: 'step-started', step: 'release', title: 'Upload the release and sign its URL' }],
  [0, { type: 'step-started', step: 'plan', title: 'Compare the cluster with the cloud' }],
  [400, { type: 'step-done', step: 'plan', message: 'network: create; keypair: create; servers: 3 to create' }],
  [400, { type: 'step-started', step: 'network', title: 'Ensure network kubernetes-pool-net' }],
  [400, { type: 'step-started', step: 'keypair', title: 'Ensure keypair id_kubernetes' }],
];

describe('renderTaskList', () => {
  it('shows concurrent steps each on its own line with a spinner, and a step’s latest progress under it', () => {
    const tasks = tasksAfter([
      ...upStart,
      [500, { type: 'step-progress', step: 'release', message: 'upload: 1.0 / 40.0 MiB at 2.0 MiB/s, 20 s left' }],
      [900, { type: 'step-progress', step: 'release', message: 'upload: 12.0 / 40.0 MiB at 3.0 MiB/s, 10 s left' }],
      [1200, { type: 'step-done', step: 'keypair', message: 'created keypair id_kubernetes' }],
    ]);
    expect(renderTaskList(tasks, { now: 2500, columns: 100, color: false })).toEqual([
      '⠴ Upload the release and sign its URL 2 s',
      '  › upload: 12.0 / 40.0 MiB at 3.0 MiB/s, 10 s left',
      '✔ plan: network: create; keypair: create; servers: 3 to create (0.4 s)',
      '⠴ Ensure network kubernetes-pool-net 2 s',
      '✔ keypair: created keypair id_kubernetes (0.8 s)',
    ]);
  });

  it('turns the spinner with the clock, and counts a running step’s seconds once it passes one', () => {
    const tasks = tasksAfter([[0, { type: 'step-started', step: 'servers', title: 'Create servers (up to 10 at once)' }]]);
    expect(renderTaskList(tasks, { now: 0, columns: 80, color: false })).toEqual(['⠋ Create servers (up to 10 at once)']);
    expect(renderTaskList(tasks, { now: 100, columns: 80, color: false })).toEqual(['⠙ Create servers (up to 10 at once)']);
    expect(renderTaskList(tasks, { now: 75_000, columns: 80, color: false })).toEqual(['⠋ Create servers (up to 10 at once) 1 min 15 s']);
  });

  it('replaces the progress of a finished step with its summary and time', () => {
    const tasks = tasksAfter([
      [0, { type: 'step-started', step: 'servers', title: 'Create servers (up to 10 at once)' }],
      [100, { type: 'step-progress', step: 'servers', message: '43/51 created' }],
      [3100, { type: 'step-done', step: 'servers', message: '51 created, 0 reused' }],
    ]);
    expect(renderTaskList(tasks, { now: 9000, columns: 80, color: false })).toEqual(['✔ servers: 51 created, 0 reused (3.1 s)']);
  });

  it('shows a failed step with ✖ and the first line of its error, and what was still running', () => {
    const tasks = tasksAfter([
      ...upStart,
      [600, { type: 'step-progress', step: 'release', message: 'upload: 1.0 / 40.0 MiB at 2.0 MiB/s, 20 s left' }],
      [1400, { type: 'step-failed', step: 'network', error: new Error('413 Request Entity Too Large: rate limited\nsecond line') }],
    ]);
    expect(renderTaskList(tasks, { now: 1500, columns: 80, color: false, ended: 'stopped' })).toEqual([
      '■ Upload the release and sign its URL (not finished after 1.5 s)',
      '  › upload: 1.0 / 40.0 MiB at 2.0 MiB/s, 20 s left',
      '✔ plan: network: create; keypair: create; servers: 3 to create (0.4 s)',
      '✖ network: 413 Request Entity Too Large: rate limited (1.0 s)',
      '■ Ensure keypair id_kubernetes (not finished after 1.1 s)',
    ]);
  });

  it('marks steps that were running when the user pressed Ctrl-C as interrupted', () => {
    const tasks = tasksAfter([[0, { type: 'step-started', step: 'active', title: 'Wait for every server to be ACTIVE' }], [10, { type: 'step-progress', step: 'active', message: '2/3 ACTIVE' }]]);
    expect(renderTaskList(tasks, { now: 4000, columns: 80, color: false, ended: 'interrupted' })).toEqual(['■ Wait for every server to be ACTIVE (interrupted after 4.0 s)', '  › 2/3 ACTIVE']);
  });

  it('keeps down’s two delete steps apart: progress and summary go to the one running', () => {
    const tasks = tasksAfter([
      [0, { type: 'step-started', step: 'delete', title: 'Delete the servers of kubernetes' }],
      [500, { type: 'step-done', step: 'delete', message: '3 servers deleted' }],
      [500, { type: 'step-started', step: 'delete', title: 'Delete network kubernetes-pool-net' }],
      [600, { type: 'step-progress', step: 'delete', message: 'port deleted' }],
    ]);
    expect(renderTaskList(tasks, { now: 700, columns: 80, color: false })).toEqual(['✔ delete: 3 servers deleted (0.5 s)', '⠧ Delete network kubernetes-pool-net', '  › port deleted']);
  });

  it('fits every line in one column less than the terminal’s width, so no line wraps and breaks the redraw', () => {
    const tasks = tasksAfter([
      [0, { type: 'step-started', step: 'api', title: 'Wait for the API at https://203.0.113.10:6443/healthz (up to 900 s)' }],
      [0, { type: 'step-progress', step: 'api', message: 'not yet (connect ECONNREFUSED 203.0.113.10:6443), 12 s\r\u001b[2Kinjected' }],
      [0, { type: 'step-started', step: 'network', title: 'Ensure network kubernetes-pool-net' }],
      [300, { type: 'step-done', step: 'network', message: 'network 2a5b7d24-35b5-4284-8f58-5258479e79b8, master port e32edee6-5a87-41d5-abe6-cc48760de210' }],
    ]);
    const lines = renderTaskList(tasks, { now: 30_000, columns: 40, color: false });
    // The title and the summary give way, so the times stay in view.
    expect(lines).toEqual(['⠋ Wait for the API at https://203… 30 s', '  › not yet (connect ECONNREFUSED 203.…', '✔ network: network 2a5b7d24-35… (0.3 s)']);
    for (const line of lines) expect([...line].length).toBe(39);
    expect(renderTaskList(tasks, { now: 30_000, columns: 200, color: false })[1]).toBe('  › not yet (connect ECONNREFUSED 203.0.113.10:6443), 12 s  [2Kinjected');
    expect(renderTaskList(tasks, { now: 30_000, columns: 12, color: false })[0]).toBe('⠋ Wai… 30 s');
  });

  it('colours the marks when colour is wanted, and the text is the same without the codes', () => {
    const tasks = tasksAfter([...upStart, [900, { type: 'step-failed', step: 'keypair', error: new Error('quota exceeded') }]]);
    const coloured = renderTaskList(tasks, { now: 1000, columns: 80, color: true });
    expect(coloured).toContain('\u001b[32m✔\u001b[39m plan: network: create; keypair: create; servers: 3 to create\u001b[2m (0.4 s)\u001b[22m');
    expect(coloured.at(-1)).toBe('\u001b[31m✖\u001b[39m keypair: \u001b[31mquota exceeded\u001b[39m\u001b[2m (0.5 s)\u001b[22m');
    expect(coloured.map((line) => line.replace(/\u001b\[\d+m/gu, ''))).toEqual(renderTaskList(tasks, { now: 1000, columns: 80, color: false }));
  });
});
