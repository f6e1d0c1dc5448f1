import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenStackError, isStatus } from '../errors.js';
import { Redactor } from '../redact.js';
import { captureLogger, recordingSleep, sendJson, sendText, startTestServer } from '../testing/http-server.js';
import type { TestServer } from '../testing/http-server.js';
import { createTransport } from './transport.js';
import type { AuthProvider } from './transport.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function tokens(): AuthProvider & { issued: string[]; reauths: number } {
  const state = { issued: ['tok-1'], reauths: 0 };
  return Object.assign(state, {
    token: async () => state.issued[state.issued.length - 1] as string,
    reauthenticate: async () => {
      state.reauths += 1;
      state.issued.push(`tok-${state.issued.length + 1}`);
      return state.issued[state.issued.length - 1] as string;
    },
  });
}

async function caught(p: Promise<unknown>): Promise<OpenStackError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(OpenStackError);
    return err as OpenStackError;
  }
  throw new Error('expected a rejection');
}

describe('transport auth hooks', () => {
  it('sends X-Auth-Token, and none when skipAuth is set', async () => {
    server = await startTestServer((_req, res) => sendJson(res, 200, { ok: true }));
    const http = createTransport({ auth: tokens() });
    await http.get(`${server.url}/a`);
    await http.get(`${server.url}/b`, { context: { skipAuth: true } });
    expect(server.requests[0]?.headers['x-auth-token']).toBe('tok-1');
    expect(server.requests[1]?.headers['x-auth-token']).toBeUndefined();
  });

  it('re-authenticates once on 401 and replays the request with the new token', async () => {
    server = await startTestServer((req, res) =>
      req.headers['x-auth-token'] === 'tok-2' ? sendJson(res, 201, { ok: req.json() }) : sendJson(res, 401, { error: { message: 'The request you have made requires authentication.' } }),
    );
    const auth = tokens();
    const http = createTransport({ auth });
    const body = await http.post(`${server.url}/x`, { json: { a: 1 } }).json();
    expect(body).toEqual({ ok: { a: 1 } });
    expect(auth.reauths).toBe(1);
    expect(server.requests.map((r) => r.headers['x-auth-token'])).toEqual(['tok-1', 'tok-2']);
  });

  it('fails with HTTP_UNAUTHORIZED when the fresh token is refused too (no loop)', async () => {
    server = await startTestServer((_req, res) => sendJson(res, 401, { error: { message: 'nope', code: 401 } }));
    const auth = tokens();
    const err = await caught(createTransport({ auth }).get(`${server.url}/x`));
    expect(err.code).toBe('HTTP_UNAUTHORIZED');
    expect(err.apiMessage).toBe('nope');
    expect(auth.reauths).toBe(1);
    expect(server.requests).toHaveLength(2);
  });
});

