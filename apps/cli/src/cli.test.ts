import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import type { CliIo } from './io.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rax-kube-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { RAX_KUBE_HOME: join(dir, 'home'), ...env },
    cwd: dir,
    stdoutIsTTY: false,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('rax-kube render', () => {
  it('writes every document with the report, and reuses the credentials on the next run', async () => {
    const first = await run(['render', '--out', 'out', '--num-nodes', '2', '--release-url', 'https://example.invalid/k.tar.gz']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Rendered cluster "kubernetes" (master + 2 nodes)');
    expect(first.stdout).toContain('kubernetes-node-2 (');
    expect(first.stdout).toContain('no problems found');
    expect(first.stdout).toContain('Placeholders (marked RAX_KUBE_PLACEHOLDER_* in the files): OS_AUTH_URL');
    expect(first.stdout).not.toContain('release temp URL');
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['known_tokens.csv', 'master.yaml', 'node-1.yaml', 'node-2.yaml']);
    expect((await stat(join(dir, 'out', 'known_tokens.csv'))).mode & 0o777).toBe(0o600);
    const tokens = await readFile(join(dir, 'out', 'known_tokens.csv'), 'utf8');

    const second = await run(['render', '--out', 'again', '--num-nodes', '2']);
    expect(second.stdout).toContain('Reused the cluster credentials');
    expect(await readFile(join(dir, 'again', 'known_tokens.csv'), 'utf8')).toBe(tokens);
  });

  it('never prints a secret', async () => {
    const env = { OS_AUTH_URL: 'https://identity.example/v2.0/', OS_USERNAME: 'u', OS_PASSWORD: 'api-key-sekrit', OS_REGION_NAME: 'ORD', OS_TENANT_NAME: 't' };
    const result = await run(['render', '--out', 'out', '--num-nodes', '1', '-vv'], env);
    expect(result.code).toBe(0);
    const secrets = JSON.parse(await readFile(join(dir, 'home', 'clusters', 'kubernetes', 'secrets.json'), 'utf8'));
    const output = result.stdout + result.stderr;
    for (const value of ['api-key-sekrit', secrets.adminPassword, secrets.adminToken, secrets.nodeTokenKey, ...Object.values(secrets.serviceAccountTokens)]) {
      expect(output).not.toContain(value);
    }
    expect(await readFile(join(dir, 'out', 'master.yaml'), 'utf8')).toContain('api-key = "api-key-sekrit"');
  });

  it('exits 2 naming the variable for bad settings, before writing anything', async () => {
    const result = await run(['render', '--out', 'out', '--kube-network', '10.0.0.0/8'], { NUM_NODES: 'many' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'rax-kube: NUM_NODES="many" (from environment): must be a whole number from 1 to 1000\n' +
        'SERVICE_CLUSTER_IP_RANGE="10.0.0.0/16" (from default): overlaps KUBE_NETWORK=10.0.0.0/8; the cloud network, the pod network and the service range must not overlap\n',
    );
    await expect(stat(join(dir, 'out'))).rejects.toThrow(/ENOENT/);
  });

  it('reads a config file and lets --cluster name the cluster', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'cluster.env'), 'NUM_NODES=1\nINSTANCE_PREFIX=fromfile\n');
    const result = await run(['render', '--out', 'out', '--config', join(dir, 'cluster.env'), '--cluster', 'prod']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Rendered cluster "prod" (master + 1 nodes)');
    expect(await readFile(join(dir, 'out', 'node-1.yaml'), 'utf8')).toContain('hostname: prod-node-1');
  });

  it('exits 2 with usage help for a missing option, a bad flag value or an unknown command', async () => {
    expect(await run(['render'])).toMatchObject({ code: 2, stderr: 'rax-kube: Missing required argument: out\nRun rax-kube --help for usage.\n' });
    expect((await run(['render', '--out', 'o', '--release-sha256', 'xyz'])).stderr).toBe('rax-kube: --release-sha256="xyz": must be 64 hexadecimal digits\n');
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['render', '--out', 'o', '--config', join(dir, 'missing.yaml')])).stderr).toBe(
      `rax-kube: --config=${JSON.stringify(join(dir, 'missing.yaml'))} (from flag): cannot be read (ENOENT): give the path of a YAML or KEY=value file\n`,
    );
  });

  it('prints help and exits 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('rax-kube render');
  });
});
