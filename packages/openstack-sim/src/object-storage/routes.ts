import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import type { SimContext } from '../context.js';
import { readBody } from '../http/body.js';
import type { HeaderValue, SimRequest, SimResponse } from '../http/types.js';
import { validToken } from '../identity/tokens.js';
import { swiftAccountName } from '../identity/catalog.js';
import { BlobTooLargeError } from '../state/blobs.js';
import type { SloSegment, SwiftAccountRecord, SwiftContainerRecord, SwiftObjectRecord } from '../state/types.js';
import { httpDate, swiftListingTime, swiftTransId } from '../util.js';
import { pyJson } from './py-json.js';
import { checkTempUrl, contentDisposition, TEMPURL_DIGESTS, TEMPURL_METHODS } from './tempurl.js';

export const MAX_FILE_SIZE = 5368709122;
export const MAX_MANIFEST_SEGMENTS = 1000;
export const MAX_MANIFEST_SIZE = 8388608;
export const CONTAINER_LISTING_LIMIT = 10000;

/** Bodies Swift 2.30 sends with its error statuses (observed on the all-in-one cloud). */
const HTML_BODIES: Record<number, [string, string]> = {
  202: ['Accepted', 'The request is accepted for processing.'],
  401: ['Unauthorized', 'This server could not verify that you are authorized to access the document you requested.'],
  403: ['Forbidden', 'Access was denied to this resource.'],
  404: ['Not Found', 'The resource could not be found.'],
  409: ['Conflict', 'There was a conflict when trying to complete your request.'],
  411: ['Length Required', 'Length Required'],
  412: ['Precondition Failed', 'A precondition for this request was not met.'],
  413: ['Request Entity Too Large', 'The body of your request was too large for this server.'],
  416: ['Requested Range Not Satisfiable', 'The Range requested is not available.'],
  422: ['Unprocessable Entity', 'Unable to process the contained instructions'],
  429: ['Too Many Requests', 'The resource is being rate limited.'],
  500: ['Internal Error', 'The server has either erred or is incapable of performing the requested operation.'],
  503: ['Service Unavailable', 'The server is currently unavailable. Please try again at a later time.'],
};

export function swiftHtml(status: number, method: string, headers: Record<string, HeaderValue> = {}): SimResponse {
  const pair = HTML_BODIES[status];
  const body = method === 'HEAD' || !pair ? '' : `<html><h1>${pair[0]}</h1><p>${pair[1]}</p></html>`;
  return { status, headers: { 'Content-Type': 'text/html; charset=UTF-8', ...headers }, body };
}

function swiftText(status: number, body: string, contentType = 'text/plain'): SimResponse {
  return { status, headers: { 'Content-Type': contentType }, body };
}

const xTimestamp = (ms: number): string => (ms / 1000).toFixed(5);
/** Swift's Last-Modified is the timestamp rounded up to the next whole second. */
const lastModified = (ms: number): string => httpDate(Math.ceil(ms / 1000) * 1000);

function titleCase(name: string): string {
  return name
    .split('-')
    .map((p) => (p ? (p[0] as string).toUpperCase() + p.slice(1) : p))
    .join('-');
}

function metaHeaders(prefix: string, meta: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta)) out[`${prefix}${titleCase(k)}`] = v;
  return out;
}

/** Applies X-<Kind>-Meta-* and X-Remove-<Kind>-Meta-* headers (an empty value removes). */
function applyMeta(req: SimRequest, kind: 'account' | 'container' | 'object', meta: Record<string, string>): void {
  const set = `x-${kind}-meta-`;
  const remove = `x-remove-${kind}-meta-`;
  for (const [name, value] of Object.entries(req.req.headers)) {
    const v = Array.isArray(value) ? value.join(',') : (value ?? '');
    if (name.startsWith(set)) {
      const key = name.slice(set.length);
      if (v === '') delete meta[key];
      else meta[key] = v;
    } else if (name.startsWith(remove)) {
      delete meta[name.slice(remove.length)];
    }
  }
}

function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

interface ListingQuery {
  prefix: string;
  marker: string | null;
  endMarker: string | null;
  delimiter: string | null;
  limit: number;
  reverse: boolean;
}

function listingQuery(q: URLSearchParams): ListingQuery | SimResponse {
  const limitText = q.get('limit');
  let limit = CONTAINER_LISTING_LIMIT;
  if (limitText !== null) {
    limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 0) return swiftText(412, `Value of limit must be a positive integer`, 'text/html; charset=UTF-8');
    if (limit > CONTAINER_LISTING_LIMIT) return swiftText(412, `Maximum limit is ${CONTAINER_LISTING_LIMIT}`, 'text/html; charset=UTF-8');
  }
  return {
    prefix: q.get('prefix') ?? '',
    marker: q.get('marker'),
    endMarker: q.get('end_marker'),
    delimiter: q.get('delimiter'),
    limit,
    reverse: ['true', '1', 'yes', 'on'].includes((q.get('reverse') ?? '').toLowerCase()),
  };
}