describe('transport retries', () => {
  it('retries a GET on 503 and succeeds', async () => {
    let n = 0;
    server = await startTestServer((_req, res) => (++n < 3 ? sendText(res, 503, 'busy') : sendJson(res, 200, { n })));
    const { sleep, calls } = recordingSleep();
    const body = await createTransport({ sleep, random: () => 0 }).get(`${server.url}/x`).json();
    expect(body).toEqual({ n: 3 });
    expect(calls).toEqual([500, 1000]);
  });

  it('never re-sends a POST after a 5xx', async () => {
    server = await startTestServer((_req, res) => sendJson(res, 500, { computeFault: { message: 'boom', code: 500 } }, { 'x-compute-request-id': 'req-abc' }));
    const { sleep, calls } = recordingSleep();
    const err = await caught(createTransport({ sleep }).post(`${server.url}/servers`, { json: {} }));
    expect(err).toMatchObject({ code: 'HTTP_SERVER_ERROR', status: 500, method: 'POST', apiMessage: 'boom', requestId: 'req-abc' });
    expect(server.requests).toHaveLength(1);
    expect(calls).toEqual([]);
  });

  it.each([
    ['429 with Retry-After seconds', 429, { 'retry-after': '3' }, 3000],
    ['413 with Retry-After HTTP date', 413, { 'retry-after': new Date(Date.now() + 5000).toUTCString() }, 'date'],
    ['413 without Retry-After', 413, {}, 2000],
    ['429 without Retry-After', 429, {}, 2000],
  ] as const)('re-sends a POST on %s', async (_name, status, headers, expected) => {
    let n = 0;
    server = await startTestServer((_req, res) => (++n === 1 ? sendJson(res, status, { overLimit: { message: 'slow down', code: status } }, headers) : sendJson(res, 202, { ok: true })));
    const { sleep, calls } = recordingSleep();
    await createTransport({ sleep, random: () => 0 }).post(`${server.url}/x`, { json: {} });
    expect(server.requests).toHaveLength(2);
    expect(calls).toHaveLength(1);
    if (expected === 'date') {
      expect(calls[0]).toBeGreaterThan(2000);
      expect(calls[0]).toBeLessThanOrEqual(5000);
    } else {
      expect(calls[0]).toBe(expected);
    }
  });

  it('gives up on a rate limit after the retry limit with RATE_LIMITED and the retry-after', async () => {
    server = await startTestServer((_req, res) => sendJson(res, 429, { message: 'Too Many Requests' }, { 'retry-after': '1' }));
    const { sleep, calls } = recordingSleep();
    const err = await caught(createTransport({ sleep, retry: { limit: 2 } }).get(`${server.url}/x`));
    expect(err).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterMs: 1000, attempts: 3 });
    expect(calls).toEqual([1000, 1000]);
  });

  it('retries a GET after a connection reset, but not a POST', async () => {
    let n = 0;
    server = await startTestServer((req, res) => (++n === 1 ? req.reset() : sendJson(res, 200, { n })));
    const { sleep } = recordingSleep();
    const http = createTransport({ sleep });
    expect(await http.get(`${server.url}/x`).json()).toEqual({ n: 2 });
    n = 0;
    const err = await caught(http.post(`${server.url}/y`, { json: {} }));
    expect(err.code).toBe('CONNECTION');
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('maps a timeout to TIMEOUT; GET is retried, POST is not', async () => {
    let n = 0;
    server = await startTestServer((_req, res) => {
      n += 1;
      if (n === 1) return; // never answer
      sendJson(res, 200, { n });
    });
    const { sleep } = recordingSleep();
    const http = createTransport({ sleep, timeout: { response: 100 } });
    expect(await http.get(`${server.url}/x`).json()).toEqual({ n: 2 });
    server.handler = () => undefined;
    const err = await caught(http.post(`${server.url}/y`, { json: {} }));
    expect(err.code).toBe('TIMEOUT');
  });

  it('replays a stream body through bodyFactory, and refuses to replay a bare stream', async () => {
    let n = 0;
    server = await startTestServer((req, res) => (++n === 1 ? sendText(res, 503, 'later') : sendText(res, 201, req.text)));
    const { sleep } = recordingSleep();
    const http = createTransport({ sleep });
    const make = () => Readable.from([Buffer.from('hello '), Buffer.from('world')]);
    const res = await http.put(`${server.url}/o`, { body: make(), context: { bodyFactory: make } });
    expect(res.body).toBe('hello world');
    n = 0;
    const err = await caught(http.put(`${server.url}/o2`, { body: make() }));
    expect(err.code).toBe('HTTP_SERVER_ERROR');
  });
});

describe('transport errors are typed and redacted', () => {
  it('parses API messages, keeps request ids and strips secrets from url, message and cause', async () => {
    server = await startTestServer((_req, res) => sendJson(res, 404, { itemNotFound: { message: 'Instance abc could not be found.', code: 404 } }, { 'x-openstack-request-id': 'req-1' }));
    const redactor = new Redactor();
    redactor.add('tok-1');
    const http = createTransport({ auth: tokens(), redactor });
    const err = await caught(http.get(`${server.url}/v1/AUTH_x/c/o?temp_url_sig=deadbeef&temp_url_expires=1`));
    expect(isStatus(err, 404)).toBe(true);
    expect(err.code).toBe('HTTP_NOT_FOUND');
    expect(err.apiMessage).toBe('Instance abc could not be found.');
    expect(err.requestId).toBe('req-1');
    expect(err.url).toContain('temp_url_sig=[REDACTED]');
    expect(err.url).toContain('temp_url_expires=1');
    const everything = `${err.message} ${err.stack} ${inspect(err, { depth: 10, showHidden: true })}`;
    expect(everything).not.toContain('deadbeef');
    expect(everything).not.toContain('tok-1');
  });

  it('logs every request at debug without secrets', async () => {
    server = await startTestServer((_req, res) => sendJson(res, 200, {}));
    const { logger, lines } = captureLogger();
    const redactor = new Redactor();
    redactor.add('tok-1');
    await createTransport({ auth: tokens(), logger, redactor }).get(`${server.url}/x?temp_url_sig=abcdef`);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.join('\n')).not.toMatch(/abcdef|tok-1/);
  });
});
