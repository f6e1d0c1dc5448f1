import { isStatus } from '../../errors.js';
import type { ServiceClient } from '../../service.js';
import { containerPath } from '../urls.js';
import type { Container } from '../types.js';
import { metadataFromHeaders } from '../account/requests.js';

/** Swift listings: JSON pages until one comes back short or empty, continuing from the last name. */
export async function* swiftListing<T>(svc: ServiceClient, path: string, nameOf: (item: T) => string, params: Record<string, string | number | undefined>): AsyncGenerator<T, void, undefined> {
  let marker: string | undefined;
  const limit = Number(params.limit ?? 1000);
  for (;;) {
    const res = await svc.request<T[] | undefined>('GET', path, { searchParams: { ...params, format: 'json', limit, marker } });
    const page = Array.isArray(res.body) ? res.body : [];
    for (const item of page) yield item;
    if (page.length < limit || page.length === 0) return;
    const last = page[page.length - 1] as T;
    marker = nameOf(last);
  }
}

export function listContainers(svc: ServiceClient, opts: { prefix?: string; limit?: number } = {}): AsyncGenerator<Container, void, undefined> {
  return swiftListing<Container>(svc, '', (c) => c.name, { prefix: opts.prefix, limit: opts.limit });
}

/** Creates the container if needed (PUT is idempotent). Returns true when it was created now. */
export async function ensureContainer(svc: ServiceClient, name: string, opts: { metadata?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<boolean> {
  const headers: Record<string, string> = { ...opts.headers };
  for (const [k, v] of Object.entries(opts.metadata ?? {})) headers[`x-container-meta-${k}`] = v;
  const res = await svc.request('PUT', containerPath(name), { headers });
  return res.status === 201;
}

export async function getContainerMetadata(svc: ServiceClient, name: string): Promise<{ objectCount: number; bytesUsed: number; metadata: Record<string, string> }> {
  const res = await svc.request('HEAD', containerPath(name));
  return {
    objectCount: Number(res.headers['x-container-object-count'] ?? 0),
    bytesUsed: Number(res.headers['x-container-bytes-used'] ?? 0),
    metadata: metadataFromHeaders(res.headers, 'x-container-meta-'),
  };
}

export async function deleteContainer(svc: ServiceClient, name: string, opts: { ignoreMissing?: boolean } = {}): Promise<void> {
  try {
    await svc.request('DELETE', containerPath(name));
  } catch (err) {
    if (opts.ignoreMissing && isStatus(err, 404)) return;
    throw err;
  }
}
