import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServerTarball, planArchive, writeReproducibleTarball } from './build.js';
import type { ArchiveFile } from './build.js';
import type { TarballError } from './errors.js';
import { findServerTarball } from './find.js';
import { inspectServerTarball } from './inspect.js';
import { REQUIRED_SERVER_BINARIES } from './layout.js';
import { buildStandInRelease } from './stand-in.js';
import { makeBinDir } from './test-support.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'build-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bytes = (path: string, text: string, executable = false): ArchiveFile => ({ path, source: { kind: 'bytes', data: Buffer.from(text) }, executable });

describe('planArchive', () => {
  it('adds every parent directory, sorts by path bytes, fixes owner and mtime, normalises modes', () => {
    const entries = planArchive([bytes('k/server/bin/z', 'z', true), bytes('k/a', 'a'), bytes('k/server/bin/a', 'a', true)], { mtime: 42 });
    expect(entries.map((e) => [e.path, e.type, e.mode.toString(8)])).toEqual([
      ['k/', 'directory', '755'],
      ['k/a', 'file', '644'],
      ['k/server/', 'directory', '755'],
      ['k/server/bin/', 'directory', '755'],
      ['k/server/bin/a', 'file', '755'],
      ['k/server/bin/z', 'file', '755'],
    ]);
    expect(new Set(entries.map((e) => `${e.mtime} ${e.uid} ${e.gid} ${e.uname} ${e.gname}`))).toEqual(new Set(['42 0 0 root root']));
  });

  it('rejects absolute, dotted, duplicate and file-versus-directory paths', () => {
    for (const bad of ['/abs', 'a/../b', './a', 'a//b', '']) {
      expect(() => planArchive([bytes(bad, '')])).toThrow(/must be relative/u);
    }
    expect(() => planArchive([bytes('a', ''), bytes('a', '')])).toThrow(/given twice/u);
    expect(() => planArchive([bytes('a', ''), bytes('a/b', '')])).toThrow(/both a file and a directory/u);
  });
});

describe('reproducible builds', () => {
  it('gives identical bytes for the same files in a different order', async () => {
    const files = [bytes('k/one', '1'), bytes('k/two', '2', true), bytes('k/sub/three', '3')];
    const a = await writeReproducibleTarball(files, join(dir, 'a.tar.gz'));
    const b = await writeReproducibleTarball([...files].reverse(), join(dir, 'b.tar.gz'));
    expect((await readFile(a.path)).equals(await readFile(b.path))).toBe(true);
    expect(b.digests).toEqual(a.digests);
  });

  it('builds the same bytes twice from binary directories that differ only in mtimes, creation order and exec bits', async () => {
    const first = await makeBinDir(join(dir, 'bin1'), { extra: { 'kube-apiserver.docker_tag': 'v1.0.0\n' } });
    const second = join(dir, 'bin2');
    await mkdir(second);
    for (const name of [...REQUIRED_SERVER_BINARIES].reverse()) {
      await writeFile(join(second, name), `#!/bin/sh\necho ${name}\n`);
      await chmod(join(second, name), 0o700);
      await utimes(join(second, name), 1_000_000, 1_000_000);
    }
    await writeFile(join(second, 'kube-apiserver.docker_tag'), 'v1.0.0\n', { mode: 0o600 });
    const a = await buildServerTarball({ binDir: first, output: join(dir, 'out', 'a.tar.gz') });
    const again = await buildServerTarball({ binDir: first, output: join(dir, 'out', 'again.tar.gz') });
    const b = await buildServerTarball({ binDir: second, output: join(dir, 'out', 'b.tar.gz') });
    const aBytes = await readFile(a.path);
    expect(aBytes.equals(await readFile(again.path))).toBe(true);
    expect(aBytes.equals(await readFile(b.path))).toBe(true);
    // No temporary files are left next to the output.
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['a.tar.gz', 'again.tar.gz', 'b.tar.gz']);
  });

  it('changes the bytes when the mtime option changes (it is an input, not the clock)', async () => {
    const a = await writeReproducibleTarball([bytes('k/x', 'x')], join(dir, 'a.tar.gz'));
    const b = await writeReproducibleTarball([bytes('k/x', 'x')], join(dir, 'b.tar.gz'), { mtime: 1 });
    expect(a.digests.sha256).not.toBe(b.digests.sha256);
  });

  it('writes a release GNU tar lists with normalised modes, root ownership and mtime 0, which inspect accepts', async () => {
    const binDir = await makeBinDir(join(dir, 'bin'), { extra: { 'kube-proxy.tar': 'image' } });
    const built = await buildServerTarball({ binDir, output: join(dir, 'release.tar.gz') });
    const listing = execFileSync('tar', ['--utc', '-tvzf', built.path], { encoding: 'utf8' }).trim().split('\n');
    expect(listing[0]).toMatch(/^drwxr-xr-x root\/root\s+0 1970-01-01 00:00 kubernetes\/$/u);
    expect(listing.find((l) => l.endsWith('kube-proxy.tar'))).toMatch(/^-rw-r--r-- root\/root/u);
    expect(listing.find((l) => l.endsWith('bin/kubelet'))).toMatch(/^-rwxr-xr-x root\/root/u);
    const inspected = await inspectServerTarball(built.path);
    expect(inspected.digests).toEqual(built.digests);
    expect(inspected.entryCount).toBe(built.entryCount);
    expect(inspected.entryCount).toBe(3 + REQUIRED_SERVER_BINARIES.length + 1);
  });

  it('refuses a binary directory without the required executables', async () => {
    const binDir = await makeBinDir(join(dir, 'bin'), { omit: ['kubelet'], mode: { 'kube-proxy': 0o644 } });
    const err = (await buildServerTarball({ binDir, output: join(dir, 'x.tar.gz') }).catch((e: unknown) => e)) as TarballError;
    expect(err.code).toBe('BUILD_INPUT_INVALID');
    expect(err.message).toContain('kubelet is missing');
    expect(err.message).toContain('kube-proxy is not executable (mode 0644)');
    await expect(readdir(dir)).resolves.toEqual(['bin']);
  });
});

describe('buildStandInRelease', () => {
  it('writes a labelled stand-in where findServerTarball looks, with scripts that say what they are', async () => {
    const built = await buildStandInRelease(dir, { version: 'v9.9.9-test' });
    expect((await findServerTarball({ kubeRoot: dir, env: {} })).path).toBe(built.path);
    const inspected = await inspectServerTarball(built.path);
    expect(inspected.entries.map((e) => e.path)).toContain('kubernetes/STAND-IN-RELEASE.txt');
    const out = join(dir, 'unpacked');
    await mkdir(out);
    execFileSync('tar', ['-xzf', built.path, '-C', out]);
    expect(await readFile(join(out, 'kubernetes', 'STAND-IN-RELEASE.txt'), 'utf8')).toMatch(/^THIS IS A STAND-IN RELEASE, NOT KUBERNETES\./u);
    const run = execFileSync('sh', ['-c', `${join(out, 'kubernetes', 'server', 'bin', 'kubelet')} 2>&1`], { encoding: 'utf8' });
    expect(run).toBe('kubelet v9.9.9-test: rax-kube stand-in binary, not a real Kubernetes component\n');
    const again = await buildStandInRelease(join(dir, 'other'), { version: 'v9.9.9-test' });
    expect(again.digests).toEqual(built.digests);
  });
});
