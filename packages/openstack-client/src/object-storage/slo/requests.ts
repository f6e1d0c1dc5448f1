/**
 * Static large objects: the file is cut into segments uploaded in parallel (bounded), then a
 * manifest is PUT with `?multipart-manifest=put`. Each segment is read from the file by range, so
 * a segment can be retried by reopening it, and memory stays constant.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { mapLimit } from '../../concurrency.js';
import { OpenStackError } from '../../errors.js';
import type { ServiceClient } from '../../service.js';
import { md5OfFile } from '../objects/requests.js';
import { objectPath } from '../urls.js';

export interface SloOptions {
  /** Bytes per segment (the last may be shorter). Default 100 MiB. */
  segmentSize?: number;
  /** Segments in flight at once. Default 4. */
  concurrency?: number;
  /** Container for the segments; default the object's own container. */
  segmentContainer?: string;
  /** Default `<object>.segments/<upload id>/`. */
  segmentPrefix?: string;
  contentType?: string;
  metadata?: Record<string, string>;
  onSegment?: (index: number, total: number) => void;
}

export interface SloSegment {
  path: string;
  etag: string;
  size_bytes: number;
}

export interface SloResult {
  etag: string | undefined;
  bytes: number;
  segments: SloSegment[];
}

/** Plans segment byte ranges (inclusive end, as fs.createReadStream wants). Pure. */
export function planSegments(size: number, segmentSize: number): Array<{ index: number; start: number; end: number; bytes: number }> {
  if (segmentSize <= 0) throw new OpenStackError({ code: 'INVALID_ARGUMENT', message: 'segmentSize must be positive' });
  const out = [];
  for (let start = 0, index = 0; start < size || (size === 0 && index === 0); start += segmentSize, index++) {
    const end = Math.min(size, start + segmentSize) - 1;
    out.push({ index, start, end, bytes: end - start + 1 });
    if (size === 0) break;
  }
  return out;
}

export async function uploadLargeObject(svc: ServiceClient, container: string, name: string, filePath: string, opts: SloOptions = {}): Promise<SloResult> {
  const size = (await stat(filePath)).size;
  const segmentSize = opts.segmentSize ?? 100 * 1024 * 1024;
  const segmentContainer = opts.segmentContainer ?? container;
  const prefix = opts.segmentPrefix ?? `${name}.segments/${randomUUID()}/`;
  const plan = planSegments(size, segmentSize);
  const segments = await mapLimit(plan, opts.concurrency ?? 4, async (seg) => {
    const segName = `${prefix}${String(seg.index).padStart(6, '0')}`;
    const range = { start: seg.start, end: seg.end };
    const etag = await md5OfFile(filePath, range);
    const open = () => createReadStream(filePath, range);
    await svc.request('PUT', objectPath(segmentContainer, segName), {
      body: open(),
      headers: { etag, 'content-length': String(seg.bytes), 'content-type': 'application/octet-stream' },
      context: { bodyFactory: open },
    });
    opts.onSegment?.(seg.index, plan.length);
    return { path: `/${segmentContainer}/${segName}`, etag, size_bytes: seg.bytes };
  });
  const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/octet-stream' };
  for (const [k, v] of Object.entries(opts.metadata ?? {})) headers[`x-object-meta-${k}`] = v;
  const res = await svc.request('PUT', objectPath(container, name), {
    searchParams: { 'multipart-manifest': 'put' },
    body: JSON.stringify(segments),
    headers,
  });
  const etag = res.headers.etag === undefined ? undefined : String(res.headers.etag).replace(/^"|"$/g, '');
  return { etag, bytes: size, segments };
}