/** Names in listing order with prefix/marker/end_marker/delimiter/limit applied. */
function selectNames(names: string[], lq: ListingQuery): Array<{ name: string } | { subdir: string }> {
  const sorted = [...names].sort(compareNames);
  if (lq.reverse) sorted.reverse();
  const out: Array<{ name: string } | { subdir: string }> = [];
  const seen = new Set<string>();
  for (const name of sorted) {
    if (!name.startsWith(lq.prefix)) continue;
    if (lq.marker !== null && (lq.reverse ? compareNames(name, lq.marker) >= 0 : compareNames(name, lq.marker) <= 0)) continue;
    if (lq.endMarker !== null && (lq.reverse ? compareNames(name, lq.endMarker) <= 0 : compareNames(name, lq.endMarker) >= 0)) continue;
    if (lq.delimiter) {
      const idx = name.indexOf(lq.delimiter, lq.prefix.length);
      if (idx >= 0) {
        const subdir = name.slice(0, idx + lq.delimiter.length);
        if (lq.marker !== null && !lq.reverse && compareNames(subdir, lq.marker) <= 0) continue;
        if (!seen.has(subdir)) {
          seen.add(subdir);
          out.push({ subdir });
        }
        if (out.length >= lq.limit) break;
        continue;
      }
    }
    out.push({ name });
    if (out.length >= lq.limit) break;
  }
  return out;
}

function wantsJson(req: SimRequest): 'json' | 'plain' {
  const format = req.query.get('format');
  if (format === 'json') return 'json';
  if (format !== null) return 'plain';
  return (req.header('accept') ?? '').includes('application/json') ? 'json' : 'plain';
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return undefined; // multiple or malformed ranges: whole object, as an RFC 7233 server may
  const [, a, b] = m as unknown as [string, string, string];
  if (a === '' && b === '') return undefined;
  let start: number;
  let end: number;
  if (a === '') {
    const n = Number(b);
    if (n === 0) return 'unsatisfiable';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
    if (b !== '' && Number(b) < start) return undefined;
  }
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

function etagMatches(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, '').replace(/^"|"$/g, ''))
    .some((t) => t === '*' || t === etag);
}

function guessContentType(name: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  const types: Record<string, string> = {
    txt: 'text/plain', html: 'text/html', json: 'application/json', gz: 'application/gzip', tgz: 'application/gzip',
    tar: 'application/x-tar', csv: 'text/csv', yaml: 'application/x-yaml', yml: 'application/x-yaml', png: 'image/png',
    jpg: 'image/jpeg', sh: 'application/x-sh', xml: 'application/xml', zip: 'application/zip',
  };
  // For .tar.gz Python's mimetypes answers application/x-tar (with encoding gzip).
  if (/\.tar\.gz$/i.test(name)) return 'application/x-tar';
  return (ext && types[ext]) || 'application/octet-stream';
}

/** The ETag an SLO manifest gets: MD5 of the concatenated segment ETags, quoted when sent. */
function sloEtag(segments: SloSegment[]): string {
  return createHash('md5').update(segments.map((s) => s.hash).join('')).digest('hex');
}

function sloSize(segments: SloSegment[]): number {
  return segments.reduce((sum, s) => sum + s.bytes, 0);
}

/** The manifest as Swift stores it and returns for ?multipart-manifest=get. */
function storedManifest(segments: SloSegment[]): string {
  return pyJson(
    segments.map((s) => ({
      name: s.name,
      bytes: s.bytes,
      hash: s.hash,
      content_type: s.contentType,
      last_modified: s.lastModified,
      ...(s.subSlo ? { sub_slo: true } : {}),
    })),
  );
}

interface Located {
  account: SwiftAccountRecord;
  container?: string;
  object?: string;
}

export interface SwiftDeps {
  ctx: SimContext;
}

export class SwiftService {
  constructor(private readonly ctx: SimContext) {}

  private accountFor(name: string): SwiftAccountRecord | undefined {
    const data = this.ctx.store.data;
    const existing = data.accounts[name];
    if (existing) return existing;
    const user = this.ctx.options.users.find((u) => swiftAccountName(this.ctx.options.mode, u.projectId) === name);
    if (!user) return undefined;
    // account_autocreate: the account appears on first use.
    const account: SwiftAccountRecord = { name, projectId: user.projectId, timestamp: xTimestamp(this.ctx.now()), meta: {}, containers: {} };
    data.accounts[name] = account;
    return account;
  }

