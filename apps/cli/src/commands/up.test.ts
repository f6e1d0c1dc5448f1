import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { FakeTerminal, VirtualScreen } from '../testing/terminal.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rax-kube-cli-local-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const env = { RAX_KUBE_HOME: join(dir, 'home'), KUBECONFIG: join(dir, 'kubeconfig'), PATH: process.env.PATH };
  const code = await runCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, cwd: dir, stdoutIsTTY: false });
  return { code, stdout, stderr };
}

/** Runs with stderr on a terminal whose clock stands still: the screen shows the first and the final frame. */
async function runOnTerminal(argv: string[]) {
  const screen = new VirtualScreen();
  const terminal = new FakeTerminal({ columns: 200, rows: 40 });
  const env = { RAX_KUBE_HOME: join(dir, 'home'), KUBECONFIG: join(dir, 'kubeconfig'), PATH: process.env.PATH };
  const code = await runCli(argv, { stdout: screen.write, stderr: screen.write, env, cwd: dir, stdoutIsTTY: true, stderrTerminal: terminal });
  return { code, screen, terminal };
}

describe('rax-kube up / status / down --local', () => {
  it('runs the whole flow with a labelled stand-in release, and keeps state between commands', async () => {
    const dry = await run(['up', '--local', '--num-nodes', '2', '--dry-run']);
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.stdout).toContain('servers: 3 to create, 0 to reuse, 0 to replace');

    const created = await run(['up', '--local', '--num-nodes', '2', '--ssh-key-type', 'ed25519', '-vv']);
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('using a STAND-IN release');
    expect(created.stdout).toMatch(/The master \(kubernetes-master\) is running at https:\/\/127\.0\.0\.1:\d+/);
    expect(created.stdout).toContain('Try: kubectl --context rackspace_kubernetes get nodes');
    expect((await stat(join(dir, 'kubeconfig'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'home', 'local', 'ssh', 'id_kubernetes'))).mode & 0o777).toBe(0o600);

    const shown = await run(['status', '--local', '--num-nodes', '2', '--json']);
    const parsed = JSON.parse(shown.stdout) as { servers: Array<{ name: string; status: string; addresses: Record<string, string[]> }>; api: { healthy: boolean } };
    expect(parsed.servers.map((s) => [s.name, s.status])).toEqual([
      ['kubernetes-master', 'ACTIVE'],
      ['kubernetes-node-1', 'ACTIVE'],
      ['kubernetes-node-2', 'ACTIVE'],
    ]);
    expect(parsed.servers[0]?.addresses['kubernetes-pool-net']).toEqual(['192.168.0.2']);
    expect(parsed.api.healthy).toBe(true);

    const again = await run(['up', '--local', '--num-nodes', '2', '--json']);
    expect((JSON.parse(again.stdout) as { plan: string[] }).plan).toContain('servers: 0 to create, 3 to reuse, 0 to replace');

    const secrets = JSON.parse(await readFile(join(dir, 'home', 'clusters', 'kubernetes', 'secrets.json'), 'utf8')) as { adminPassword: string; adminToken: string; nodeTokenKey: string; serviceAccountTokens?: Record<string, string> };
    expect(created.stderr).toContain('created server kubernetes-node-2');
    const tokens = [secrets.adminPassword, secrets.adminToken, secrets.nodeTokenKey, ...Object.values(secrets.serviceAccountTokens ?? {})];
    for (const output of [created, shown, again]) {
      for (const token of tokens) expect(output.stdout + output.stderr).not.toContain(token);
      expect(output.stdout + output.stderr).not.toContain('temp_url_sig');
    }

    const removed = await run(['down', '--local', '--num-nodes', '2']);
    expect(removed.stdout).toContain('removed: 3 servers, 1 networks, 1 subnets, 1 ports');
    const empty = await run(['status', '--local', '--json']);
    expect((JSON.parse(empty.stdout) as { servers: unknown[] }).servers).toEqual([]);
  });

  it('exits 1 with the reason, and no stack trace, when the API does not answer in time', async () => {
    expect((await run(['up', '--local', '--cluster', 'late', '--num-nodes', '1'])).code).toBe(0);
    // The master accepts the password its user data carries; up now probes with another one.
    const file = join(dir, 'home', 'clusters', 'late', 'secrets.json');
    const secrets = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...secrets, adminPassword: 'not-what-the-master-has' }), { mode: 0o600 });
    const late = await run(['up', '--local', '--cluster', 'late', '--num-nodes', '1', '--api-timeout', '1']);
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/rax-kube: the API at https:\/\/127\.0\.0\.1:\d+ did not answer \/healthz within 1 s \(last: .*401.*\); the machines may still be downloading the release: run up again to keep waiting\n/);
    expect(late.stderr).not.toContain('a bug');
    expect(late.stderr).not.toMatch(/\n\s+at /);
    expect(late.stderr).not.toContain('not-what-the-master-has');
    await writeFile(file, JSON.stringify(secrets), { mode: 0o600 });
    expect((await run(['down', '--local', '--cluster', 'late', '--num-nodes', '1'])).code).toBe(0);
  });

  it('on a terminal, leaves the task list of up and of down on screen with every step done and the cursor shown', async () => {
    const created = await runOnTerminal(['up', '--local', '--cluster', 'tty', '--num-nodes', '1']);
    expect(created.code).toBe(0);
    expect(created.screen.cursorVisible).toBe(true);
    expect(created.terminal.activeTimers).toBe(0);
    const lines = created.screen.lines();
    expect(lines[0]).toMatch(/^note: no Kubernetes release found; using a STAND-IN release/);
    // Each step on its own line, in the order they started (network and keypair run together).
    const steps = lines.slice(1, 9).map((line) => line.replace(/ \(\d+\.\d s\)$/, ''));
    expect(steps.map((line) => line.split(':')[0])).toEqual(['✔ release', '✔ plan', expect.stringMatching(/^✔ (network|keypair)$/), expect.stringMatching(/^✔ (network|keypair)$/), '✔ servers', '✔ active', '✔ api', '✔ kubeconfig']);
    expect(steps).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^✔ release: machines download it until \d{4}-/),
        expect.stringMatching(/^✔ plan: network: create; .*servers: 2 to create, 0 to reuse, 0 to replace$/),
        expect.stringMatching(/^✔ network: network \S+, master port \S+$/),
        expect.stringMatching(/^✔ keypair: (created|reused) keypair \S+$/),
        '✔ servers: 2 created, 0 reused',
        '✔ active: 2 servers ACTIVE',
        expect.stringMatching(/^✔ api: API healthy after \d+ s$/),
        '✔ kubeconfig: kubectl --context rackspace_tty get nodes',
      ]),
    );
    expect(lines.slice(9)).toEqual(['', 'Kubernetes cluster "tty" is up.', expect.stringMatching(/^The master \(tty-master\) is running at/), expect.any(String), expect.any(String), expect.any(String)]);

    const removed = await runOnTerminal(['down', '--local', '--cluster', 'tty', '--num-nodes', '1', '--yes']);
    expect(removed.code).toBe(0);
    expect(removed.screen.cursorVisible).toBe(true);
    expect(removed.screen.lines()).toEqual(['✔ delete: 2 servers deleted (0.0 s)', '✔ delete: 1 networks, 1 subnets, 1 ports deleted (0.0 s)', 'Cluster "tty" removed: 2 servers, 1 networks, 1 subnets, 1 ports.']);
  });

  it('refuses bad flags before touching the cloud', async () => {
    expect((await run(['up', '--local', '--concurrency', '0'])).stderr).toBe('rax-kube: --concurrency=0: must be a whole number from 1 to 100\n');
    expect((await run(['up', '--local', '--num-nodes', 'x'])).code).toBe(2);
  });
});
