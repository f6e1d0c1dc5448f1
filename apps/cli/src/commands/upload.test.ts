import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSim } from '@rax-kube/openstack-sim';
import type { Sim } from '@rax-kube/openstack-sim';
import { buildStandInRelease } from '@rax-kube/tarball-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';

let sim: Sim;
let dir: string;
beforeAll(async () => {
  sim = await startSim({ mode: 'openstack' });
  dir = await mkdtemp(join(tmpdir(), 'rax-kube-upload-'));
  await buildStandInRelease(dir);
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string | undefined>) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: { RAX_KUBE_HOME: join(dir, 'home'), ...env }, cwd: dir, stdoutIsTTY: false });
  return { code, stdout, stderr };
}

describe('rax-kube upload', () => {
  it('uploads, then skips unchanged bytes, and shows the URL only when asked', async () => {
    const first = await run(['upload'], { ...sim.env });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`object:   kubernetes-releases-${sim.env.OS_USERNAME}/devel/kubernetes-server-linux-amd64.tar.gz`);
    expect(first.stdout).toContain('upload:   uploaded');
    expect(first.stdout).toMatch(/temp URL: GET, expires \d{4}-\d\d-\d\dT.* \(pass --print-url to show it\)/);
    expect(first.stdout + first.stderr).not.toContain('temp_url_sig');
    const second = await run(['upload', '--print-url', '--container-prefix', 'devel/'], { ...sim.env });
    expect(second.stdout).toContain('upload:   skipped, the cloud already has these bytes');
    const url = second.stdout.trim().split('\n').at(-1) ?? '';
    expect(url).toMatch(/temp_url_sig=.*temp_url_expires=/);
    expect((await fetch(url)).status).toBe(200);
  });

  it('exits 2 naming what is missing: credentials, or the tarball', async () => {
    const noCredentials = await run(['upload'], { PATH: process.env.PATH });
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.stderr).toMatch(/^rax-kube: .*OS_AUTH_URL/);
    const noTarball = await run(['upload', '--tarball', 'missing.tar.gz'], { ...sim.env });
    expect(noTarball.code).toBe(2);
    expect(noTarball.stderr).toContain('Could not find kubernetes-server-linux-amd64.tar.gz. Looked in:');
    expect((await run(['upload', '--tarball', 'a', '--version', 'v1.0.0'], { ...sim.env })).code).toBe(2);
  });
});
