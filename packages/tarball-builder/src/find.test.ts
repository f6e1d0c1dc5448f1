import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isTarballError } from './errors.js';
import type { TarballError } from './errors.js';
import { findServerTarball } from './find.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'find-test-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function touch(...parts: string[]): Promise<string> {
  const path = join(root, ...parts);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, 'x');
  return path;
}

const TARBALL = 'kubernetes-server-linux-amd64.tar.gz';

describe('findServerTarball', () => {
  it('prefers server/ over _output/release-tars/ under KUBE_ROOT, like kube-up', async () => {
    const released = await touch('_output', 'release-tars', TARBALL);
    expect(await findServerTarball({ env: { KUBE_ROOT: root } })).toEqual({ path: released, source: 'release-tars', size: 1 });
    const server = await touch('server', TARBALL);
    expect(await findServerTarball({ env: { KUBE_ROOT: root } })).toMatchObject({ path: server, source: 'server' });
  });

  it('uses the kubeRoot option over KUBE_ROOT, and the working directory when neither is set', async () => {
    const server = await touch('tree', 'server', TARBALL);
    expect((await findServerTarball({ kubeRoot: join(root, 'tree'), env: { KUBE_ROOT: '/nonexistent' } })).path).toBe(server);
    expect((await findServerTarball({ env: {}, cwd: join(root, 'tree') })).path).toBe(server);
  });

  it('takes an explicit path (option over KUBE_SERVER_TARBALL), resolved against cwd', async () => {
    await touch('server', TARBALL);
    const mine = await touch('elsewhere', 'mine.tar.gz');
    const env = await touch('from-env.tar.gz');
    expect(await findServerTarball({ tarball: 'elsewhere/mine.tar.gz', cwd: root, env: { KUBE_SERVER_TARBALL: env, KUBE_ROOT: root } })).toMatchObject({ path: mine, source: 'option' });
    expect(await findServerTarball({ env: { KUBE_SERVER_TARBALL: env, KUBE_ROOT: root } })).toMatchObject({ path: env, source: 'env' });
  });

  it('does not fall back when an explicit path is missing', async () => {
    await touch('server', TARBALL);
    const err = (await findServerTarball({ tarball: join(root, 'missing.tar.gz'), env: { KUBE_ROOT: root } }).catch((e: unknown) => e)) as TarballError;
    expect(isTarballError(err, 'TARBALL_NOT_FOUND')).toBe(true);
    expect(err.searched).toEqual([join(root, 'missing.tar.gz')]);
  });

  it('lists every place it looked in a typed error', async () => {
    await mkdir(join(root, 'server', TARBALL), { recursive: true }); // a directory is not a tarball
    const err = (await findServerTarball({ env: { KUBE_ROOT: root } }).catch((e: unknown) => e)) as TarballError;
    expect(err.code).toBe('TARBALL_NOT_FOUND');
    expect(err.searched).toEqual([join(root, 'server', TARBALL), join(root, '_output', 'release-tars', TARBALL)]);
    expect(err.message).toContain(`${join(root, 'server', TARBALL)} (not a regular file)`);
    expect(err.message).toContain(join(root, '_output', 'release-tars', TARBALL));
    expect(err.message).toMatch(/--tarball/u);
  });
});
