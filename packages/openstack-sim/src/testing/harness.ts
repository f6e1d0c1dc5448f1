import type { Sim } from '../sim.js';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: parsed };
}

/** A v3 token for the sim's first user (any mode). */
export async function tokenFor(sim: Sim): Promise<{ token: string; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await call(`${sim.url}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: sim.env.OS_USERNAME, domain: { name: sim.env.OS_USER_DOMAIN_NAME }, password: sim.env.OS_PASSWORD } },
        },
        scope: { project: { name: sim.env.OS_PROJECT_NAME, domain: { name: sim.env.OS_PROJECT_DOMAIN_NAME } } },
      },
    }),
  });
  if (r.status !== 201) throw new Error(`auth failed: ${r.status} ${r.text}`);
  return { token: r.headers.get('x-subject-token') as string, body: r.json };
}

/** fetch bound to the sim's token: `api('POST', '/v2.1/servers', body, headers)`. */
export async function client(sim: Sim): Promise<{
  token: string;
  projectId: string;
  api: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Reply>;
}> {
  const { token, body } = await tokenFor(sim);
  return {
    token,
    projectId: body.token.project.id,
    api: (method, path, reqBody, headers = {}) =>
      call(path.startsWith('http') ? path : `${sim.url}${path}`, {
        method,
        headers: { 'x-auth-token': token, ...(reqBody !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(reqBody !== undefined ? { body: typeof reqBody === 'string' || Buffer.isBuffer(reqBody) ? (reqBody as string) : JSON.stringify(reqBody) } : {}),
      }),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `fn` returns a truthy value (or throws after `timeoutMs`). */
export async function until<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}
