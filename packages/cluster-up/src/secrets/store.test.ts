import { mkdtemp, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateSecrets, raxKubeHome, SecretsFileError } from './store.js';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'rax-kube-home-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('cluster secrets', () => {
  it('creates strong random credentials once, 0600 in a 0700 directory, and reuses them', async () => {
    const first = await loadOrCreateSecrets(home, 'demo');
    expect(first.created).toBe(true);
    expect((await stat(first.path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, 'clusters', 'demo'))).mode & 0o777).toBe(0o700);
    expect(first.secrets.adminPassword).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(first.secrets.nodeTokenKey).toMatch(/^[0-9a-f]{64}$/);
    const all = [first.secrets.adminPassword, first.secrets.adminToken, ...Object.values(first.secrets.serviceAccountTokens)];
    expect(new Set(all).size).toBe(all.length);

    const second = await loadOrCreateSecrets(home, 'demo');
    expect(second.created).toBe(false);
    expect(second.secrets).toEqual(first.secrets);
    const other = await loadOrCreateSecrets(home, 'other');
    expect(other.secrets.adminPassword).not.toBe(first.secrets.adminPassword);
  });

  it('tightens a too-open file and completes one with missing fields, keeping what is there', async () => {
    const { path } = await loadOrCreateSecrets(home, 'demo');
    await writeFile(path, JSON.stringify({ adminUser: 'admin', adminPassword: 'kept-password' }));
    await chmod(path, 0o644);
    const { secrets } = await loadOrCreateSecrets(home, 'demo');
    expect(secrets.adminPassword).toBe('kept-password');
    expect(secrets.adminToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, 'utf8')).adminToken).toBe(secrets.adminToken);
  });

  it('refuses a corrupt file without printing its contents', async () => {
    const { path } = await loadOrCreateSecrets(home, 'demo');
    await writeFile(path, '{"adminPassword": "s3cret-value"');
    const error = await loadOrCreateSecrets(home, 'demo').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretsFileError);
    expect(String((error as Error).message)).not.toContain('s3cret-value');
  });

  it('lives under RAX_KUBE_HOME, else ~/.rax-kube', () => {
    expect(raxKubeHome({ RAX_KUBE_HOME: '/x/y' })).toBe('/x/y');
    expect(raxKubeHome({})).toMatch(/\.rax-kube$/);
  });
});
