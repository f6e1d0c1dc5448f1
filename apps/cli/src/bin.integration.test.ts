import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'rax-kube.js');
const bundle = join(dirname(bin), '..', 'dist', 'main.js');

describe('the installed rax-kube command', () => {
  it('is built as one bundle', () => {
    expect(existsSync(bundle)).toBe(true);
  });

  it('answers --help with status 0 and bad input with status 2 and no stack trace', () => {
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('rax-kube render');
    const bad = spawnSync(process.execPath, [bin, 'render', '--out', '/tmp/never-written', '--num-nodes', 'x'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('rax-kube: NUM_NODES="x" (from flag): must be a whole number from 1 to 1000\n');
  });
});
