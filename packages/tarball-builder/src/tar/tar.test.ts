import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCK_SIZE, encodeHeader, encodePaxRecords, padding } from './header.js';
import { ReproducibleGzip } from './gzip.js';
import { TarParser } from './reader.js';
import type { TarEntry } from './reader.js';
import { DEFAULT_RECORD_SIZE, tarStream } from './writer.js';
import type { TarWriteEntry } from './writer.js';

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of source) parts.push(chunk);
  return Buffer.concat(parts);
}

/** Parse an archive fed in chunks of `chunkSize` bytes, to exercise every split point. */
function parse(archive: Buffer, chunkSize = archive.length): Array<TarEntry & { data: string }> {
  const out: Array<TarEntry & { data: string }> = [];
  let parts: Buffer[] = [];
  const parser = new TarParser({
    onEntry: () => {
      parts = [];
    },
    onData: (chunk) => parts.push(Buffer.from(chunk)),
    onEntryEnd: (entry) => out.push({ ...entry, data: Buffer.concat(parts).toString('utf8') }),
  });
  for (let i = 0; i < archive.length; i += chunkSize) parser.write(archive.subarray(i, i + chunkSize));
  parser.end();
  return out;
}

const owner = { uid: 0, gid: 0, uname: 'root', gname: 'root', mtime: 1_600_000_000 } as const;
const file = (path: string, text: string, mode = 0o644): TarWriteEntry => ({ path, type: 'file', mode, ...owner, source: { kind: 'bytes', data: Buffer.from(text) } });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tar-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('tar writer and reader', () => {
  it('round-trips entries, contents and modes for any chunking of the input', async () => {
    const longPath = `kubernetes/${'deep/'.repeat(30)}file.txt`; // > 155 bytes: needs a pax path record
    const entries: TarWriteEntry[] = [
      { path: 'kubernetes', type: 'directory', mode: 0o755, ...owner },
      file('kubernetes/a.txt', 'hello'),
      file('kubernetes/empty', ''),
      file('kubernetes/exactly-512', 'x'.repeat(512), 0o755),
      file(longPath, 'deep'),
      { path: 'kubernetes/link', type: 'symlink', mode: 0o777, ...owner, linkPath: 'a.txt' },
    ];
    const archive = await collect(tarStream(entries));
    expect(archive.length % DEFAULT_RECORD_SIZE).toBe(0);
    for (const chunkSize of [1, 7, 511, 512, 513, 4096, archive.length]) {
      const read = parse(archive, chunkSize);
      expect(read.map((e) => [e.path, e.type, e.mode, e.size, e.data, e.linkPath])).toEqual([
        ['kubernetes/', 'directory', 0o755, 0, '', ''],
        ['kubernetes/a.txt', 'file', 0o644, 5, 'hello', ''],
        ['kubernetes/empty', 'file', 0o644, 0, '', ''],
        ['kubernetes/exactly-512', 'file', 0o755, 512, 'x'.repeat(512), ''],
        [longPath, 'file', 0o644, 4, 'deep', ''],
        ['kubernetes/link', 'symlink', 0o777, 0, '', 'a.txt'],
      ]);
      expect(read.every((e) => e.mtime === owner.mtime && e.uname === 'root' && e.uid === 0)).toBe(true);
    }
  });

  it('writes archives GNU tar lists and extracts identically, long pax paths included', async () => {
    const longPath = `k/${'n'.repeat(120)}/${'m'.repeat(120)}.bin`;
    const archive = await collect(tarStream([file('k/one', 'first\n', 0o755), file(longPath, 'second\n')]));
    const tarFile = join(dir, 'ours.tar');
    await writeFile(tarFile, archive);
    const listing = execFileSync('tar', ['-tvf', tarFile], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toHaveLength(2);
    expect(listing[0]).toMatch(/^-rwxr-xr-x root\/root\s+6 .* k\/one$/u);
    expect(listing[1]).toContain(longPath);
    const out = join(dir, 'extract-ours');
    await mkdir(out);
    execFileSync('tar', ['-xf', tarFile, '-C', out]);
    expect(await readFile(join(out, longPath), 'utf8')).toBe('second\n');
  });

  it('reads what GNU tar writes: gnu format (././@LongLink) and pax format, long names and a big file', async () => {
    const src = join(dir, 'src');
    const longName = `${'l'.repeat(150)}.txt`;
    await mkdir(join(src, 'sub'), { recursive: true });
    await writeFile(join(src, longName), 'long name body');
    await writeFile(join(src, 'sub', 'big'), Buffer.alloc(70_000, 'z'));
    for (const format of ['gnu', 'pax', 'ustar']) {
      if (format === 'ustar') await rm(join(src, longName)); // ustar cannot hold a 154-byte file name
      const tarFile = join(dir, `gnu-${format}.tar`);
      execFileSync('tar', [`--format=${format}`, '-cf', tarFile, '-C', src, '.']);
      const read = parse(await readFile(tarFile), 1000);
      const byPath = new Map(read.map((e) => [e.path, e]));
      expect(byPath.get('./sub/big')?.size).toBe(70_000);
      expect(byPath.get('./sub/big')?.data).toBe('z'.repeat(70_000));
      expect(byPath.get('./sub/')?.type).toBe('directory');
      if (format !== 'ustar') expect(byPath.get(`./${longName}`)?.data).toBe('long name body');
    }
  });

  it('applies GNU long-link names and pax global headers to the entries they govern', () => {
    const longTarget = `target/${'t'.repeat(200)}`;
    const target = Buffer.from(`${longTarget}\0`);
    const globalBody = encodePaxRecords([['uname', 'builder']]);
    const blocks = [
      encodeHeader({ name: 'pax_global_header', mode: 0o644, uid: 0, gid: 0, size: globalBody.length, mtime: 0, type: 'pax-header', uname: '', gname: '' }),
      Buffer.concat([globalBody, Buffer.alloc(padding(globalBody.length))]),
      encodeHeader({ name: '././@LongLink', mode: 0, uid: 0, gid: 0, size: target.length, mtime: 0, type: 'file', uname: 'root', gname: 'root' }),
      Buffer.concat([target, Buffer.alloc(padding(target.length))]),
      encodeHeader({ name: 'link', mode: 0o777, uid: 0, gid: 0, size: 0, mtime: 0, type: 'symlink', uname: 'root', gname: 'root' }),
      encodeHeader({ name: 'after', mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 0, type: 'file', uname: 'root', gname: 'root' }),
      Buffer.alloc(2 * BLOCK_SIZE),
    ];
    blocks[0]?.write('g', 156, 1, 'latin1');
    blocks[2]?.write('K', 156, 1, 'latin1');
    for (const i of [0, 2]) {
      const block = blocks[i] as Buffer;
      block.write('        ', 148, 8, 'latin1');
      let sum = 0;
      for (const byte of block) sum += byte;
      block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
    }
    const read = parse(Buffer.concat(blocks), 100);
    expect(read.map((e) => [e.path, e.linkPath, e.uname])).toEqual([
      ['link', longTarget, 'builder'],
      ['after', '', 'builder'],
    ]);
  });

  it('reports an archive cut inside a body or a header as truncated, and accepts one cut at an entry boundary', async () => {
    const archive = await collect(tarStream([file('a', 'x'.repeat(1000)), file('b', 'y')]));
    expect(() => parse(archive.subarray(0, 700))).toThrow(/ends inside "a" \(812 of 1000 bytes missing\)/u);
    expect(() => parse(archive.subarray(0, 3 * BLOCK_SIZE + 100))).toThrow(/inside a header block/u);
    expect(parse(archive.subarray(0, 3 * BLOCK_SIZE)).map((e) => e.path)).toEqual(['a']);
  });

  it('fails when a file source yields a different size than declared', async () => {
    const path = join(dir, 'grown');
    await writeFile(path, 'abc');
    await expect(collect(tarStream([{ path: 'g', type: 'file', mode: 0o644, ...owner, size: 2, source: { kind: 'file', path } }]))).rejects.toThrow(/expected 2 bytes/u);
    await expect(collect(tarStream([{ path: 'g', type: 'file', mode: 0o644, ...owner, size: 5, source: { kind: 'file', path } }]))).rejects.toThrow(/expected 5 bytes, the source gave 3/u);
  });
});

describe('reproducible gzip', () => {
  it('writes a fixed header (no mtime, no name, OS 3) and a member gunzip accepts', async () => {
    const input = Buffer.from('some tar bytes '.repeat(10_000));
    const out = await collect(Readable.from([input.subarray(0, 1000), input.subarray(1000)]).pipe(new ReproducibleGzip(9)));
    expect([...out.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3]);
    expect(gunzipSync(out).equals(input)).toBe(true);
    const gz = join(dir, 'x.gz');
    await writeFile(gz, out);
    execFileSync('gzip', ['-t', gz]);
    expect(out.readUInt32LE(out.length - 4)).toBe(input.length);
  });

  it('gives identical bytes however the input is chunked', async () => {
    const input = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251));
    const whole = await collect(Readable.from([input]).pipe(new ReproducibleGzip()));
    const pieces = await collect(Readable.from(Array.from({ length: 200 }, (_, i) => input.subarray(i * 1000, (i + 1) * 1000))).pipe(new ReproducibleGzip()));
    expect(pieces.equals(whole)).toBe(true);
  });
});
