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

describe('rax-kube sim', () => {
  it('prints the exports, serves a cloud that issues tokens, and stops cleanly on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [bin, 'sim', '--port', '0', '--mode', 'rackspace'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        if (output.includes("OS_INTERFACE=")) resolve();
      });
      child.once('exit', (code) => reject(new Error(`sim exited early (${code}): ${output}`)));
    });
    const env = Object.fromEntries([...output.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]));
    expect(env.OS_AUTH_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\.0$/);
    const response = await fetch(`${env.OS_AUTH_URL}/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: { 'RAX-KSKEY:apiKeyCredentials': { username: env.OS_USERNAME, apiKey: env.OS_PASSWORD } } }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { access: { token: { id: string } } }).access.token.id).toBeTruthy();
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(output).toContain('# rax-kube sim stopped');
  });
});
