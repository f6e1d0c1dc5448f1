import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

export interface StoredBlob {
  id: string;
  size: number;
  md5: string;
}

export class BlobTooLargeError extends Error {}

/** Object bodies: in memory, or one file each in a directory next to the state file. */
export interface BlobStore {
  write(source: AsyncIterable<Buffer>, limit: number): Promise<StoredBlob>;
  /** Bytes [start, end] inclusive; whole blob when omitted. */
  read(id: string, start?: number, end?: number): Readable;
  readAll(id: string): Promise<Buffer>;
  delete(id: string): void;
}

function newBlobId(): string {
  return `${Date.now().toString(36)}-${randomBytes(8).toString('hex')}`;
}

export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();

  async write(source: AsyncIterable<Buffer>, limit: number): Promise<StoredBlob> {
    const hash = createHash('md5');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of source) {
      size += chunk.length;
      if (size > limit) throw new BlobTooLargeError();
      hash.update(chunk);
      chunks.push(chunk);
    }
    const id = newBlobId();
    this.blobs.set(id, Buffer.concat(chunks));
    return { id, size, md5: hash.digest('hex') };
  }

  read(id: string, start?: number, end?: number): Readable {
    const buf = this.blobs.get(id) ?? Buffer.alloc(0);
    return Readable.from([start === undefined ? buf : buf.subarray(start, (end ?? buf.length - 1) + 1)]);
  }

  async readAll(id: string): Promise<Buffer> {
    return this.blobs.get(id) ?? Buffer.alloc(0);
  }

  delete(id: string): void {
    this.blobs.delete(id);
  }
}

export class DirectoryBlobStore implements BlobStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  async write(source: AsyncIterable<Buffer>, limit: number): Promise<StoredBlob> {
    const id = newBlobId();
    const tmp = join(this.dir, `.${id}.tmp`);
    const hash = createHash('md5');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > limit) {
          cb(new BlobTooLargeError());
          return;
        }
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(Readable.from(source), meter, createWriteStream(tmp));
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    renameSync(tmp, join(this.dir, id));
    return { id, size, md5: hash.digest('hex') };
  }

  read(id: string, start?: number, end?: number): Readable {
    return createReadStream(join(this.dir, id), start === undefined ? {} : { start, end });
  }

  async readAll(id: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of this.read(id) as AsyncIterable<Buffer>) chunks.push(c);
    return Buffer.concat(chunks);
  }

  delete(id: string): void {
    rmSync(join(this.dir, id), { force: true });
  }
}
