import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A small version of `scripts/fault-runs.mjs` (the full run is 20 seeds, on demand): three seeds,
 * each killing `up` at a seeded step under 5 % faults, then up and down with faults on. It runs
 * the script as it is, against the built packages (CI builds them first; locally run
 * `npx nx run-many -t build` after changing sources).
 */
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = join(packageDir, 'scripts', 'fault-runs.mjs');

interface RunRecord {
  seed: number;
  passed: boolean;
  killedAt: { afterEvents: number } | null;
  duplicates: number;
  leftovers: number;
  faults: { total: number; byKind: Record<string, number> };
  problems: string[];
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rax-kube-fault-runs-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function runScript(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('fault runs: up killed at a seeded step under 5 % faults, then up and down', () => {
  it('has the built packages it runs against', () => {
    expect(existsSync(join(packageDir, 'dist', 'index.js')), 'run npx nx run-many -t build first').toBe(true);
  });

  it('leaves one server per name after up and nothing after down, in 3 seeded runs', { timeout: 240_000 }, async () => {
    const report = join(dir, 'report.json');
    // Seeds whose kill points fall in the network / keypair step and twice among the server creates.
    const result = await runScript(['--seeds', '2,12,16', '--nodes', '5', '--jobs', '3', '--json-out', report]);
    expect(result.stdout, result.stderr).toMatch(/^fault runs: 3\/3 passed, duplicates 0, leftovers 0, faults injected \d+$/m);
    expect(result.code).toBe(0);
    const { runs } = JSON.parse(await readFile(report, 'utf8')) as { runs: RunRecord[] };
    expect(runs.map((r) => r.seed)).toEqual([2, 12, 16]);
    for (const run of runs) {
      expect(run.problems, `seed ${run.seed}`).toEqual([]);
      expect(run.killedAt, `seed ${run.seed} was not killed`).not.toBeNull();
      expect(run.duplicates).toBe(0);
      expect(run.leftovers).toBe(0);
    }
    expect(runs.reduce((n, r) => n + r.faults.total, 0)).toBeGreaterThan(0);
  });

  it('refuses bad arguments with status 2', async () => {
    const result = await runScript(['--seeds', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--seeds x: expected positive whole numbers or ranges/);
  });
});
