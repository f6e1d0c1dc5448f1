import type { SimContext } from './context.js';
import { snapshot } from './compute/servers.js';
import type { ServerSnapshot } from './compute/types.js';
import type { FaultKind } from './options.js';
import type { NetworkRecord, PortRecord, SubnetRecord, SimStateData, KeypairRecord } from './state/types.js';

export interface RequestLogEntry {
  method: string;
  path: string;
  service: string;
  /** 0 while in flight, and for dropped connections. */
  status: number;
  serviceNet: boolean;
  fault?: FaultKind;
  error?: string;
}

export interface ObjectSummary {
  account: string;
  container: string;
  name: string;
  bytes: number;
  etag: string;
  contentType: string;
  staticLargeObject: boolean;
  meta: Record<string, string>;
}

export interface SimInspector {
  servers(): ServerSnapshot[];
  networks(): NetworkRecord[];
  subnets(): SubnetRecord[];
  ports(): PortRecord[];
  keypairs(): KeypairRecord[];
  containers(): Array<{ account: string; name: string; meta: Record<string, string> }>;
  objects(): ObjectSummary[];
  /** The bytes of a stored object (the assembled content for an SLO is not resolved). */
  objectBody(account: string, container: string, name: string): Promise<Buffer | undefined>;
  /** Every request seen, in arrival order (bounded to the last 10 000). */
  requests(): RequestLogEntry[];
  /** Count of requests matching method (or '*') and a path regex. */
  countRequests(method: string, path: RegExp): number;
  faults(): { total: number; byKind: Partial<Record<FaultKind, number>>; log: Array<{ kind: FaultKind; method: string; path: string }> };
  rateLimitedCount(): number;
  /** A deep copy of the whole state. */
  raw(): SimStateData;
  snapshot(): { servers: ServerSnapshot[]; networks: NetworkRecord[]; ports: PortRecord[]; objects: ObjectSummary[]; requests: number; faults: number; rateLimited: number };
  /** @internal */
  record(entry: RequestLogEntry): void;
  /** @internal */
  fault(kind: FaultKind, method: string, path: string): void;
  /** @internal */
  rateLimited(): void;
}

const LOG_LIMIT = 10_000;

export function createInspector(ctx: SimContext): SimInspector {
  const log: RequestLogEntry[] = [];
  const faultLog: Array<{ kind: FaultKind; method: string; path: string }> = [];
  let rateLimited = 0;
  const clone = <T>(v: T): T => structuredClone(v);
  const inspector: SimInspector = {
    servers: () => ctx.store.data.servers.map((s) => snapshot(ctx, s)),
    networks: () => clone(ctx.store.data.networks),
    subnets: () => clone(ctx.store.data.subnets),
    ports: () => clone(ctx.store.data.ports),
    keypairs: () => clone(ctx.store.data.keypairs),
    containers: () =>
      Object.values(ctx.store.data.accounts).flatMap((a) => Object.values(a.containers).map((c) => ({ account: a.name, name: c.name, meta: { ...c.meta } }))),
    objects: () =>
      Object.values(ctx.store.data.accounts).flatMap((a) =>
        Object.values(a.containers).flatMap((c) =>
          Object.values(c.objects).map((o) => ({
            account: a.name,
            container: c.name,
            name: o.name,
            bytes: o.size,
            etag: o.etag,
            contentType: o.contentType,
            staticLargeObject: !!o.slo,
            meta: { ...o.meta },
          })),
        ),
      ),
    async objectBody(account, container, name) {
      const o = ctx.store.data.accounts[account]?.containers[container]?.objects[name];
      return o ? ctx.blobs.readAll(o.blobId) : undefined;
    },
    requests: () => [...log],
    countRequests: (method, path) => log.filter((e) => (method === '*' || e.method === method) && path.test(e.path)).length,
    faults: () => {
      const byKind: Partial<Record<FaultKind, number>> = {};
      for (const f of faultLog) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
      return { total: faultLog.length, byKind, log: [...faultLog] };
    },
    rateLimitedCount: () => rateLimited,
    raw: () => clone(ctx.store.data),
    snapshot: () => ({
      servers: inspector.servers(),
      networks: inspector.networks(),
      ports: inspector.ports(),
      objects: inspector.objects(),
      requests: log.length,
      faults: faultLog.length,
      rateLimited,
    }),
    record(entry) {
      log.push(entry);
      if (log.length > LOG_LIMIT) log.shift();
    },
    fault(kind, method, path) {
      faultLog.push({ kind, method, path });
    },
    rateLimited() {
      rateLimited += 1;
    },
  };
  return inspector;
}
