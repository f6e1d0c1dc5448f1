import { Writable } from 'node:stream';
import type { RawTarHeader, TarEntryType } from './header.js';
import { BLOCK_SIZE, TarFormatError, decodeHeader, hasData, isZeroBlock, padding, parsePaxRecords } from './header.js';

/** One archive member, with pax and GNU long-name records already applied. */
export interface TarEntry {
  path: string;
  type: Exclude<TarEntryType, 'pax-header' | 'pax-global-header' | 'gnu-long-name' | 'gnu-long-link-name'>;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkPath: string;
  uname: string;
  gname: string;
}

export interface TarParserHandlers {
  onEntry?(entry: TarEntry): void;
  /** Body bytes of the current entry, in order; the chunk is only valid during the call. */
  onData?(chunk: Buffer, entry: TarEntry): void;
  onEntryEnd?(entry: TarEntry): void;
}

/** pax / GNU meta bodies are names and a few numbers: anything huge is a corrupt archive, not data to buffer. */
const MAX_META_SIZE = 1024 * 1024;

type State =
  | { kind: 'header' }
  | { kind: 'meta'; header: RawTarHeader; remaining: number }
  | { kind: 'data'; entry: TarEntry; remaining: number }
  | { kind: 'skip'; remaining: number }
  | { kind: 'ended' };

/**
 * A push parser for an uncompressed tar stream. It never holds more than one header block (or one
 * pax / long-name body) in memory: file bodies are handed to `onData` as they arrive.
 */
export class TarParser {
  private state: State = { kind: 'header' };
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private global = new Map<string, string>();
  private local = new Map<string, string>();
  private longName: string | undefined;
  private longLinkName: string | undefined;
  private entries = 0;
  private consumed = 0;

  constructor(private readonly handlers: TarParserHandlers = {}) {}

  get entryCount(): number {
    return this.entries;
  }

  /** True once the end-of-archive marker (a zero block) has been seen. */
  get ended(): boolean {
    return this.state.kind === 'ended';
  }

