import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planArchive } from '../build.js';
import type { ArchiveFile } from '../build.js';
import { TarParser } from './reader.js';
import { tarStream } from './writer.js';
import type { TarWriteEntry } from './writer.js';

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of source) parts.push(chunk);
  return Buffer.concat(parts);
}

function readAll(archive: Buffer, chunkSizes: number[]): Array<{ path: string; mode: number; data: Buffer }> {
  const out: Array<{ path: string; mode: number; data: Buffer }> = [];
  let parts: Buffer[] = [];
  const parser = new TarParser({
    onEntry: () => {
      parts = [];
    },
    onData: (chunk) => parts.push(Buffer.from(chunk)),
    onEntryEnd: (entry) => out.push({ path: entry.path, mode: entry.mode, data: Buffer.concat(parts) }),
  });
  let offset = 0;
  for (let i = 0; offset < archive.length; i++) {
    const size = chunkSizes[i % chunkSizes.length] ?? 512;
    parser.write(archive.subarray(offset, offset + size));
    offset += size;
  }
  parser.end();
  return out;
}

// Path segments from a mixed alphabet (ASCII, accented, CJK), some long enough to need pax records.
const segment = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.é漢'.split('')), minLength: 1, maxLength: 70 }).filter((s) => s !== '.' && s !== '..');
const archivePath = fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('/'));

const files = fc.uniqueArray(
  fc.record({ path: archivePath, data: fc.uint8Array({ maxLength: 1500 }), executable: fc.boolean() }),
  { selector: (f) => f.path, maxLength: 8 },
).filter((list) => {
  // A path may not be both a file and a parent directory of another file.
  const paths = new Set(list.map((f) => f.path));
  return list.every((f) => !f.path.split('/').some((_, i, parts) => i > 0 && paths.has(parts.slice(0, i).join('/'))));
});

describe('tar properties', () => {
  it('reads back exactly what was written, whatever the paths, contents and input chunking', async () => {
    await fc.assert(
      fc.asyncProperty(files, fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 5 }), async (list, chunkSizes) => {
        const entries: TarWriteEntry[] = list.map((f) => ({
          path: f.path,
          type: 'file',
          mode: f.executable ? 0o755 : 0o644,
          mtime: 0,
          uid: 0,
          gid: 0,
          uname: 'root',
          gname: 'root',
          source: { kind: 'bytes', data: f.data },
        }));
        const read = readAll(await collect(tarStream(entries)), chunkSizes);
        expect(read.map((e) => [e.path, e.mode, e.data.toString('hex')])).toEqual(list.map((f) => [f.path, f.executable ? 0o755 : 0o644, Buffer.from(f.data).toString('hex')]));
      }),
      { numRuns: 150 },
    );
  });

  it('produces the same archive bytes for any order of the same input files', async () => {
    await fc.assert(
      fc.asyncProperty(
        files.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))),
        async ([list, shuffled]) => {
          const asFiles = (l: typeof list): ArchiveFile[] => l.map((f) => ({ path: f.path, source: { kind: 'bytes', data: f.data }, executable: f.executable }));
          const a = await collect(tarStream(planArchive(asFiles(list))));
          const b = await collect(tarStream(planArchive(asFiles(shuffled))));
          expect(a.equals(b)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});
