import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { TokenRecord } from '../state/types.js';

export type HeaderValue = string | number | string[];

/** What a handler answers; the pipeline decides whether (and how) it reaches the client. */
export interface SimResponse {
  status: number;
  headers?: Record<string, HeaderValue>;
  body?: string | Buffer | Readable;
}

export type ServiceName = 'identity' | 'compute' | 'network' | 'image' | 'object-store' | 'root';

export interface SimRequest {
  readonly req: IncomingMessage;
  readonly method: string;
  /** Path as sent (percent-encoded), without the query string. */
  readonly rawPath: string;
  readonly query: URLSearchParams;
  /** Base URL of the listener the request came in on, e.g. http://127.0.0.1:8774 */
  readonly baseUrl: string;
  /** True on the Rackspace ServiceNet listener (cloudFiles internalURL). */
  readonly serviceNet: boolean;
  readonly requestId: string;
  /** Set by the pipeline once X-Auth-Token has been checked. */
  token?: TokenRecord;
  header(name: string): string | undefined;
}

export type Handler<P = Record<string, string>> = (ctx: SimRequest, params: P) => Promise<SimResponse>;
