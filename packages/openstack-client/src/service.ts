/** A service endpoint plus the shared transport: the small layer every resource module uses. */
import type { Got, Options, Response } from 'got';
import type { TransportContext } from './transport/transport.js';

export interface ServiceRequest {
  json?: unknown;
  body?: Options['body'];
  searchParams?: Record<string, string | number | boolean | undefined | null> | URLSearchParams;
  headers?: Record<string, string | undefined>;
  context?: TransportContext;
  /** `compute 2.79` style microversion, sent as both OpenStack-API-Version and X-OpenStack-Nova-API-Version. */
  microversion?: string;
}

export interface ServiceResponse<T> {
  status: number;
  headers: Response['headers'];
  body: T;
}

function cleanParams(p: ServiceRequest['searchParams']): URLSearchParams | undefined {
  if (p === undefined) return undefined;
  if (p instanceof URLSearchParams) return p;
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== null) out.append(k, String(v));
  return out;
}

export class ServiceClient {
  constructor(
    readonly http: Got,
    /** Resolves the endpoint base URL (no trailing slash), e.g. from the catalog. */
    readonly endpoint: () => Promise<string>,
    readonly serviceType: string,
  ) {}

  async url(path: string): Promise<string> {
    if (/^https?:\/\//.test(path)) return path;
    if (path === '') return this.endpoint();
    return `${await this.endpoint()}${path.startsWith('/') ? path : `/${path}`}`;
  }

  /** JSON request; the body is parsed when there is one. */
  async request<T>(method: string, path: string, req: ServiceRequest = {}): Promise<ServiceResponse<T>> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers ?? {})) if (v !== undefined) headers[k] = v;
    if (req.microversion) {
      headers['openstack-api-version'] = `${this.serviceType} ${req.microversion}`;
      if (this.serviceType === 'compute') headers['x-openstack-nova-api-version'] = req.microversion;
    }
    const searchParams = cleanParams(req.searchParams);
    const res = await this.http(await this.url(path), {
      method: method as Options['method'],
      headers,
      ...(req.json === undefined ? {} : { json: req.json }),
      ...(req.body === undefined ? {} : { body: req.body }),
      ...(searchParams ? { searchParams } : {}),
      ...(req.context ? { context: req.context } : {}),
      responseType: 'text',
    });
    const text = res.body;
    let body: unknown = undefined;
    if (text && /json/i.test(String(res.headers['content-type'] ?? 'application/json'))) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    } else if (text) body = text;
    return { status: res.statusCode, headers: res.headers, body: body as T };
  }

  async get<T>(path: string, req?: ServiceRequest): Promise<T> {
    return (await this.request<T>('GET', path, req)).body;
  }
}

export interface Link {
  rel?: string;
  href?: string;
}

/**
 * Follows `…_links` rel=next pagination (Nova, Neutron). The next link's query (marker, limit…)
 * is applied to our own endpoint URL, because services often advertise an internal host name.
 */
export async function* paginateLinks<T>(
  svc: ServiceClient,
  path: string,
  itemsKey: string,
  linksKey: string,
  params: Record<string, string | number | boolean | undefined | null> = {},
  req: Omit<ServiceRequest, 'searchParams'> = {},
): AsyncGenerator<T, void, undefined> {
  let searchParams: ServiceRequest['searchParams'] = params;
  const seenMarkers = new Set<string>();
  for (;;) {
    const body = await svc.get<Record<string, unknown>>(path, { ...req, searchParams });
    const items = (body?.[itemsKey] ?? []) as T[];
    for (const item of items) yield item;
    const links = (body?.[linksKey] ?? []) as Link[];
    const next = links.find((l) => l.rel === 'next')?.href;
    if (!next || items.length === 0) return;
    const nextParams = new URL(next, 'http://placeholder').searchParams;
    const marker = nextParams.get('marker') ?? '';
    if (seenMarkers.has(marker)) return; // a service repeating itself must not loop us forever
    seenMarkers.add(marker);
    searchParams = nextParams;
  }
}
