/**
 * The one HTTP transport: a got instance (got.extend) whose hooks add the cross-cutting parts:
 * auth header + one re-auth on 401, request-id capture, retry with the pure `decideRetry`,
 * typed and redacted errors, and debug logging through the redacting logger.
 */
import type { Readable } from 'node:stream';
import got from 'got';
import type { Got, RequestError, Response, Delays } from 'got';
import { OpenStackError, codeForStatus, parseApiMessage, requestIdFrom } from '../errors.js';
import type { OpenStackErrorCode } from '../errors.js';
import { silentLogger } from '../logger.js';
import type { Logger } from '../logger.js';
import { Redactor, redactUrl } from '../redact.js';
import { DEFAULT_RETRY_POLICY, RETRYABLE_ERROR_CODES, decideRetry, parseRetryAfter } from './backoff.js';
import type { RetryPolicy } from './backoff.js';

/** Supplies tokens to the transport. Implemented by the identity session. */
export interface AuthProvider {
  token(): Promise<string>;
  /** Called with the token that was refused with 401; returns a fresh token (one refresh in flight). */
  reauthenticate(rejectedToken: string): Promise<string>;
}

/** Per-request knobs, passed as got's `context`. */
export interface TransportContext {
  /** Do not send X-Auth-Token (identity requests, temp URLs). */
  skipAuth?: boolean;
  /** Never retry (a body that cannot be replayed). */
  noRetry?: boolean;
  /** Re-creates a stream body so the request can be replayed (retry or re-auth). */
  bodyFactory?: () => Readable;
  /** Internal: set once the single re-auth retry has been used. */
  reauthenticated?: boolean;
  /** Internal: token sent on this attempt. */
  sentToken?: string;
  /** Internal: when the current attempt started. */
  startedAt?: number;
  [key: string]: unknown;
}