  info(): SimResponse {
    const body = {
      swift: {
        version: '2.30.1-sim',
        strict_cors_mode: true,
        policies: [{ name: 'Policy-0', aliases: 'Policy-0', default: true }],
        allow_account_management: true,
        account_autocreate: true,
        max_file_size: MAX_FILE_SIZE,
        max_meta_name_length: 128,
        max_meta_value_length: 256,
        max_meta_count: 90,
        max_meta_overall_size: 4096,
        max_header_size: 8192,
        max_object_name_length: 1024,
        container_listing_limit: CONTAINER_LISTING_LIMIT,
        account_listing_limit: CONTAINER_LISTING_LIMIT,
        max_account_name_length: 256,
        max_container_name_length: 256,
        extra_header_count: 0,
      },
      slo: {
        max_manifest_segments: MAX_MANIFEST_SEGMENTS,
        max_manifest_size: MAX_MANIFEST_SIZE,
        yield_frequency: 10,
        min_segment_size: 1,
        allow_async_delete: false,
      },
      tempurl: {
        methods: [...TEMPURL_METHODS],
        incoming_remove_headers: ['x-timestamp'],
        incoming_allow_headers: [],
        outgoing_remove_headers: ['x-object-meta-*'],
        outgoing_allow_headers: ['x-object-meta-public-*'],
        allowed_digests: [...TEMPURL_DIGESTS],
        deprecated_digests: ['sha1'],
      },
    };
    return { status: 200, headers: { 'Content-Type': 'application/json; charset=UTF-8' }, body: JSON.stringify(body) };
  }

  async handle(req: SimRequest): Promise<SimResponse> {
    const res = await this.dispatch(req);
    const transId = swiftTransId(this.ctx.now());
    res.headers = { ...res.headers, 'X-Trans-Id': transId, 'X-Openstack-Request-Id': transId };
    return res;
  }

  private async dispatch(req: SimRequest): Promise<SimResponse> {
    const m = /^\/v1\/([^/]+)(?:\/([^/]+)(?:\/(.*))?)?$/.exec(req.rawPath);
    if (!m) return swiftHtml(412, req.method); // e.g. /v1 or /v1/ alone
    let accountName: string;
    let container: string | undefined;
    let object: string | undefined;
    try {
      accountName = decodeURIComponent(m[1] as string);
      container = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
      object = m[3] === undefined || m[3] === '' ? undefined : decodeURIComponent(m[3]);
    } catch {
      return swiftText(412, 'Invalid UTF8 or contains NULL', 'text/html; charset=UTF-8');
    }
    const account = this.accountFor(accountName);
    const decodedPath = `/v1/${accountName}${container !== undefined ? `/${container}` : ''}${object !== undefined ? `/${object}` : ''}`;

    // Temp URL first: it replaces token auth for object requests.
    const keys: Array<{ key: string; scope: 'account' | 'container' }> = [];
    if (account) {
      for (const k of ['temp-url-key', 'temp-url-key-2']) {
        const v = account.meta[k];
        if (v) keys.push({ key: v, scope: 'account' });
      }
      const c = container !== undefined ? account.containers[container] : undefined;
      if (c) {
        for (const k of ['temp-url-key', 'temp-url-key-2']) {
          const v = c.meta[k];
          if (v) keys.push({ key: v, scope: 'container' });
        }
      }
    }
    const temp = checkTempUrl({
      method: req.method,
      path: decodedPath,
      query: req.query,
      keys,
      nowMs: this.ctx.now(),
      clientIp: req.req.socket.remoteAddress ?? '',
    });
    if (temp.kind === 'invalid') {
      // Body and realm as observed from Swift 2.30's tempurl middleware; no body for HEAD.
      return {
        status: 401,
        headers: { 'Content-Type': 'text/html; charset=UTF-8', 'Www-Authenticate': 'Swift realm="unknown"' },
        body: req.method === 'HEAD' ? '' : '401 Unauthorized: Temp URL invalid\n',
      };
    }
    if (temp.kind === 'valid') {
      if (!account || container === undefined || object === undefined) return swiftHtml(401, req.method);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        for (const h of ['x-object-manifest', 'x-symlink-target', 'x-copy-from']) {
          if (req.header(h) !== undefined) return swiftText(400, `The header '${titleCase(h)}' is not allowed in this tempurl`, 'text/html; charset=UTF-8');
        }
      }
      // The middleware replaces the query string, so e.g. multipart-manifest=get has no effect.
      const res = await this.objectOp(req, { account, container, object }, new URLSearchParams());
      if (res.headers) {
        for (const name of Object.keys(res.headers)) {
          const lower = name.toLowerCase();
          if (lower.startsWith('x-object-meta-') && !lower.startsWith('x-object-meta-public-')) delete res.headers[name];
        }
        if ((req.method === 'GET' || req.method === 'HEAD') && res.status >= 200 && res.status < 300) {
          const existing = Object.entries(res.headers).find(([k]) => k.toLowerCase() === 'content-disposition');
          if (existing) delete res.headers[existing[0]];
          const base = object.replace(/\/+$/, '').split('/').pop() ?? object;
          let disposition: string;
          if (temp.inline) disposition = temp.filename ? contentDisposition('inline', temp.filename) : 'inline';
          else if (temp.filename) disposition = contentDisposition('attachment', temp.filename);
          else if (existing) disposition = String(existing[1]);
          else disposition = contentDisposition('attachment', base);
          res.headers['Content-Disposition'] = disposition;
          res.headers['Expires'] = httpDate(temp.expires * 1000);
        }
      }
      return res;
    }