  write(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      const state = this.state;
      switch (state.kind) {
        case 'ended':
          // Zero padding up to the record size (GNU tar: 10240 bytes) or anything after the marker.
          this.consumed += chunk.length - offset;
          return;
        case 'data': {
          const n = Math.min(state.remaining, chunk.length - offset);
          if (n > 0) this.handlers.onData?.(chunk.subarray(offset, offset + n), state.entry);
          offset += n;
          this.consumed += n;
          state.remaining -= n;
          if (state.remaining === 0) {
            this.handlers.onEntryEnd?.(state.entry);
            this.state = { kind: 'skip', remaining: padding(state.entry.size) };
          }
          break;
        }
        case 'skip': {
          const n = Math.min(state.remaining, chunk.length - offset);
          offset += n;
          this.consumed += n;
          state.remaining -= n;
          if (state.remaining === 0) this.state = { kind: 'header' };
          break;
        }
        case 'header':
        case 'meta': {
          const want = state.kind === 'header' ? BLOCK_SIZE : state.remaining;
          const n = Math.min(want - this.pendingLength, chunk.length - offset);
          this.pending.push(chunk.subarray(offset, offset + n));
          this.pendingLength += n;
          offset += n;
          this.consumed += n;
          if (this.pendingLength === want) {
            const block = Buffer.concat(this.pending, want);
            this.pending = [];
            this.pendingLength = 0;
            if (state.kind === 'header') this.onHeaderBlock(block);
            else this.onMetaBody(state.header, block);
          }
          break;
        }
      }
    }
  }

  /** Call when the input ends: an archive that stops inside a header or a body is truncated. */
  end(): void {
    const state = this.state;
    if (state.kind === 'ended') return;
    // GNU tar accepts an archive whose end-of-archive blocks are missing; so do we, but only at an entry boundary.
    if (state.kind === 'header' && this.pendingLength === 0) return;
    const where =
      state.kind === 'data'
        ? `inside ${JSON.stringify(state.entry.path)} (${state.remaining} of ${state.entry.size} bytes missing)`
        : state.kind === 'header'
          ? `inside a header block (${this.pendingLength} of ${BLOCK_SIZE} bytes)`
          : `after ${this.consumed} bytes`;
    throw new TarFormatError(`tar stream ends ${where}`, 'truncated');
  }

  private onHeaderBlock(block: Buffer): void {
    if (isZeroBlock(block)) {
      this.state = { kind: 'ended' };
      return;
    }
    const header = decodeHeader(block);
    if (header.type === 'pax-header' || header.type === 'pax-global-header' || header.type === 'gnu-long-name' || header.type === 'gnu-long-link-name') {
      if (header.size > MAX_META_SIZE) throw new TarFormatError(`a ${header.type} record of ${header.size} bytes is implausibly large`, 'corrupt');
      if (header.size === 0) {
        this.onMetaBody(header, Buffer.alloc(0));
        return;
      }
      this.state = { kind: 'meta', header, remaining: header.size };
      return;
    }
    const entry = this.applyExtensions(header);
    this.entries++;
    this.handlers.onEntry?.(entry);
    const size = hasData(header.type) ? entry.size : 0;
    if (size === 0) {
      this.handlers.onEntryEnd?.(entry);
      this.state = { kind: 'header' };
    } else {
      this.state = { kind: 'data', entry, remaining: size };
    }
  }

  private onMetaBody(header: RawTarHeader, body: Buffer): void {
    switch (header.type) {
      case 'pax-header':
        for (const [k, v] of parsePaxRecords(body)) this.local.set(k, v);
        break;
      case 'pax-global-header':
        for (const [k, v] of parsePaxRecords(body)) this.global.set(k, v);
        break;
      case 'gnu-long-name':
        this.longName = nulTerminated(body);
        break;
      case 'gnu-long-link-name':
        this.longLinkName = nulTerminated(body);
        break;
      default:
        break;
    }
    this.state = header.size === 0 ? { kind: 'header' } : { kind: 'skip', remaining: padding(header.size) };
    if (this.state.kind === 'skip' && this.state.remaining === 0) this.state = { kind: 'header' };
  }

  private applyExtensions(header: RawTarHeader): TarEntry {
    const pax = new Map([...this.global, ...this.local]);
    const num = (key: string, fallback: number): number => {
      const text = pax.get(key);
      if (text === undefined) return fallback;
      const value = Number(text);
      if (!Number.isFinite(value) || value < 0) throw new TarFormatError(`pax ${key} record is not a number: ${JSON.stringify(text)}`, 'corrupt');
      return key === 'mtime' ? value : Math.trunc(value);
    };
    const entry: TarEntry = {
      path: pax.get('path') ?? this.longName ?? header.name,
      type: header.type as TarEntry['type'],
      mode: header.mode,
      uid: num('uid', header.uid),
      gid: num('gid', header.gid),
      size: num('size', header.size),
      mtime: num('mtime', header.mtime),
      linkPath: pax.get('linkpath') ?? this.longLinkName ?? header.linkName,
      uname: pax.get('uname') ?? header.uname,
      gname: pax.get('gname') ?? header.gname,
    };
    this.local = new Map();
    this.longName = undefined;
    this.longLinkName = undefined;
    return entry;
  }
}

function nulTerminated(body: Buffer): string {
  const end = body.indexOf(0);
  return body.toString('utf8', 0, end === -1 ? body.length : end);
}

/** A writable end for `stream.pipeline`: feeds a TarParser and checks for truncation on finish. */
export function createTarParserStream(handlers: TarParserHandlers = {}): Writable & { parser: TarParser } {
  const parser = new TarParser(handlers);
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      try {
        parser.write(chunk);
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
    final(callback) {
      try {
        parser.end();
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
  });
  return Object.assign(stream, { parser });
}
