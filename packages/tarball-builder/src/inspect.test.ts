import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TarballError } from './errors.js';
import { inspectServerTarball } from './inspect.js';
import { gnuTarServerTarball } from './test-support.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'inspect-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(path: string): Promise<TarballError> {
  return (await inspectServerTarball(path).then(
    () => {
      throw new Error('inspect should have failed');
    },
    (err: unknown) => err,
  )) as TarballError;
}

describe('inspectServerTarball', () => {
  it('lists a GNU tar release and gives digests equal to node:crypto over the whole file', async () => {
    const tarball = await gnuTarServerTarball(join(dir, 'root'), join(dir, 'server.tar.gz'));
    const result = await inspectServerTarball(tarball);
    const bytes = await readFile(tarball);
    expect(result.path).toBe(tarball);
    expect(result.size).toBe(bytes.length);
    expect(result.digests).toEqual({
      md5: createHash('md5').update(bytes).digest('hex'),
      sha256: createHash('sha256').update(bytes).digest('hex'),
      sha512: createHash('sha512').update(bytes).digest('hex'),
    });
    // kubernetes/, README.md, server/, server/bin/ and the five binaries
    expect(result.entryCount).toBe(9);
    expect(result.entries.map((e) => e.path)).toContain('kubernetes/server/bin/kube-apiserver');
    expect(result.binaries.kubelet).toEqual({ size: '#!/bin/sh\necho kubelet\n'.length, mode: 0o755 });
  });

  it('accepts entries stored with a leading ./ (tar -C dir .)', async () => {
    await gnuTarServerTarball(join(dir, 'root'), join(dir, 'unused.tar.gz'));
    const tarball = join(dir, 'dot.tar.gz');
    execFileSync('tar', ['-czf', tarball, '-C', join(dir, 'root'), '.']);
    expect((await inspectServerTarball(tarball)).binaries['kube-proxy'].mode).toBe(0o755);
  });

  it('names each missing or non-executable binary', async () => {
    const tarball = await gnuTarServerTarball(join(dir, 'root'), join(dir, 'bad.tar.gz'), { omit: ['kube-scheduler'], mode: { kubelet: 0o644 } });
    const err = await failure(tarball);
    expect(err.code).toBe('TARBALL_INVALID_LAYOUT');
    expect(err.path).toBe(tarball);
    expect(err.message).toContain('kubernetes/server/bin/kube-scheduler is missing');
    expect(err.message).toContain('kubernetes/server/bin/kubelet is not executable (mode 0644)');
    expect(err.message).not.toContain('kube-proxy');
  });

  it('refuses a binary that is a symlink rather than a regular file', async () => {
    const root = join(dir, 'root');
    await gnuTarServerTarball(root, join(dir, 'first.tar.gz'));
    const bin = join(root, 'kubernetes', 'server', 'bin');
    await unlink(join(bin, 'kube-proxy'));
    await symlink('kubelet', join(bin, 'kube-proxy'));
    const tarball = join(dir, 'symlink.tar.gz');
    execFileSync('tar', ['-czf', tarball, '-C', root, 'kubernetes']);
    expect((await failure(tarball)).message).toContain('kubernetes/server/bin/kube-proxy is a symlink, not a regular file');
  });

  it('reports a truncated file as truncated, naming the file', async () => {
    const tarball = await gnuTarServerTarball(join(dir, 'root'), join(dir, 'whole.tar.gz'));
    const bytes = await readFile(tarball);
    const cut = join(dir, 'cut.tar.gz');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const err = await failure(cut);
    expect(err.code).toBe('TARBALL_TRUNCATED');
    expect(err.message).toContain(cut);
    // Gzip intact but the tar inside stops mid-entry.
    const tar = execFileSync('tar', ['-cf', '-', '-C', join(dir, 'root'), 'kubernetes']);
    const tarCut = join(dir, 'tar-cut.tar.gz');
    await writeFile(tarCut, gzipSync(tar.subarray(0, 1600)));
    expect((await failure(tarCut)).code).toBe('TARBALL_TRUNCATED');
  });

  it('reports corrupt gzip, non-gzip and non-tar content as corrupt, naming the file', async () => {
    const tarball = await gnuTarServerTarball(join(dir, 'root'), join(dir, 'whole.tar.gz'));
    const bytes = Buffer.from(await readFile(tarball));
    for (let i = 20; i < bytes.length - 20; i += 7) bytes[i] = (bytes[i] ?? 0) ^ 0x5a;
    const corrupt = join(dir, 'corrupt.tar.gz');
    await writeFile(corrupt, bytes);
    const err = await failure(corrupt);
    expect(err.code).toBe('TARBALL_CORRUPT');
    expect(err.message).toContain(corrupt);

    const text = join(dir, 'text.tar.gz');
    await writeFile(text, 'this is not gzip at all\n');
    expect((await failure(text)).message).toMatch(/not a valid gzip file/u);

    const notTar = join(dir, 'not-tar.tar.gz');
    await writeFile(notTar, gzipSync(Buffer.from('plain text, gzipped, but not a tar archive\n'.repeat(20))));
    const notTarErr = await failure(notTar);
    expect(notTarErr.code).toBe('TARBALL_CORRUPT');
    expect(notTarErr.message).toMatch(/corrupt tar archive/u);
  });

  it('says when the file does not exist', async () => {
    expect((await failure(join(dir, 'nope.tar.gz'))).code).toBe('TARBALL_NOT_FOUND');
  });
});
