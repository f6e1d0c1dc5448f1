/**
 * One error class for everything the client throws. `code` is stable and meant for programs;
 * `message` is for people and is always redacted.
 */

export type OpenStackErrorCode =
  | 'HTTP_BAD_REQUEST'
  | 'HTTP_UNAUTHORIZED'
  | 'HTTP_FORBIDDEN'
  | 'HTTP_NOT_FOUND'
  | 'HTTP_CONFLICT'
  | 'HTTP_PAYLOAD_TOO_LARGE'
  | 'HTTP_SERVER_ERROR'
  | 'HTTP_ERROR'
  | 'RATE_LIMITED'
  | 'AUTH_FAILED'
  | 'CATALOG_NO_ENDPOINT'
  | 'SERVER_ERROR_STATE'
  | 'TIMEOUT'
  | 'CONNECTION'
  | 'AMBIGUOUS'
  | 'RESOURCE_NOT_FOUND'
  | 'INVALID_ARGUMENT'
  | 'CHECKSUM_MISMATCH'
  | 'CONFIG'
  | 'UNSUPPORTED';

export interface OpenStackErrorInit {
  code: OpenStackErrorCode;
  message: string;
  status?: number;
  method?: string;
  /** Already redacted. */
  url?: string;
  requestId?: string;
  /** The API's own message (Nova/Neutron/Keystone JSON, Swift text), already redacted. */
  apiMessage?: string;
  /** For RATE_LIMITED: what the server asked us to wait. */
  retryAfterMs?: number;
  /** Number of attempts made, when retries happened. */
  attempts?: number;
  cause?: unknown;
}

export class OpenStackError extends Error {
  override readonly name = 'OpenStackError';
  readonly code: OpenStackErrorCode;
  readonly status: number | undefined;
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly requestId: string | undefined;
  readonly apiMessage: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly attempts: number | undefined;

  constructor(init: OpenStackErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.method = init.method;
    this.url = init.url;
    this.requestId = init.requestId;
    this.apiMessage = init.apiMessage;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts;
  }
}

export function isOpenStackError(err: unknown, code?: OpenStackErrorCode): err is OpenStackError {
  return err instanceof OpenStackError && (code === undefined || err.code === code);
}

const OUTCOME_UNKNOWN: ReadonlySet<OpenStackErrorCode> = new Set(['TIMEOUT', 'CONNECTION', 'HTTP_SERVER_ERROR']);

/**
 * True when a request failed without saying whether it was carried out (timeout, connection
 * reset, 5xx): a create that failed so may exist anyway, and is looked for before it is re-sent.
 */
export function outcomeUnknown(err: unknown): err is OpenStackError {
  return err instanceof OpenStackError && OUTCOME_UNKNOWN.has(err.code);
}

/** True when `err` is an HTTP error from the API with this status (e.g. `isStatus(err, 404)`). */
export function isStatus(err: unknown, status: number): boolean {
  return err instanceof OpenStackError && err.status === status;
}

/** Stable code for an HTTP status. 413 is a rate limit only when the server says so. */
export function codeForStatus(status: number, rateLimitHint: boolean): OpenStackErrorCode {
  if (status === 429) return 'RATE_LIMITED';
  if (status === 413) return rateLimitHint ? 'RATE_LIMITED' : 'HTTP_PAYLOAD_TOO_LARGE';
  if (status === 400) return 'HTTP_BAD_REQUEST';
  if (status === 401) return 'HTTP_UNAUTHORIZED';
  if (status === 403) return 'HTTP_FORBIDDEN';
  if (status === 404) return 'HTTP_NOT_FOUND';
  if (status === 409) return 'HTTP_CONFLICT';
  if (status >= 500) return 'HTTP_SERVER_ERROR';
  return 'HTTP_ERROR';
}

const MAX_API_MESSAGE = 500;

function messageFromJson(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const obj = value as Record<string, unknown>;
  // Flat shapes: {"message": "..."} / {"error_message": ...} / {"title": ...}
  for (const key of ['message', 'error_message', 'faultstring']) {
    const v = obj[key];
    if (typeof v === 'string' && v) return v;
    if (typeof v === 'object' && v !== null) {
      const inner = messageFromJson(v);
      if (inner) return inner;
    }
  }
  // Wrapped shapes: Nova {"itemNotFound":{"message"}}, Neutron {"NeutronError":{"message"}},
  // Keystone {"error":{"message"}}, Rackspace {"overLimit":{"message"}} / {"unauthorized":{...}}.
  for (const v of Object.values(obj)) {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const inner = v as Record<string, unknown>;
      if (typeof inner.message === 'string' && inner.message) return inner.message;
      if (typeof inner.detail === 'string' && inner.detail) return inner.detail;
    }
  }
  return undefined;
}

/** Extracts the human message an OpenStack API put in an error body. */
export function parseApiMessage(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  let text: string;
  if (Buffer.isBuffer(body)) text = body.toString('utf8');
  else if (typeof body === 'string') text = body;
  else return truncate(messageFromJson(body));
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const parsed = messageFromJson(JSON.parse(trimmed));
      if (parsed) return truncate(parsed);
    } catch {
      // not JSON after all: treat as text
    }
  }
  // Swift and proxies answer in plain text or small HTML: keep the words.
  const plain = trimmed
    .replace(/<h1>[^<]*<\/h1>/i, (m) => `${m.replace(/<[^>]+>/g, '')}: `)
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/:\s*$/, '')
    .trim();
  return truncate(plain || undefined);
}

function truncate(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  return s.length > MAX_API_MESSAGE ? `${s.slice(0, MAX_API_MESSAGE)}…` : s;
}

/** Request id headers, in order of preference. */
export const REQUEST_ID_HEADERS = ['x-openstack-request-id', 'x-compute-request-id', 'x-trans-id', 'x-request-id'] as const;

export function requestIdFrom(headers: Record<string, string | string[] | undefined> | undefined): string | undefined {
  if (!headers) return undefined;
  for (const name of REQUEST_ID_HEADERS) {
    const v = headers[name];
    if (typeof v === 'string' && v) return v;
    if (Array.isArray(v) && v[0]) return v[0];
  }
  return undefined;
}