    const token = validToken(this.ctx, req.header('x-auth-token'));
    if (!token) {
      return swiftHtml(401, req.method, {
        'Www-Authenticate': `Swift realm="${accountName}"`,
        'WWW-Authenticate': `Keystone uri="${this.ctx.publicUrl()}/v3"`,
      });
    }
    req.token = token;
    if (!account || account.projectId !== token.projectId) return swiftHtml(403, req.method);
    if (container === undefined) return this.accountOp(req, account);
    if (object === undefined) return this.containerOp(req, account, container);
    return this.objectOp(req, { account, container, object }, req.query);
  }

  // ---- account ----

  private accountHeaders(account: SwiftAccountRecord): Record<string, string> {
    let objects = 0;
    let bytes = 0;
    for (const c of Object.values(account.containers)) {
      for (const o of Object.values(c.objects)) {
        objects += 1;
        bytes += o.size;
      }
    }
    return {
      'X-Account-Container-Count': String(Object.keys(account.containers).length),
      'X-Account-Object-Count': String(objects),
      'X-Account-Bytes-Used': String(bytes),
      'X-Timestamp': account.timestamp,
      ...metaHeaders('X-Account-Meta-', account.meta),
      'Accept-Ranges': 'bytes',
    };
  }

  private accountOp(req: SimRequest, account: SwiftAccountRecord): SimResponse {
    switch (req.method) {
      case 'HEAD':
        return { status: 204, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...this.accountHeaders(account) }, body: '' };
      case 'POST':
        applyMeta(req, 'account', account.meta);
        this.ctx.store.commit();
        return { status: 204, headers: { 'Content-Type': 'text/html; charset=UTF-8' }, body: '' };
      case 'GET': {
        const lq = listingQuery(req.query);
        if (!('prefix' in lq)) return lq;
        const entries = selectNames(Object.keys(account.containers), lq);
        const headers = this.accountHeaders(account);
        if (wantsJson(req) === 'json') {
          const list = entries.map((e) => {
            if ('subdir' in e) return { subdir: e.subdir };
            const c = account.containers[e.name] as SwiftContainerRecord;
            const objs = Object.values(c.objects);
            return { name: c.name, count: objs.length, bytes: objs.reduce((s, o) => s + o.size, 0), last_modified: c.createdAt };
          });
          return { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, body: pyJson(list) };
        }
        if (entries.length === 0) return { status: 204, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers }, body: '' };
        const body = entries.map((e) => ('subdir' in e ? e.subdir : e.name)).join('\n') + '\n';
        return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers }, body };
      }
      default:
        return swiftHtml(405, req.method, { Allow: 'HEAD, GET, POST' });
    }
  }

  // ---- container ----

  private containerHeaders(c: SwiftContainerRecord): Record<string, string> {
    const objs = Object.values(c.objects);
    return {
      'X-Container-Object-Count': String(objs.length),
      'X-Container-Bytes-Used': String(objs.reduce((s, o) => s + o.size, 0)),
      'X-Timestamp': c.timestamp,
      'Last-Modified': lastModified(Number(c.timestamp) * 1000),
      ...metaHeaders('X-Container-Meta-', c.meta),
      'Accept-Ranges': 'bytes',
      'X-Storage-Policy': 'Policy-0',
    };
  }

  private containerOp(req: SimRequest, account: SwiftAccountRecord, name: string): SimResponse {
    const c = account.containers[name];
    switch (req.method) {
      case 'PUT': {
        if (name.length > 256) return swiftText(400, 'Container name length of 257 longer than 256', 'text/html; charset=UTF-8');
        if (c) {
          applyMeta(req, 'container', c.meta);
          this.ctx.store.commit();
          return swiftHtml(202, req.method); // observed: 202 with an "Accepted" page when it exists
        }
        const now = this.ctx.now();
        const created: SwiftContainerRecord = { name, createdAt: swiftListingTime(now), timestamp: xTimestamp(now), meta: {}, objects: {} };
        applyMeta(req, 'container', created.meta);
        account.containers[name] = created;
        this.ctx.store.commit();
        return { status: 201, headers: { 'Content-Type': 'text/html; charset=UTF-8' }, body: '' };
      }
      case 'POST':
        if (!c) return swiftHtml(404, req.method);
        applyMeta(req, 'container', c.meta);
        this.ctx.store.commit();
        return { status: 204, headers: { 'Content-Type': 'text/html; charset=UTF-8' }, body: '' };
      case 'HEAD':
        if (!c) return swiftHtml(404, req.method);
        return { status: 204, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...this.containerHeaders(c) }, body: '' };
      case 'DELETE':
        if (!c) return swiftHtml(404, req.method);
        if (Object.keys(c.objects).length > 0) return swiftHtml(409, req.method);
        delete account.containers[name];
        this.ctx.store.commit();
        return { status: 204, headers: { 'Content-Type': 'text/html; charset=UTF-8' }, body: '' };
      case 'GET': {
        if (!c) return swiftHtml(404, req.method);
        const lq = listingQuery(req.query);
        if (!('prefix' in lq)) return lq;
        const entries = selectNames(Object.keys(c.objects), lq);
        const headers = this.containerHeaders(c);
        if (wantsJson(req) === 'json') {
          const list = entries.map((e) => {
            if ('subdir' in e) return { subdir: e.subdir };
            const o = c.objects[e.name] as SwiftObjectRecord;
            return {
              bytes: o.size,
              hash: o.etag,
              name: o.name,
              content_type: o.contentType,
              last_modified: o.lastModified,
              ...(o.slo ? { slo_etag: `"${sloEtag(o.slo)}"` } : {}),
            };
          });
          return { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, body: pyJson(list) };
        }
        if (entries.length === 0) return { status: 204, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers }, body: '' };
        const body = entries.map((e) => ('subdir' in e ? e.subdir : e.name)).join('\n') + '\n';
        return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers }, body };
      }
      default:
        return swiftHtml(405, req.method, { Allow: 'HEAD, GET, PUT, POST, DELETE' });
    }
  }

  // ---- object ----

  private objectHeaders(o: SwiftObjectRecord): Record<string, string> {
    const ts = Number(o.timestamp) * 1000;
    const headers: Record<string, string> = {
      'Content-Type': o.contentType,
      ...metaHeaders('X-Object-Meta-', o.meta),
      ...o.extraHeaders,
      Etag: o.slo ? `"${sloEtag(o.slo)}"` : o.etag,
      'Last-Modified': lastModified(ts),
      'X-Timestamp': o.timestamp,
      'Accept-Ranges': 'bytes',
    };
    if (o.slo) {
      headers['X-Static-Large-Object'] = 'True';
      headers['X-Manifest-Etag'] = o.etag;
    }
    return headers;
  }

  private async objectOp(req: SimRequest, loc: Located & { container: string; object: string }, query: URLSearchParams): Promise<SimResponse> {
    const c = loc.account.containers[loc.container];
    if (!c) {
      if (req.method === 'PUT') await drain(req);
      return swiftHtml(404, req.method);
    }
    const o = c.objects[loc.object];
    const manifestParam = query.get('multipart-manifest');
    switch (req.method) {
      case 'PUT':
        if (manifestParam === 'put') return this.putSlo(req, loc.account, c, loc.object);
        return this.putObject(req, c, loc.object);
      case 'POST':
        if (!o) return swiftHtml(404, req.method);
        // POST replaces all user metadata (Swift's fast-POST semantics).
        o.meta = {};
        applyMeta(req, 'object', o.meta);
        if (req.header('content-type')) o.contentType = req.header('content-type') as string;
        this.ctx.store.commit();
        return swiftHtml(202, req.method);
      case 'DELETE':
        if (manifestParam === 'delete') return this.deleteSlo(req, loc.account, c, loc.object);
        if (!o) return swiftHtml(404, req.method);
        this.removeObject(c, loc.object);
        return { status: 204, headers: { 'Content-Type': 'text/html; charset=UTF-8' }, body: '' };
      case 'GET':
      case 'HEAD':
        if (!o) return swiftHtml(404, req.method);
        return this.getObject(req, loc.account, o, manifestParam === 'get', query.get('format') === 'raw');
      default:
        return swiftHtml(405, req.method, { Allow: 'HEAD, GET, PUT, POST, DELETE' });
    }
  }

  private removeObject(c: SwiftContainerRecord, name: string): void {
    const o = c.objects[name];
    if (!o) return;
    delete c.objects[name];
    this.ctx.store.commit();
    this.ctx.blobs.delete(o.blobId);
  }

  private objectRecordFromRequest(req: SimRequest, name: string, fields: { size: number; etag: string; blobId: string; slo?: SloSegment[] }): SwiftObjectRecord {
    const now = this.ctx.now();
    const meta: Record<string, string> = {};
    applyMeta(req, 'object', meta);
    const extraHeaders: Record<string, string> = {};
    for (const h of ['content-disposition', 'content-encoding', 'x-delete-at']) {
      const v = req.header(h);
      if (v !== undefined) extraHeaders[titleCase(h)] = v;
    }
    const sent = req.header('content-type');
    // curl and many clients send a form content type by default; Swift stores what it gets.
    const contentType = sent && !(req.header('x-detect-content-type') === 'true') ? sent : guessContentType(name);
    return {
      name,
      size: fields.size,
      etag: fields.etag,
      contentType,
      lastModified: swiftListingTime(now),
      timestamp: xTimestamp(now),
      meta,
      extraHeaders,
      blobId: fields.blobId,
      ...(fields.slo ? { slo: fields.slo } : {}),
    };
  }

  private async putObject(req: SimRequest, c: SwiftContainerRecord, name: string): Promise<SimResponse> {
    if (Buffer.byteLength(name) > 1024) {
      await drain(req);
      return swiftText(400, 'Object name length of 1025 longer than 1024', 'text/html; charset=UTF-8');
    }
    const lengthText = req.header('content-length');
    const chunked = (req.header('transfer-encoding') ?? '').toLowerCase().includes('chunked');
    if (lengthText === undefined && !chunked) return swiftHtml(411, req.method);
    if (lengthText !== undefined && Number(lengthText) > MAX_FILE_SIZE) {
      req.req.resume();
      return swiftText(413, 'Your request is too large.', 'text/html; charset=UTF-8');
    }
    if (req.header('if-none-match') === '*' && c.objects[name]) {
      await drain(req);
      return swiftHtml(412, req.method);
    }
    let stored;
    try {
      stored = await this.ctx.blobs.write(req.req as AsyncIterable<Buffer>, MAX_FILE_SIZE);
    } catch (err) {
      if (err instanceof BlobTooLargeError) return swiftText(413, 'Your request is too large.', 'text/html; charset=UTF-8');
      throw err;
    }
    const sentEtag = req.header('etag')?.replace(/^"|"$/g, '').toLowerCase();
    const ts = lastModified(this.ctx.now());
    if (sentEtag !== undefined && sentEtag !== stored.md5) {
      this.ctx.blobs.delete(stored.id);
      return swiftHtml(422, req.method, { 'Last-Modified': ts }); // observed: 422 for a wrong ETag
    }
    const previous = c.objects[name];
    c.objects[name] = this.objectRecordFromRequest(req, name, { size: stored.size, etag: stored.md5, blobId: stored.id });
    this.ctx.store.commit();
    if (previous) this.ctx.blobs.delete(previous.blobId);
    return { status: 201, headers: { 'Content-Type': 'text/html; charset=UTF-8', Etag: stored.md5, 'Last-Modified': ts }, body: '' };
  }

  private resolveSegment(account: SwiftAccountRecord, path: string): SwiftObjectRecord | undefined {
    const m = /^\/?([^/]+)\/(.+)$/.exec(path);
    if (!m) return undefined;
    return account.containers[m[1] as string]?.objects[m[2] as string];
  }

  private async putSlo(req: SimRequest, account: SwiftAccountRecord, c: SwiftContainerRecord, name: string): Promise<SimResponse> {
    let raw: Buffer;
    try {
      raw = await readBody(req.req, MAX_MANIFEST_SIZE);
    } catch {
      return swiftText(413, `Manifest File > ${MAX_MANIFEST_SIZE} bytes`, 'text/html; charset=UTF-8');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return swiftText(400, 'Manifest must be valid JSON.\n', 'text/html; charset=UTF-8');
    }
    if (!Array.isArray(parsed)) return swiftText(400, 'Manifest must be a list.\n', 'text/html; charset=UTF-8');
    const errors: string[] = [];
    parsed.forEach((seg: unknown, i) => {
      if (typeof seg !== 'object' || seg === null || Array.isArray(seg)) {
        errors.push(`Index ${i}: not a JSON object`);
        return;
      }
      const s = seg as Record<string, unknown>;
      if (!('path' in s)) {
        errors.push(`Index ${i}: expected keys to include one of 'path' or 'data'`);
        return;
      }
      const extra = Object.keys(s).filter((k) => !['path', 'etag', 'size_bytes'].includes(k)).sort();
      if (extra.length) {
        // 'range' and inline 'data' segments are valid Swift but not implemented by the sim.
        errors.push(`Index ${i}: extraneous keys ${extra.map((k) => JSON.stringify(k)).join(', ')}`);
        return;
      }
      if (typeof s['path'] !== 'string') errors.push(`Index ${i}: "path" must be a string`);
      else if (!(s['path'] as string).replace(/^\/+|\/+$/g, '').includes('/')) {
        errors.push(`Index ${i}: path does not refer to an object. Path must be of the form /container/object.`);
      } else if (!(s['etag'] === undefined || s['etag'] === null || typeof s['etag'] === 'string')) {
        errors.push(`Index ${i}: "etag" must be a string or null (if provided)`);
      } else if (s['size_bytes'] !== undefined && s['size_bytes'] !== null && !Number.isInteger(Number(s['size_bytes']))) {
        errors.push(`Index ${i}: invalid size_bytes`);
      } else if (s['size_bytes'] !== undefined && s['size_bytes'] !== null && Number(s['size_bytes']) < 1 && i !== parsed.length - 1) {
        errors.push(`Index ${i}: too small; each segment must be at least 1 byte.`);
      } else if (`/${c.name}/${name}` === `/${(s['path'] as string).replace(/^\/+/, '')}`) {
        errors.push(`Index ${i}: manifest must not include itself as a segment`);
      }
    });
    if (errors.length) return swiftText(400, errors.map((e) => `${e}\n`).join(''), 'text/plain');
    const segmentsIn = parsed as Array<{ path: string; etag?: string | null; size_bytes?: number | null }>;
    if (segmentsIn.length > MAX_MANIFEST_SEGMENTS) {
      return swiftText(413, `Number of object-backed segments must be <= ${MAX_MANIFEST_SEGMENTS}`, 'text/html; charset=UTF-8');
    }
    const problems: string[] = [];
    const segments: SloSegment[] = [];
    for (const seg of segmentsIn) {
      const path = `/${seg.path.replace(/^\/+/, '')}`;
      const quotedPath = path.split('/').map((p) => encodeURIComponent(p).replace(/%40/g, '@')).join('/');
      const target = this.resolveSegment(account, path);
      if (!target) {
        problems.push(`${quotedPath}, 404 Not Found`);
        continue;
      }
      const size = target.slo ? sloSize(target.slo) : target.size;
      const hash = target.slo ? sloEtag(target.slo) : target.etag;
      if (size < 1 && segmentsIn.length > 1) problems.push(`${quotedPath}, Too small; each segment must be at least 1 byte.`);
      if (seg.size_bytes !== undefined && seg.size_bytes !== null && Number(seg.size_bytes) !== size) problems.push(`${quotedPath}, Size Mismatch`);
      if (seg.etag !== undefined && seg.etag !== null && seg.etag !== hash) problems.push(`${quotedPath}, Etag Mismatch`);
      segments.push({
        name: path,
        bytes: size,
        hash,
        contentType: target.contentType,
        // Swift records the segment's Last-Modified (whole seconds, rounded up).
        lastModified: swiftListingTime(Math.ceil(Number(target.timestamp)) * 1000),
        ...(target.slo ? { subSlo: true } : {}),
      });
    }
    if (problems.length) {
      // Same layout as Swift 2.30: "Errors:\n<path>, <problem>\n..."
      return swiftText(400, `Errors:\n${problems.map((p) => `${p}\n`).join('')}`, 'text/plain');
    }
    const etag = sloEtag(segments);
    const sent = req.header('etag')?.replace(/^"|"$/g, '');
    if (sent !== undefined && sent !== etag) return swiftHtml(422, req.method);
    const manifest = Buffer.from(storedManifest(segments), 'utf8');
    const stored = await this.ctx.blobs.write(
      (async function* () {
        yield manifest;
      })(),
      MAX_MANIFEST_SIZE,
    );
    const previous = c.objects[name];
    const record = this.objectRecordFromRequest(req, name, { size: sloSize(segments), etag: stored.md5, blobId: stored.id, slo: segments });
    c.objects[name] = record;
    this.ctx.store.commit();
    if (previous) this.ctx.blobs.delete(previous.blobId);
    return {
      status: 201,
      headers: { 'Content-Type': 'text/html; charset=UTF-8', Etag: `"${etag}"`, 'Last-Modified': lastModified(this.ctx.now()) },
      body: '',
    };
  }

  private deleteSlo(req: SimRequest, account: SwiftAccountRecord, c: SwiftContainerRecord, name: string): SimResponse {
    const o = c.objects[name];
    let deleted = 0;
    let notFound = 0;
    const errors: Array<[string, string]> = [];
    let status = '200 OK';
    if (!o) {
      notFound = 1;
    } else if (!o.slo) {
      status = '400 Bad Request';
      errors.push([`/${c.name}/${name}`, 'Not an SLO manifest']);
    } else {
      for (const seg of o.slo) {
        const m = /^\/([^/]+)\/(.+)$/.exec(seg.name);
        const segContainer = m ? account.containers[m[1] as string] : undefined;
        if (segContainer && m && segContainer.objects[m[2] as string]) {
          this.removeObject(segContainer, m[2] as string);
          deleted += 1;
        } else {
          notFound += 1;
        }
      }
      this.removeObject(c, name);
      deleted += 1;
    }
    // Bulk-delete style report, as Swift answers (observed: 200 even for a non-SLO object).
    if ((req.header('accept') ?? '').includes('application/json')) {
      return swiftText(
        200,
        JSON.stringify({ 'Response Status': status, 'Response Body': '', 'Number Deleted': deleted, 'Number Not Found': notFound, Errors: errors }),
        'application/json',
      );
    }
    const lines = [
      `Number Deleted: ${deleted}`,
      `Number Not Found: ${notFound}`,
      'Response Body: ',
      `Response Status: ${status}`,
      'Errors:',
      ...errors.map(([p, e]) => `${p}, ${e}`),
    ];
    return swiftText(200, `${lines.join('\n')}\n`);
  }

  /** Segment records of an SLO (recursively), or undefined when one is missing or changed. */
  private flattenSlo(account: SwiftAccountRecord, segments: SloSegment[], depth = 0): SwiftObjectRecord[] | undefined {
    if (depth > 10) return undefined;
    const out: SwiftObjectRecord[] = [];
    for (const seg of segments) {
      const target = this.resolveSegment(account, seg.name);
      if (!target) return undefined;
      if (target.slo) {
        if (sloEtag(target.slo) !== seg.hash) return undefined;
        const inner = this.flattenSlo(account, target.slo, depth + 1);
        if (!inner) return undefined;
        out.push(...inner);
      } else {
        if (target.etag !== seg.hash) return undefined;
        out.push(target);
      }
    }
    return out;
  }

  private getObject(req: SimRequest, account: SwiftAccountRecord, o: SwiftObjectRecord, manifestGet: boolean, raw: boolean): SimResponse {
    const headers: Record<string, HeaderValue> = this.objectHeaders(o);
    if (o.slo && manifestGet) {
      const body = raw
        ? pyJson(o.slo.map((s) => ({ etag: s.hash, path: s.name, size_bytes: s.bytes })))
        : storedManifest(o.slo);
      delete headers['X-Manifest-Etag'];
      headers['Etag'] = raw ? createHash('md5').update(body).digest('hex') : o.etag;
      headers['Content-Type'] = 'application/json; charset=utf-8';
      headers['Content-Length'] = String(Buffer.byteLength(body));
      return { status: 200, headers, body: req.method === 'HEAD' ? '' : body };
    }
    const etag = o.slo ? sloEtag(o.slo) : o.etag;
    const ifNoneMatch = req.header('if-none-match');
    if (ifNoneMatch && etagMatches(ifNoneMatch, etag)) return { status: 304, headers: { Etag: headers['Etag'] as string }, body: '' };
    const ifMatch = req.header('if-match');
    if (ifMatch && !etagMatches(ifMatch, etag)) return swiftHtml(412, req.method);
    const size = o.slo ? sloSize(o.slo) : o.size;
    const range = parseRange(req.header('range'), size);
    if (range === 'unsatisfiable') {
      return swiftHtml(416, req.method, { ...headers, 'Content-Range': `bytes */${size}` });
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? size - 1;
    const length = size === 0 ? 0 : end - start + 1;
    headers['Content-Length'] = String(length);
    if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    const status = range ? 206 : 200;
    if (req.method === 'HEAD' || length === 0) return { status, headers, body: '' };
    if (!o.slo) return { status, headers, body: this.ctx.blobs.read(o.blobId, start, end) };
    const parts = this.flattenSlo(account, o.slo);
    if (!parts) return swiftHtml(409, req.method); // a segment vanished or changed since the manifest was written
    return { status, headers, body: concatSegments(this.ctx, parts, start, end) };
  }
}

/** Streams bytes [start, end] of the concatenation of the segments. */
function concatSegments(ctx: SimContext, parts: SwiftObjectRecord[], start: number, end: number): Readable {
  const out = new PassThrough();
  void (async () => {
    let offset = 0;
    try {
      for (const part of parts) {
        const partStart = offset;
        const partEnd = offset + part.size - 1;
        offset += part.size;
        if (partEnd < start || partStart > end || part.size === 0) continue;
        const from = Math.max(start, partStart) - partStart;
        const to = Math.min(end, partEnd) - partStart;
        for await (const chunk of ctx.blobs.read(part.blobId, from, to) as AsyncIterable<Buffer>) {
          if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
        }
      }
      out.end();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return out;
}

async function drain(req: SimRequest): Promise<void> {
  for await (const _chunk of req.req as AsyncIterable<Buffer>) {
    // discard
  }
}
