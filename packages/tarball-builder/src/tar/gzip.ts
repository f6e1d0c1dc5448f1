import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { constants, crc32, createDeflateRaw } from 'node:zlib';
import type { DeflateRaw } from 'node:zlib';

/**
 * A gzip member (RFC 1952) whose header is fixed: no file name, MTIME 0 and OS 3 (Unix) whatever
 * the host, so the same input gives the same bytes on every machine. zlib's own gzip wrapper
 * writes the build platform's OS code, hence the hand-written framing around raw deflate.
 */
export class ReproducibleGzip extends Transform {
  private readonly deflate: DeflateRaw;
  private crc = 0;
  private size = 0;

  constructor(level: number = constants.Z_DEFAULT_COMPRESSION) {
    super();
    this.deflate = createDeflateRaw({ level, memLevel: 8, windowBits: 15, strategy: constants.Z_DEFAULT_STRATEGY });
    this.deflate.on('data', (chunk: Buffer) => this.push(chunk));
    this.deflate.on('error', (err) => this.destroy(err));
    // XFL: 2 = slowest/best compression, 4 = fastest (RFC 1952 §2.3.1).
    const xfl = level === 9 ? 2 : level === 1 ? 4 : 0;
    this.push(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, xfl, 0x03]));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.crc = crc32(chunk, this.crc);
    this.size += chunk.length;
    this.deflate.write(chunk, (err) => callback(err ?? undefined));
  }

  override _flush(callback: TransformCallback): void {
    this.deflate.once('end', () => {
      const trailer = Buffer.alloc(8);
      trailer.writeUInt32LE(this.crc >>> 0, 0);
      trailer.writeUInt32LE(this.size % 2 ** 32, 4);
      this.push(trailer);
      callback();
    });
    this.deflate.end();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.deflate.destroy();
    callback(err);
  }
}
