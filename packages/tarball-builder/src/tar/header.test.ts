import { describe, expect, it } from 'vitest';
import { BLOCK_SIZE, TarFormatError, decodeHeader, encodeHeader, encodePaxRecords, headerChecksum, parsePaxRecords, splitUstarPath } from './header.js';

const base = { mode: 0o755, uid: 0, gid: 0, size: 1234, mtime: 1_700_000_000, uname: 'root', gname: 'root' } as const;

describe('ustar header', () => {
  it('round-trips every field, joining the prefix and name with a slash', () => {
    const block = encodeHeader({ ...base, name: 'bin/kubelet', prefix: 'kubernetes/server', type: 'file' });
    expect(block.length).toBe(BLOCK_SIZE);
    expect(block.toString('latin1', 257, 265)).toBe('ustar\x0000');
    expect(decodeHeader(block)).toEqual({
      name: 'kubernetes/server/bin/kubelet',
      mode: 0o755,
      uid: 0,
      gid: 0,
      size: 1234,
      mtime: 1_700_000_000,
      type: 'file',
      typeFlag: '0',
      linkName: '',
      uname: 'root',
      gname: 'root',
      format: 'ustar',
    });
  });

  it('writes the checksum as six octal digits, NUL, space, and rejects a block whose checksum is off', () => {
    const block = encodeHeader({ ...base, name: 'a', type: 'directory' });
    expect(block.toString('latin1', 148, 156)).toMatch(/^[0-7]{6}\0 $/u);
    expect(parseInt(block.toString('latin1', 148, 154), 8)).toBe(headerChecksum(block).unsigned);
    block[0] = 'b'.charCodeAt(0);
    expect(() => decodeHeader(block)).toThrow(/checksum mismatch/u);
  });

  it('reads GNU base-256 sizes (files of 8 GiB and more)', () => {
    const block = encodeHeader({ ...base, name: 'big', type: 'file' });
    block.fill(0, 124, 136);
    block[124] = 0x80;
    block.writeUIntBE(9 * 1024 ** 3, 136 - 6, 6);
    block.write(`${headerChecksum(block).unsigned.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
    expect(decodeHeader(block).size).toBe(9 * 1024 ** 3);
  });

  it('recognises the GNU magic and type flags it must skip or apply', () => {
    const block = encodeHeader({ ...base, name: '././@LongLink', type: 'file' });
    block.write('ustar  \0', 257, 8, 'latin1');
    block.write('L', 156, 1, 'latin1');
    block.write(`${headerChecksum(block).unsigned.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
    const header = decodeHeader(block);
    expect(header.format).toBe('gnu');
    expect(header.type).toBe('gnu-long-name');
  });

  it('rejects non-octal numbers as corrupt', () => {
    const block = encodeHeader({ ...base, name: 'x', type: 'file' });
    block.write('12z4567\0', 100, 8, 'latin1');
    block.write(`${headerChecksum(block).unsigned.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
    expect(() => decodeHeader(block)).toThrow(TarFormatError);
  });
});

describe('pax records', () => {
  it('counts the length prefix in the record length, across digit-count boundaries', () => {
    for (const value of ['', 'a', 'x'.repeat(91), 'x'.repeat(92), 'x'.repeat(93), 'y'.repeat(994), 'y'.repeat(995), 'é'.repeat(300)]) {
      const body = encodePaxRecords([['path', value]]);
      const length = parseInt(body.toString('latin1').split(' ')[0] ?? '', 10);
      expect(length).toBe(body.length);
      expect(parsePaxRecords(body).get('path')).toBe(value);
    }
  });

  it('parses several records and ignores NUL padding', () => {
    const body = Buffer.concat([encodePaxRecords([['path', 'a/b'], ['size', '42'], ['mtime', '1.5']]), Buffer.alloc(20)]);
    expect(Object.fromEntries(parsePaxRecords(body))).toEqual({ path: 'a/b', size: '42', mtime: '1.5' });
  });

  it('rejects a record whose length does not match', () => {
    expect(() => parsePaxRecords(Buffer.from('30 path=short\n'))).toThrow(/length/u);
    expect(() => parsePaxRecords(Buffer.from('abc path=x\n'))).toThrow(/length/u);
  });
});

describe('splitUstarPath', () => {
  it('keeps short paths whole and splits long ones at a slash', () => {
    expect(splitUstarPath('kubernetes/server/bin/kubelet')).toEqual({ prefix: '', name: 'kubernetes/server/bin/kubelet' });
    const long = `${'d'.repeat(80)}/${'e'.repeat(60)}/file`;
    const split = splitUstarPath(long);
    expect(split).toEqual({ prefix: 'd'.repeat(80), name: `${'e'.repeat(60)}/file` });
    expect(`${split?.prefix}/${split?.name}`).toBe(long);
  });

  it('gives up when no split fits (a pax record is needed)', () => {
    expect(splitUstarPath('n'.repeat(101))).toBeUndefined();
    expect(splitUstarPath(`${'p'.repeat(156)}/x`)).toBeUndefined();
  });
});
