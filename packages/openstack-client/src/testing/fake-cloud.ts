/**
 * A scripted cloud for unit tests: a node:http server whose identity answers (v2.0 and v3) point
 * the catalog back at itself, plus a tiny router for the rest. Not a simulator: each test says
 * exactly what the API answers and inspects exactly what was sent.
 */
import type { ServerResponse } from 'node:http';
import { sendJson, startTestServer } from './http-server.js';
import type { RecordedRequest, TestServer } from './http-server.js';

export type RouteHandler = (req: RecordedRequest, res: ServerResponse, match: RegExpExecArray) => unknown;

export interface FakeCloud {
  server: TestServer;
  url: string;
  /** Adds a route; later routes win over earlier ones for the same request. */
  on: (method: string, path: RegExp, handler: RouteHandler) => void;
  /** Tokens issued so far. */
  issued: string[];
  /** Requests other than identity. */
  apiRequests: () => RecordedRequest[];
  /** Token lifetime in seconds for the next issue. */
  tokenLifetimeSeconds: number;
  close: () => Promise<void>;
}

export const FAKE_PASSWORD = 'pa55-w0rd-very-secret';
export const FAKE_API_KEY = 'a1b2c3d4e5f6-api-key-secret';

export async function startFakeCloud(opts: { region?: string; rackspace?: boolean; withoutNetworkService?: boolean } = {}): Promise<FakeCloud> {
  const region = opts.region ?? 'RegionOne';
  const routes: Array<{ method: string; path: RegExp; handler: RouteHandler }> = [];
  const issued: string[] = [];
  const state = { tokenLifetimeSeconds: 3600 };
  const server = await startTestServer(async (req, res) => {
    for (let i = routes.length - 1; i >= 0; i--) {
      const r = routes[i];
      if (!r || r.method !== req.method) continue;
      const m = r.path.exec(req.path);
      if (m) return r.handler(req, res, m);
    }
    sendJson(res, 404, { itemNotFound: { message: `no fake route for ${req.method} ${req.path}`, code: 404 } });
  });
  const url = server.url;
  const issue = (): { token: string; expires: string; issued: string } => {
    const token = `gAAAAfaketoken${issued.length + 1}xyz`;
    issued.push(token);
    const now = Date.now();
    return { token, expires: new Date(now + state.tokenLifetimeSeconds * 1000).toISOString(), issued: new Date(now).toISOString() };
  };
  const names = opts.rackspace
    ? { compute: 'cloudServersOpenStack', network: 'cloudNetworks', store: 'cloudFiles' }
    : { compute: 'nova', network: 'neutron', store: 'swift' };

  routes.push({
    method: 'POST',
    path: /^\/v2\.0\/tokens$/,
    handler: (req, res) => {
      const body = req.json<{ auth: Record<string, { username?: string; apiKey?: string; password?: string }> }>();
      const creds = body.auth['RAX-KSKEY:apiKeyCredentials'] ?? body.auth.passwordCredentials;
      if (!creds || (creds.apiKey ?? creds.password) !== (body.auth['RAX-KSKEY:apiKeyCredentials'] ? FAKE_API_KEY : FAKE_PASSWORD)) {
        return sendJson(res, 401, { unauthorized: { code: 401, message: 'Username or api key is invalid.' } });
      }
      const t = issue();
      const ep = (path: string) => ({ region, tenantId: '123456', publicURL: `${url}${path}`, internalURL: `${url}/snet${path}` });
      sendJson(res, 200, {
        access: {
          token: { id: t.token, expires: t.expires.replace('Z', '-00:00'), tenant: { id: '123456', name: '123456' } },
          serviceCatalog: [
            { name: 'cloudServers', type: 'compute', endpoints: [{ tenantId: '123456', publicURL: `${url}/v1.0/123456` }] },
            { name: names.compute, type: 'compute', endpoints: [ep('/v2/123456')] },
            ...(opts.withoutNetworkService ? [] : [{ name: names.network, type: 'network', endpoints: [ep('/neutron/v2.0')] }]),
            { name: names.store, type: 'object-store', endpoints: [ep('/v1/MossoCloudFS_abc')] },
          ],
          user: { id: 'u1', name: 'demo' },
        },
      });
    },
  });
  routes.push({
    method: 'POST',
    path: /^\/v3\/auth\/tokens$/,
    handler: (req, res) => {
      const body = req.json<{ auth: { identity: { methods: string[]; password?: { user: { password: string } } } } }>();
      const id = body.auth.identity;
      if (id.methods[0] === 'password' && id.password?.user.password !== FAKE_PASSWORD) {
        return sendJson(res, 401, { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
      }
      const t = issue();
      const eps = (path: string) => [
        { interface: 'public', region_id: region, region, url: `${url}${path}` },
        { interface: 'internal', region_id: region, region, url: `${url}/internal${path}` },
      ];
      sendJson(
        res,
        201,
        {
          token: {
            expires_at: t.expires.replace('Z', '000Z'),
            issued_at: t.issued.replace('Z', '000Z'),
            methods: id.methods,
            project: { id: 'p1', name: 'demo' },
            user: { id: 'u1', name: 'demo' },
            catalog: [
              { type: 'compute', name: names.compute, endpoints: eps('/compute/v2.1') },
              { type: 'network', name: names.network, endpoints: eps('/neutron') },
              { type: 'object-store', name: names.store, endpoints: eps('/v1/AUTH_p1') },
            ],
          },
        },
        { 'x-subject-token': t.token },
      );
    },
  });

  return {
    server,
    url,
    issued,
    get tokenLifetimeSeconds() {
      return state.tokenLifetimeSeconds;
    },
    set tokenLifetimeSeconds(v: number) {
      state.tokenLifetimeSeconds = v;
    },
    on: (method, path, handler) => routes.push({ method, path, handler }),
    apiRequests: () => server.requests.filter((r) => !/\/tokens$/.test(r.path)),
    close: () => server.close(),
  };
}

/** Rejects unless the request carries one of the issued tokens (the latest unless `anyIssued`). */
export function authorised(cloud: FakeCloud, req: RecordedRequest, res: ServerResponse): boolean {
  const t = req.headers['x-auth-token'];
  if (t && t === cloud.issued[cloud.issued.length - 1]) return true;
  sendJson(res, 401, { unauthorized: { code: 401, message: 'This server could not verify that you are authorized to access the document you requested.' } });
  return false;
}
