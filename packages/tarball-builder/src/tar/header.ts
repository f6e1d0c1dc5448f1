/**
 * The 512-byte tar header: POSIX ustar layout (IEEE Std 1003.1-1988), plus what GNU tar and
 * pax (POSIX.1-2001) add on top of it, which the reader must understand because real Kubernetes
 * release tarballs are written by GNU tar.
 */

export const BLOCK_SIZE = 512;

export type TarEntryType =
  | 'file'
  | 'hardlink'
  | 'symlink'
  | 'character-device'
  | 'block-device'
  | 'directory'
  | 'fifo'
  | 'pax-header'
  | 'pax-global-header'
  | 'gnu-long-name'
  | 'gnu-long-link-name'
  | 'unknown';

/** A header as written in one 512-byte block, before pax / GNU long-name records are applied. */
export interface RawTarHeader {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  type: TarEntryType;
  /** The type flag character as found, e.g. `'0'`, `'x'`, `'S'`. */
  typeFlag: string;
  linkName: string;
  uname: string;
  gname: string;
  /** `'ustar'` (POSIX), `'gnu'` (GNU tar's `ustar  ` magic) or `'v7'` (none). */
  format: 'ustar' | 'gnu' | 'v7';
}

const TYPE_BY_FLAG: Record<string, TarEntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file', // contiguous file: a regular file everywhere that matters
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'character-device',
  '4': 'block-device',
  '5': 'directory',
  '6': 'fifo',
  x: 'pax-header',
  g: 'pax-global-header',
  L: 'gnu-long-name',
  K: 'gnu-long-link-name',
};

const FLAG_BY_TYPE: Partial<Record<TarEntryType, string>> = {
  file: '0',
  hardlink: '1',
  symlink: '2',
  'character-device': '3',
  'block-device': '4',
  directory: '5',
  fifo: '6',
  'pax-header': 'x',
  'pax-global-header': 'g',
};

export class TarFormatError extends Error {
  override readonly name = 'TarFormatError';
  constructor(
    message: string,
    readonly kind: 'corrupt' | 'truncated',
  ) {
    super(message);
  }
}

export function isZeroBlock(block: Uint8Array): boolean {
  for (const byte of block) if (byte !== 0) return false;
  return true;
}

/** A NUL-terminated string field; ustar text is ASCII in practice, UTF-8 is the safe decoding. */
function readString(block: Buffer, offset: number, length: number): string {
  const end = block.indexOf(0, offset);
  const stop = end === -1 || end > offset + length ? offset + length : end;
  return block.toString('utf8', offset, stop);
}

/**
 * A numeric field: octal digits padded with spaces or NULs, or GNU base-256 (first byte has its
 * high bit set), which GNU tar uses for sizes of 8 GiB and more.
 */
function readNumber(block: Buffer, offset: number, length: number, field: string): number {
  const first = block[offset] ?? 0;
  if (first & 0x80) {
    if (first === 0xff) throw new TarFormatError(`negative base-256 value in the ${field} field`, 'corrupt');
    let value = first & 0x7f;
    for (let i = offset + 1; i < offset + length; i++) value = value * 256 + (block[i] ?? 0);
    if (!Number.isSafeInteger(value)) throw new TarFormatError(`the ${field} field is too large`, 'corrupt');
    return value;
  }
  const text = block.toString('latin1', offset, offset + length).replace(/[\0 ]+$/u, '').replace(/^[\0 ]+/u, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/u.test(text)) throw new TarFormatError(`the ${field} field is not an octal number: ${JSON.stringify(text)}`, 'corrupt');
  return parseInt(text, 8);
}

/** Sum of the header bytes with the checksum field itself counted as eight spaces. */
export function headerChecksum(block: Uint8Array): { unsigned: number; signed: number } {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK_SIZE; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return { unsigned, signed };
}

export function decodeHeader(block: Buffer): RawTarHeader {
  if (block.length !== BLOCK_SIZE) throw new TarFormatError(`a tar header is ${BLOCK_SIZE} bytes, got ${block.length}`, 'truncated');
  const stored = readNumber(block, 148, 8, 'checksum');
  const sum = headerChecksum(block);
  // Some historic writers summed signed chars; both are accepted by GNU tar.
  if (stored !== sum.unsigned && stored !== sum.signed) {
    throw new TarFormatError(`header checksum mismatch (stored ${stored}, computed ${sum.unsigned}): not a tar archive, or corrupt`, 'corrupt');
  }
  const magic = block.toString('latin1', 257, 263);
  const version = block.toString('latin1', 263, 265);
  const format = magic === 'ustar\0' ? 'ustar' : magic === 'ustar ' && version === ' \0' ? 'gnu' : 'v7';
  let name = readString(block, 0, 100);
  if (format === 'ustar') {
    const prefix = readString(block, 345, 155);
    if (prefix !== '') name = `${prefix}/${name}`;
  }
  const typeFlag = String.fromCharCode(block[156] ?? 0);
  return {
    name,
    mode: readNumber(block, 100, 8, 'mode'),
    uid: readNumber(block, 108, 8, 'uid'),
    gid: readNumber(block, 116, 8, 'gid'),
    size: readNumber(block, 124, 12, 'size'),
    mtime: readNumber(block, 136, 12, 'mtime'),
    type: TYPE_BY_FLAG[typeFlag] ?? 'unknown',
    typeFlag,
    linkName: readString(block, 157, 100),
    uname: format === 'v7' ? '' : readString(block, 265, 32),
    gname: format === 'v7' ? '' : readString(block, 297, 32),
    format,
  };
}

