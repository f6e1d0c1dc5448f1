#!/usr/bin/env node
// Runs the contract suite once per target with vitest's JSON reporter and prints one line each:
//   contract: <target> <passed>/<total>
// A target that is skipped (sim not importable, OpenStack not reachable) prints its reason.
// Exit code 1 when any test failed; skipped targets do not fail the run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const targets = process.argv.slice(2).length ? process.argv.slice(2) : ['sim-openstack', 'openstack-aio', 'sim-rackspace'];
const out = mkdtempSync(join(tmpdir(), 'contract-'));
let failed = false;
const lines = [];

for (const target of targets) {
  const file = join(out, `${target}.json`);
  const res = spawnSync(
    'npx',
    ['vitest', 'run', '--project', 'integration', '--reporter=json', `--outputFile=${file}`, `src/contract/${target}.integration.test.ts`],
    { cwd: pkg, encoding: 'utf8', env: process.env },
  );
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    failed = true;
    lines.push(`contract: ${target} 0/0 (vitest produced no report, exit ${res.status}: ${(res.stderr || '').trim().split('\n').slice(-3).join(' | ')})`);
    continue;
  }
  const passed = report.numPassedTests;
  const total = report.numTotalTests;
  const skipMatch = /contract: \S+ skipped: (.*)/.exec(`${res.stderr}\n${res.stdout}`);
  if (report.numFailedTests > 0 || !report.success) failed = true;
  let line = `contract: ${target} ${passed}/${total}`;
  if (skipMatch) line += ` (skipped: ${skipMatch[1]})`;
  if (report.numFailedTests > 0) {
    const names = report.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === 'failed').map((a) => a.title));
    line += ` FAILED: ${names.join('; ')}`;
  }
  lines.push(line);
}
rmSync(out, { recursive: true, force: true });
for (const l of lines) console.log(l);
process.exit(failed ? 1 : 0);
