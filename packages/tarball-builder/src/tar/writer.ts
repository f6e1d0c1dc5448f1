import { createReadStream } from 'node:fs';
import { BLOCK_SIZE, MAX_OCTAL_SIZE, encodeHeader, encodePaxRecords, padding, splitUstarPath } from './header.js';

/** Where a file entry's bytes come from: a file on disk (streamed) or bytes in memory (small files only). */
export type TarSource = { kind: 'file'; path: string } | { kind: 'bytes'; data: Uint8Array };

export interface TarWriteEntry {
  /** Archive path; directories may end in `/` (added when missing). */
  path: string;
  type: 'file' | 'directory' | 'symlink';
  mode: number;
  mtime: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  /** Byte count of a file entry; the writer fails if the source yields a different count. */
  size?: number;
  source?: TarSource;
  linkPath?: string;
}

/** GNU tar's default blocking factor of 20 gives 10240-byte records; the archive is padded to one. */
export const DEFAULT_RECORD_SIZE = 20 * BLOCK_SIZE;

/**
 * Header block(s) for one entry. Paths that do not fit ustar's name/prefix fields, and sizes
 * beyond eleven octal digits (8 GiB), get a pax extended header first.
 */
export function encodeEntryHeader(entry: TarWriteEntry): Buffer {
  const path = entry.type === 'directory' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
  const size = entry.type === 'file' ? (entry.size ?? sourceSize(entry)) : 0;
  const pax: Array<[string, string]> = [];
  let split = splitUstarPath(path);
  if (split === undefined) {
    pax.push(['path', path]);
    // Readers that know pax take the path from the record; others see this ASCII stand-in.
    split = { prefix: '', name: asciiTail(path, 100) };
  }
  if (size > MAX_OCTAL_SIZE) pax.push(['size', String(size)]);
  const linkPath = entry.linkPath ?? '';
  if (Buffer.byteLength(linkPath) > 100) pax.push(['linkpath', linkPath]);

  const header = encodeHeader({
    name: split.name,
    prefix: split.prefix,
    mode: entry.mode,
    uid: entry.uid,
    gid: entry.gid,
    size: size > MAX_OCTAL_SIZE ? 0 : size,
    mtime: entry.mtime,
    type: entry.type,
    linkName: Buffer.byteLength(linkPath) > 100 ? '' : linkPath,
    uname: entry.uname,
    gname: entry.gname,
  });
  if (pax.length === 0) return header;
  const body = encodePaxRecords(pax);
  const paxHeader = encodeHeader({
    // The name of a pax header block is informational; this is the form GNU tar uses.
    name: asciiTail(`PaxHeaders/${split.name}`, 100),
    mode: 0o644,
    uid: entry.uid,
    gid: entry.gid,
    size: body.length,
    mtime: entry.mtime,
    type: 'pax-header',
    uname: entry.uname,
    gname: entry.gname,
  });
  return Buffer.concat([paxHeader, body, Buffer.alloc(padding(body.length)), header]);
}

function asciiTail(text: string, bytes: number): string {
  return text.replace(/[^\x20-\x7e]/gu, '_').slice(-bytes);
}

function sourceSize(entry: TarWriteEntry): number {
  if (entry.source?.kind === 'bytes') return entry.source.data.length;
  throw new RangeError(`tar entry ${JSON.stringify(entry.path)}: a file read from disk needs its size up front`);
}

/**
 * The archive as a stream of buffers: header, body (streamed from disk for file sources), padding,
 * then two zero blocks and padding to a whole record. Memory use is one read chunk at a time.
 */
export async function* tarStream(entries: Iterable<TarWriteEntry>, recordSize = DEFAULT_RECORD_SIZE): AsyncGenerator<Buffer> {
  let written = 0;
  for (const entry of entries) {
    const header = encodeEntryHeader(entry);
    yield header;
    written += header.length;
    if (entry.type !== 'file') continue;
    const size = entry.size ?? sourceSize(entry);
    let bodyBytes = 0;
    if (entry.source?.kind === 'bytes') {
      const data = Buffer.from(entry.source.data.buffer, entry.source.data.byteOffset, entry.source.data.byteLength);
      if (data.length > 0) yield data;
      bodyBytes = data.length;
    } else if (entry.source?.kind === 'file') {
      for await (const chunk of createReadStream(entry.source.path, { highWaterMark: 256 * 1024 })) {
        const buf = chunk as Buffer;
        bodyBytes += buf.length;
        if (bodyBytes > size) break;
        yield buf;
      }
    }
    if (bodyBytes !== size) {
      throw new RangeError(`tar entry ${JSON.stringify(entry.path)}: expected ${size} bytes, the source gave ${bodyBytes > size ? 'more' : bodyBytes} (changed while archiving?)`);
    }
    const pad = padding(size);
    if (pad > 0) yield Buffer.alloc(pad);
    written += size + pad;
  }
  // End of archive: two zero blocks, then zeros up to a whole record.
  let trailer = 2 * BLOCK_SIZE;
  const remainder = (written + trailer) % recordSize;
  if (remainder !== 0) trailer += recordSize - remainder;
  yield Buffer.alloc(trailer);
}
