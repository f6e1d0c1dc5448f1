import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

/** Digests of the compressed tarball, hex. MD5 is what Swift returns as a plain object's ETag. */
export interface TarballDigests {
  md5: string;
  sha256: string;
  sha512: string;
}

/** Feeds every chunk to MD5, SHA-256 and SHA-512 at once, so a file is read only one time. */
export class DigestAccumulator {
  private readonly md5: Hash = createHash('md5');
  private readonly sha256: Hash = createHash('sha256');
  private readonly sha512: Hash = createHash('sha512');
  private count = 0;

  update(chunk: Uint8Array): void {
    this.md5.update(chunk);
    this.sha256.update(chunk);
    this.sha512.update(chunk);
    this.count += chunk.length;
  }

  get bytes(): number {
    return this.count;
  }

  digest(): TarballDigests {
    return { md5: this.md5.digest('hex'), sha256: this.sha256.digest('hex'), sha512: this.sha512.digest('hex') };
  }
}

/** A pass-through stream that digests what flows through it. */
export class DigestTap extends Transform {
  readonly accumulator = new DigestAccumulator();

  constructor(private readonly onBytes?: (count: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.accumulator.update(chunk);
    this.onBytes?.(chunk.length);
    callback(null, chunk);
  }
}