/** Entry types whose size field counts data blocks that follow the header. */
export function hasData(type: TarEntryType): boolean {
  return type !== 'directory' && type !== 'symlink' && type !== 'hardlink' && type !== 'character-device' && type !== 'block-device' && type !== 'fifo';
}

/**
 * Parse a pax extended header body: records of the form `"<len> <key>=<value>\n"`, where `<len>`
 * counts the whole record in bytes, including itself and the newline.
 */
export function parsePaxRecords(body: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < body.length) {
    if (body[offset] === 0) break; // some writers NUL-pad the body
    const space = body.indexOf(0x20, offset);
    if (space === -1) throw new TarFormatError('pax record without a length', 'corrupt');
    const lengthText = body.toString('latin1', offset, space);
    if (!/^[0-9]+$/u.test(lengthText)) throw new TarFormatError(`bad pax record length ${JSON.stringify(lengthText)}`, 'corrupt');
    const length = parseInt(lengthText, 10);
    const end = offset + length;
    if (length <= space - offset + 1 || end > body.length || body[end - 1] !== 0x0a) {
      throw new TarFormatError('pax record length does not match its content', 'corrupt');
    }
    const record = body.toString('utf8', space + 1, end - 1);
    const eq = record.indexOf('=');
    if (eq <= 0) throw new TarFormatError('pax record without a key', 'corrupt');
    records.set(record.slice(0, eq), record.slice(eq + 1));
    offset = end;
  }
  return records;
}

export function encodePaxRecords(records: ReadonlyArray<readonly [string, string]>): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of records) {
    const payload = ` ${key}=${value}\n`;
    const payloadLength = Buffer.byteLength(payload);
    // The length prefix counts its own digits: grow it until it is self-consistent.
    let length = payloadLength + 1;
    while (String(length).length + payloadLength !== length) length = String(length).length + payloadLength;
    parts.push(Buffer.from(`${length}${payload}`, 'utf8'));
  }
  return Buffer.concat(parts);
}

/** What the writer puts in one header block. */
export interface HeaderFields {
  name: string;
  /** ustar prefix field; the reader joins it as `prefix/name`. */
  prefix?: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  type: 'file' | 'directory' | 'symlink' | 'pax-header';
  linkName?: string;
  uname: string;
  gname: string;
}

function writeString(block: Buffer, value: string, offset: number, length: number, field: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new RangeError(`tar ${field} field holds ${length} bytes, ${JSON.stringify(value)} has ${bytes.length}`);
  bytes.copy(block, offset);
}

/** Octal, zero-padded, NUL-terminated, as POSIX ustar writes it. */
function writeOctal(block: Buffer, value: number, offset: number, length: number, field: string): void {
  const digits = Math.trunc(value).toString(8);
  if (value < 0 || digits.length > length - 1) throw new RangeError(`tar ${field} value ${value} does not fit in ${length - 1} octal digits`);
  block.write(`${digits.padStart(length - 1, '0')}\0`, offset, length, 'latin1');
}

export const MAX_OCTAL_SIZE = 8 ** 11 - 1;

export function encodeHeader(fields: HeaderFields): Buffer {
  const block = Buffer.alloc(BLOCK_SIZE);
  writeString(block, fields.name, 0, 100, 'name');
  writeOctal(block, fields.mode & 0o7777, 100, 8, 'mode');
  writeOctal(block, fields.uid, 108, 8, 'uid');
  writeOctal(block, fields.gid, 116, 8, 'gid');
  writeOctal(block, fields.size, 124, 12, 'size');
  writeOctal(block, fields.mtime, 136, 12, 'mtime');
  block.write(FLAG_BY_TYPE[fields.type] ?? '0', 156, 1, 'latin1');
  writeString(block, fields.linkName ?? '', 157, 100, 'linkname');
  block.write('ustar\0', 257, 6, 'latin1');
  block.write('00', 263, 2, 'latin1');
  writeString(block, fields.uname, 265, 32, 'uname');
  writeString(block, fields.gname, 297, 32, 'gname');
  writeOctal(block, 0, 329, 8, 'devmajor');
  writeOctal(block, 0, 337, 8, 'devminor');
  writeString(block, fields.prefix ?? '', 345, 155, 'prefix');
  // Checksum: six octal digits, NUL, space (the layout GNU tar and POSIX examples use).
  const { unsigned } = headerChecksum(block);
  block.write(`${unsigned.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return block;
}

/**
 * Split a path into ustar `prefix` (≤155 bytes) and `name` (≤100 bytes) at a slash, or return
 * undefined when it cannot be split and a pax `path` record is needed.
 */
export function splitUstarPath(path: string): { prefix: string; name: string } | undefined {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  // Keep a trailing slash (directories) with the name part.
  const body = path.endsWith('/') ? path.slice(0, -1) : path;
  const suffix = path.endsWith('/') ? '/' : '';
  for (let i = body.indexOf('/'); i !== -1; i = body.indexOf('/', i + 1)) {
    const prefix = body.slice(0, i);
    const name = body.slice(i + 1) + suffix;
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== suffix) return { prefix, name };
  }
  return undefined;
}

export const padding = (size: number): number => (BLOCK_SIZE - (size % BLOCK_SIZE)) % BLOCK_SIZE;