export interface TransportOptions {
  auth?: AuthProvider;
  logger?: Logger;
  /** Shared with the identity layer, which registers every secret it learns. */
  redactor?: Redactor;
  retry?: Partial<RetryPolicy>;
  /** got timeouts in ms, per attempt. Defaults: connect 15 s, response 120 s, socket idle 120 s. */
  timeout?: Partial<Delays>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  userAgent?: string;
  /** Base got instance to extend (tests, proxies, custom agents). */
  base?: Got;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const CONNECTION_CODES = new Set([...RETRYABLE_ERROR_CODES.filter((c) => c !== 'ETIMEDOUT'), 'ENOTFOUND', 'EHOSTUNREACH']);

function ctx(options: { context: Record<string, unknown> }): TransportContext {
  return options.context as TransportContext;
}

function headerValue(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h;
}

/** A copy of a low-level error that keeps name, code and a redacted message, but none of got's request options. */
export function sanitizedCause(err: unknown, redactor: Redactor): Error {
  const source = err instanceof Error ? err : new Error(String(err));
  const copy = new Error(redactor.redact(source.message));
  copy.name = source.name;
  const code = (source as { code?: unknown }).code;
  if (typeof code === 'string') (copy as Error & { code?: string }).code = code;
  copy.stack = redactor.redact(source.stack ?? copy.message);
  return copy;
}

export interface ResponseFacts {
  status: number;
  statusMessage?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  method: string;
  /** Already redacted. */
  url: string | undefined;
  attempts?: number;
}

/** An OpenStackError for an HTTP error answer (also used by streaming downloads). */
export function errorFromResponse(r: ResponseFacts, redactor: Redactor, cause?: unknown): OpenStackError {
  const { status, method, url } = r;
  const attempts = r.attempts ?? 1;
  const requestId = requestIdFrom(r.headers);
  const apiMessage = parseApiMessage(r.body);
  const safeApiMessage = apiMessage === undefined ? undefined : redactor.redact(apiMessage);
  const retryAfterHeader = headerValue(r.headers['retry-after']);
  const rateHint = retryAfterHeader !== undefined || /over\s*limit|rate.?limit|too many requests/i.test(apiMessage ?? '');
  const code = codeForStatus(status, rateHint);
  const retryAfterMs = parseRetryAfter(retryAfterHeader, Date.now());
  const parts = [`${method} ${url ?? ''} failed with ${status}${r.statusMessage ? ` ${r.statusMessage}` : ''}`];
  if (safeApiMessage) parts.push(`: ${safeApiMessage}`);
  if (requestId) parts.push(` [request ${requestId}]`);
  if (attempts > 1) parts.push(` after ${attempts} attempts`);
  return new OpenStackError({
    code,
    message: parts.join(''),
    status,
    method,
    ...(url === undefined ? {} : { url }),
    ...(requestId === undefined ? {} : { requestId }),
    ...(safeApiMessage === undefined ? {} : { apiMessage: safeApiMessage }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    attempts,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Turns whatever got rejected with into an OpenStackError with a redacted message. */
export function toOpenStackError(error: RequestError, redactor: Redactor): OpenStackError {
  if (error instanceof OpenStackError) return error;
  const inner = (error as { cause?: unknown }).cause;
  if (inner instanceof OpenStackError) return inner;

  const method = String(error.options?.method ?? 'GET').toUpperCase();
  const url = error.options?.url ? redactUrl(error.options.url, redactor) : undefined;
  const attempts = (error.request?.retryCount ?? 0) + 1;
  const response = error.response as Response | undefined;
  if (response && typeof response.statusCode === 'number' && (response.statusCode >= 400 || error.name === 'HTTPError')) {
    const rawBody = typeof response.body === 'string' || Buffer.isBuffer(response.body) ? response.body : response.rawBody;
    return errorFromResponse(
      { status: response.statusCode, statusMessage: response.statusMessage, headers: response.headers, body: rawBody, method, url, attempts },
      redactor,
      sanitizedCause(error, redactor),
    );
  }
  const errCode = error.code;
  let code: OpenStackErrorCode = 'HTTP_ERROR';
  let what = 'failed';
  if (error.name === 'TimeoutError' || errCode === 'ETIMEDOUT') {
    code = 'TIMEOUT';
    what = 'timed out';
  } else if (CONNECTION_CODES.has(errCode) || /socket hang up/i.test(error.message)) {
    code = 'CONNECTION';
    what = `connection failed (${errCode})`;
  }
  return new OpenStackError({
    code,
    message: redactor.redact(`${method} ${url ?? ''} ${what}: ${error.message}${attempts > 1 ? ` after ${attempts} attempts` : ''}`),
    method,
    ...(url === undefined ? {} : { url }),
    attempts,
    cause: sanitizedCause(error, redactor),
  });
}

export function createTransport(options: TransportOptions = {}): Got {
  const redactor = options.redactor ?? new Redactor();
  const logger = options.logger ?? silentLogger;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const base = options.base ?? got;

  return base.extend({
    headers: { 'user-agent': options.userAgent ?? 'rax-kube-openstack-client', accept: 'application/json' },
    timeout: { connect: 15_000, response: 120_000, socket: 120_000, ...options.timeout },
    context: {},
    retry: {
      limit: policy.limit,
      // Every method: the decision (which depends on method) is ours, in calculateDelay.
      methods: ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'POST', 'PATCH'],
      statusCodes: [413, 429, 500, 502, 503, 504],
      calculateDelay: async ({ attemptCount, error }) => {
        if (error.name === 'RetryError') return 1; // the re-auth retry asked for by afterResponse
        const c = ctx(error.options);
        if (c.noRetry) return 0;
        const method = String(error.options.method).toUpperCase();
        const status = (error.response as Response | undefined)?.statusCode;
        const decision = decideRetry(
          {
            attempt: attemptCount,
            method,
            ...(status === undefined ? {} : { status }),
            ...(error.code ? { errorCode: error.code } : {}),
            ...(error.response ? { retryAfter: headerValue((error.response as Response).headers['retry-after']) } : {}),
            nowMs: now(),
            random: random(),
          },
          policy,
        );
        if (!decision.retry) return 0;
        const body = error.options.body as unknown;
        const isStreamBody = typeof body === 'object' && body !== null && typeof (body as Readable).pipe === 'function';
        if (isStreamBody && !c.bodyFactory) return 0;
        logger.warn(
          `retrying ${method} ${redactUrl(error.options.url ?? '', redactor)} after ${status ?? error.code} in ${decision.delayMs} ms (attempt ${attemptCount + 1} of ${policy.limit + 1})`,
          { reason: decision.reason, requestId: error.response ? requestIdFrom((error.response as Response).headers) : undefined },
        );
        await sleep(decision.delayMs);
        return 1;
      },
    },
    hooks: {
      beforeRequest: [
        async (opts) => {
          const c = ctx(opts);
          if (!c.skipAuth && options.auth) {
            const token = await options.auth.token();
            c.sentToken = token;
            opts.headers['x-auth-token'] = token;
          }
          c.startedAt = now();
          logger.debug(`→ ${opts.method} ${redactUrl(opts.url ?? '', redactor)}`);
        },
      ],
      beforeRetry: [
        (error) => {
          const c = ctx(error.options);
          if (c.bodyFactory) error.options.body = c.bodyFactory();
        },
      ],
      afterResponse: [
        async (response, retryWithMergedOptions) => {
          const opts = response.request.options;
          const c = ctx(opts);
          const id = requestIdFrom(response.headers);
          logger.debug(
            `← ${response.statusCode} ${opts.method} ${redactUrl(opts.url ?? '', redactor)} ${c.startedAt === undefined ? '' : `${now() - c.startedAt} ms`}${id ? ` [request ${id}]` : ''}`,
          );
          const body = opts.body as unknown;
          const unreplayable = typeof body === 'object' && body !== null && typeof (body as Readable).pipe === 'function' && !c.bodyFactory;
          if (response.statusCode === 401 && options.auth && !c.skipAuth && !c.reauthenticated && !unreplayable) {
            logger.info('token refused (401): re-authenticating once');
            await options.auth.reauthenticate(c.sentToken ?? '');
            const update: Record<string, unknown> = { context: { reauthenticated: true } };
            if (c.bodyFactory) update.body = c.bodyFactory();
            return retryWithMergedOptions(update);
          }
          return response;
        },
      ],
      beforeError: [
        (error) => {
          const typed = toOpenStackError(error, redactor);
          logger.debug(`request failed: ${typed.message}`, { code: typed.code });
          return typed;
        },
      ],
    },
  });
}
