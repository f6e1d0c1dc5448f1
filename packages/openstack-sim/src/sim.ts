import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { dirname, basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { computeError } from './compute/errors.js';
import { microversionHeaders, requestedMicroversion, MIN_MICROVERSION, type Microversion } from './compute/microversion.js';
import { computeRouter } from './compute/routes.js';
import { scheduleLifecycle, snapshot, sweepServers, type ComputeCall } from './compute/servers.js';
import { seedFlavors, seedImages } from './compute/seed.js';
import { ComputeError } from './compute/errors.js';
import type { ServerSnapshot } from './compute/types.js';
import type { SimContext } from './context.js';
import { json } from './http/respond.js';
import type { Router } from './http/router.js';
import type { HeaderValue, ServiceName, SimRequest, SimResponse } from './http/types.js';
import { identityRouter, isTokenRequest, keystoneUnauthorized } from './identity/routes.js';
import { validToken } from './identity/tokens.js';
import { imageRouter } from './image/routes.js';
import { decideFault, type FaultDecision } from './knobs/faults.js';
import { createPrng } from './knobs/prng.js';
import { TokenBucket } from './knobs/rate-limit.js';
import { neutronError, networkRouter } from './network/routes.js';
import { seedRackspaceNetworks } from './network/model.js';
import { SwiftService, swiftHtml } from './object-storage/routes.js';
import { resolveOptions, type FaultKind, type SimOptions } from './options.js';
import { DirectoryBlobStore, MemoryBlobStore, type BlobStore } from './state/blobs.js';
import { SimStore } from './state/store.js';
import type { ServerRecord, SimStateData } from './state/types.js';
import { isoSeconds, requestId } from './util.js';
import { buildEnv, type SimEnv } from './env.js';
import { createInspector, type SimInspector, type RequestLogEntry } from './inspect.js';

export interface SimControl {
  /** Puts a server into ERROR (with a Nova fault) or another status, as a failed boot would. */
  setServerStatus(id: string, status: ServerRecord['status'], fault?: { code: number; message: string }): void;
  /** Sets accessIPv4 (e.g. to 127.0.0.1 when a fake master listens locally). */
  setServerAccessIPv4(id: string, address: string): void;
  /** Makes every issued token expired, as if `tokenLifetimeSeconds` had passed. */
  expireAllTokens(): void;
}

export interface Sim {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Rackspace mode: the ServiceNet listener behind cloudFiles' internalURL. */
  serviceNetUrl: string | undefined;
  env: SimEnv;
  state: SimInspector;
  inspect(): ReturnType<SimInspector['snapshot']>;
  control: SimControl;
  close(): Promise<void>;
}

interface RouteTarget {
  service: ServiceName;
  /** Path inside the service's router. */
  local: string;
  compute?: { linkBase: string; bookmarkBase: string; projectInUrl: string | undefined };
}

/** Where a path goes; one port serves every service, told apart by their version prefixes. */
function classify(path: string, base: string, projectIds: ReadonlySet<string>): RouteTarget | undefined {
  if (path === '/' || path === '') return { service: 'root', local: '/' };
  if (path === '/info' || path === '/info/') return { service: 'object-store', local: '/info' };
  if (/^\/v1(\/|$)/.test(path)) return { service: 'object-store', local: path };
  if (/^\/v2\.0\/tokens\/?$/.test(path) || /^\/v3(\/|$)/.test(path)) return { service: 'identity', local: path };
  if (/^\/v2\.0(\/|$)/.test(path)) return { service: 'network', local: path };
  if (/^\/v2\/images(\/|$)/.test(path)) return { service: 'image', local: path };
  let m = /^\/v2\.1(?:\/([^/]+))?(\/.*)?$/.exec(path);
  if (m) {
    const first = m[1];
    if (first !== undefined && projectIds.has(first)) {
      return { service: 'compute', local: m[2] ?? '/', compute: { linkBase: `${base}/v2.1/${first}`, bookmarkBase: `${base}/${first}`, projectInUrl: first } };
    }
    return { service: 'compute', local: path.slice('/v2.1'.length) || '/', compute: { linkBase: `${base}/v2.1`, bookmarkBase: base, projectInUrl: undefined } };
  }
  m = /^\/v2\/([^/]+)(\/.*)?$/.exec(path);
  if (m) {
    const tenant = m[1] as string;
    return { service: 'compute', local: m[2] ?? '/', compute: { linkBase: `${base}/v2/${tenant}`, bookmarkBase: `${base}/${tenant}`, projectInUrl: tenant } };
  }
  return undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a simulated cloud on loopback. */
export async function startSim(options: SimOptions = {}): Promise<Sim> {
  const opts = resolveOptions(options);
  const { store, loaded } = SimStore.load(opts.stateFile, opts.mode);
  const blobs: BlobStore = opts.stateFile
    ? new DirectoryBlobStore(join(dirname(opts.stateFile), `${basename(opts.stateFile)}.objects`))
    : new MemoryBlobStore();
  const timers = new Set<NodeJS.Timeout>();
  const heldSockets = new Set<Socket>();
  let closed = false;
  let publicUrl = '';
  let internalUrl = '';

  // One bucket per service, as clouds limit each API on its own (Nova's limits cover Nova only).
  const buckets = new Map<ServiceName, TokenBucket>();
  const bucketFor = (service: ServiceName): TokenBucket | undefined => {
    const rl = opts.rateLimit;
    if (!rl) return undefined;
    let bucket = buckets.get(service);
    if (!bucket) buckets.set(service, (bucket = new TokenBucket(rl.requestsPerSecond, rl.burst)));
    return bucket;
  };
  const ctx: SimContext = {
    options: opts,
    store,
    blobs,
    now: () => Date.now(),
    publicUrl: () => publicUrl,
    internalUrl: () => internalUrl || publicUrl,
    schedule(ms, fn) {
      if (closed) return;
      const t = setTimeout(() => {
        timers.delete(t);
        if (!closed) fn();
      }, ms);
      timers.add(t);
    },
    notifyServerActive(server: ServerSnapshot, userData: string | undefined) {
      const hook = opts.onServerActive;
      if (!hook) return;
      try {
        const result = hook(server, userData);
        if (result && typeof (result as Promise<void>).catch === 'function') (result as Promise<void>).catch(() => undefined);
      } catch {
        // A failing hook must not break the cloud; the hook owner sees its own error.
      }
    },
    rateLimitState: (service) => bucketFor(service)?.state(),
  };

  if (!loaded) {
    const now = isoSeconds(Date.now());
    store.data.flavors = seedFlavors(opts.mode);
    store.data.images = seedImages(now);
    if (opts.mode === 'rackspace') seedRackspaceNetworks(ctx);
    store.commit();
  }

  const projectIds = new Set(opts.users.map((u) => u.projectId));
  const routers: Record<Exclude<ServiceName, 'object-store' | 'root'>, Router> = {
    identity: identityRouter(ctx),
    compute: computeRouter(ctx),
    network: networkRouter(ctx),
    image: imageRouter(ctx),
  };
  const swift = new SwiftService(ctx);
  const prng = createPrng(opts.seed);
  const inspector = createInspector(ctx);

  function faultResponse(service: ServiceName, status: number, method: string, retryAfter: number | undefined): SimResponse {
    const headers: Record<string, string> = retryAfter !== undefined ? { 'Retry-After': String(retryAfter) } : {};
    if (service === 'object-store') return swiftHtml(status, method, headers);
    if (status === 413 || status === 429) {
      return json(
        status,
        {
          overLimit: {
            code: status,
            message: 'This request was rate-limited.',
            ...(retryAfter !== undefined ? { retryAfter: String(retryAfter) } : {}),
            details: 'Only a limited number of requests can be made per second.',
          },
        },
        headers,
      );
    }
    if (service === 'compute') {
      return computeError(status, status === 500 ? 'Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.' : 'Service Unavailable', headers);
    }
    if (service === 'network') return neutronError(status, status === 500 ? 'HTTPInternalServerError' : 'ServiceUnavailable', status === 500 ? 'Request Failed: internal server error while processing your request.' : 'The service is unavailable.');
    return json(status, { error: { code: status, message: status === 500 ? 'An unexpected error prevented the server from fulfilling your request.' : 'Service Unavailable', title: status === 500 ? 'Internal Server Error' : 'Service Unavailable' } }, headers);
  }

  async function route(target: RouteTarget, sreq: SimRequest): Promise<SimResponse> {
    const { service } = target;
    if (service === 'root') {
      return json(300, {
        versions: {
          values: [
            { id: 'v3.14', status: 'stable', links: [{ rel: 'self', href: `${sreq.baseUrl}/v3/` }] },
            { id: 'v2.0', status: 'deprecated', links: [{ rel: 'self', href: `${sreq.baseUrl}/v2.0/` }] },
          ],
        },
      });
    }
    if (service === 'object-store') {
      if (target.local === '/info') {
        if (sreq.method !== 'GET' && sreq.method !== 'HEAD') return swiftHtml(405, sreq.method, { Allow: 'GET, HEAD' });
        return swift.info();
      }
      return swift.handle(sreq);
    }
    if (sreq.serviceNet) return { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'ServiceNet serves object storage only\n' };
    let mv: Microversion = MIN_MICROVERSION;
    if (service === 'compute') {
      try {
        mv = requestedMicroversion((n) => sreq.header(n));
      } catch (err) {
        if (err instanceof ComputeError) return computeError(err.status, err.message);
        throw err;
      }
    }
    const withMv = (res: SimResponse): SimResponse =>
      service === 'compute' ? { ...res, headers: { ...microversionHeaders(mv), ...res.headers } } : res;
    if (service !== 'identity') {
      const token = validToken(ctx, sreq.header('x-auth-token'));
      if (!token) {
        // Same body from Nova and Neutron (keystonemiddleware), observed on Zed.
        const res = keystoneUnauthorized(ctx);
        return withMv({ ...res, body: JSON.stringify({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } }) });
      }
      sreq.token = token;
    }
    const match = routers[service].match(sreq.method, target.local);
    if (match.kind === 'not-found') {
      if (service === 'compute') return withMv(computeError(404, 'The resource could not be found.'));
      if (service === 'network') return neutronError(404, 'HTTPNotFound', 'The resource could not be found.');
      return json(404, { error: { code: 404, message: 'The resource could not be found.', title: 'Not Found' } });
    }
    if (match.kind === 'method-not-allowed') {
      const res = service === 'compute' ? computeError(405, 'The method is not allowed for the requested URL.') : json(405, { error: { code: 405, message: 'The method is not allowed for the requested URL.', title: 'Method Not Allowed' } });
      return withMv({ ...res, headers: { ...res.headers, Allow: match.allowed.join(', ') } });
    }
    if (service === 'compute' && target.compute) {
      const token = sreq.token;
      if (!token) return keystoneUnauthorized(ctx);
      if (target.compute.projectInUrl !== undefined && target.compute.projectInUrl !== token.projectId) {
        return withMv(computeError(400, `Malformed request URL: URL's project_id '${target.compute.projectInUrl}' doesn't match Context's project_id '${token.projectId}'`));
      }
      const call: ComputeCall = { mv, linkBase: target.compute.linkBase, bookmarkBase: target.compute.bookmarkBase, projectId: token.projectId, userId: token.userId };
      (sreq as SimRequest & { compute: ComputeCall }).compute = call;
    }
    return withMv(await match.handler(sreq, match.params));
  }

  function send(res: ServerResponse, sreq: SimRequest, out: SimResponse, service: ServiceName | undefined): void {
    const headers: Record<string, HeaderValue> = { ...out.headers };
    if (service && service !== 'object-store') headers['X-Openstack-Request-Id'] = sreq.requestId;
    if (service === 'compute') headers['X-Compute-Request-Id'] = sreq.requestId;
    const body = out.body;
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
      const buf = body === undefined ? Buffer.alloc(0) : typeof body === 'string' ? Buffer.from(body) : body;
      if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-length')) headers['Content-Length'] = buf.length;
      res.writeHead(out.status, headers);
      res.end(sreq.method === 'HEAD' || out.status === 204 || out.status === 304 ? undefined : buf);
      return;
    }
    res.writeHead(out.status, headers);
    (body as Readable).on('error', () => res.destroy());
    (body as Readable).pipe(res);
  }

  function dropConnection(req: IncomingMessage, res: ServerResponse, holdMs: number | undefined): void {
    const socket = req.socket;
    if (holdMs === undefined) {
      socket.destroy();
      return;
    }
    // Hold the request without answering, then drop it: bounded, and close() ends it at once.
    heldSockets.add(socket);
    const t = setTimeout(() => {
      timers.delete(t);
      heldSockets.delete(socket);
      socket.destroy();
    }, holdMs);
    timers.add(t);
    res.on('close', () => heldSockets.delete(socket));
  }

  async function handle(req: IncomingMessage, res: ServerResponse, serviceNet: boolean, base: string): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const sreq: SimRequest = {
      req,
      method: (req.method ?? 'GET').toUpperCase(),
      rawPath: url.pathname,
      query: url.searchParams,
      baseUrl: base,
      serviceNet,
      requestId: requestId(),
      header: (name) => {
        const v = req.headers[name.toLowerCase()];
        return Array.isArray(v) ? v.join(', ') : v;
      },
    };
    const target = classify(sreq.rawPath, base, projectIds);
    const service = target?.service;
    const entry: RequestLogEntry = { method: sreq.method, path: sreq.rawPath, service: service ?? 'unknown', status: 0, serviceNet };
    inspector.record(entry);
    if (opts.latencyMs > 0) await sleep(opts.latencyMs);
    if (closed) {
      req.socket.destroy();
      return;
    }
    if (!target) {
      send(res, sreq, { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Not Found\n' }, undefined);
      entry.status = 404;
      return;
    }
    const tokenRequest = isTokenRequest(sreq.method, sreq.rawPath);
    const bucket = !tokenRequest || opts.rateLimit?.includeIdentity ? bucketFor(service as ServiceName) : undefined;
    if (bucket) {
      const wait = bucket.take();
      if (wait > 0) {
        const status = opts.quirks.overLimit413 ? 413 : 429;
        req.resume();
        inspector.rateLimited();
        entry.status = status;
        send(res, sreq, faultResponse(service as ServiceName, status, sreq.method, wait), service);
        return;
      }
    }
    let fault: FaultDecision = { kind: 'none' };
    if (opts.faults && (!tokenRequest || opts.faults.includeIdentity)) {
      fault = decideFault(prng, opts.faults.rate, opts.faults.kinds);
    }
    if (fault.kind !== 'none') {
      inspector.fault(fault.label as FaultKind, sreq.method, sreq.rawPath);
      entry.fault = fault.label;
    }
    if (fault.kind === 'status') {
      req.resume();
      entry.status = fault.status;
      send(res, sreq, faultResponse(service as ServiceName, fault.status, sreq.method, fault.retryAfter ? opts.faults?.retryAfterSeconds : undefined), service);
      return;
    }
    const holdMs = fault.kind === 'timeout' ? opts.faults?.timeoutHoldMs : undefined;
    const readOnly = sreq.method === 'GET' || sreq.method === 'HEAD';
    if ((fault.kind === 'reset' || fault.kind === 'timeout') && readOnly) {
      dropConnection(req, res, holdMs);
      return;
    }
    let out: SimResponse;
    try {
      out = await route(target, sreq);
    } catch (err) {
      out = faultResponse(service as ServiceName, 500, sreq.method, undefined);
      entry.error = (err as Error).stack ?? String(err);
    }
    entry.status = out.status;
    if (fault.kind === 'reset' || fault.kind === 'timeout') {
      // A change request was applied, but the answer is lost: the client must find out what
      // happened (e.g. list servers by name) before it retries.
      if (out.body instanceof Readable) out.body.destroy();
      dropConnection(req, res, holdMs);
      return;
    }
    send(res, sreq, out, service);
  }

  const servers: Server[] = [];
  const listen = (port: number, serviceNet: boolean): Promise<string> =>
    new Promise((resolve, reject) => {
      let base = '';
      const server = createServer((req, res) => {
        handle(req, res, serviceNet, base).catch((err: unknown) => {
          if (!res.headersSent) {
            res.writeHead(500, { 'Content-Type': 'text/plain' });
            res.end(String(err));
          } else {
            res.destroy();
          }
        });
      });
      server.keepAliveTimeout = 5000;
      server.once('error', reject);
      server.listen(port, opts.host, () => {
        const addr = server.address() as AddressInfo;
        base = `http://${opts.host}:${addr.port}`;
        servers.push(server);
        resolve(base);
      });
    });

  publicUrl = await listen(opts.port, false);
  if (opts.mode === 'rackspace') internalUrl = await listen(0, true);

  // Servers restored from a state file continue their BUILD → ACTIVE / deleting → gone timers.
  sweepServers(ctx);
  for (const s of store.data.servers) scheduleLifecycle(ctx, s);

  const env = buildEnv(opts, publicUrl);
  const control: SimControl = {
    setServerStatus(id, status, fault) {
      const s = store.data.servers.find((x) => x.id === id);
      if (!s) throw new Error(`no server ${id}`);
      s.status = status;
      s.taskState = null;
      s.updatedAt = isoSeconds(Date.now());
      s.fault = fault ? { ...fault, created: isoSeconds(Date.now()) } : null;
      store.commit();
    },
    setServerAccessIPv4(id, address) {
      const s = store.data.servers.find((x) => x.id === id);
      if (!s) throw new Error(`no server ${id}`);
      s.accessIPv4 = address;
      store.commit();
    },
    expireAllTokens() {
      const past = new Date(Date.now() - 1000).toISOString();
      for (const t of Object.values(store.data.tokens)) t.expiresAt = past;
      store.commit();
    },
  };

  return {
    url: publicUrl,
    serviceNetUrl: internalUrl || undefined,
    env,
    state: inspector,
    inspect: () => inspector.snapshot(),
    control,
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of heldSockets) s.destroy();
      heldSockets.clear();
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}

export type { SimStateData, ServerSnapshot };
export { snapshot as serverSnapshot };
