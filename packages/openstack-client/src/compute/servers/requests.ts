import { randomUUID } from 'node:crypto';
import { OpenStackError, isStatus, outcomeUnknown } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { ServiceClient } from '../../service.js';
import { paginateLinks } from '../../service.js';
import type { CreateServerOptions, ListServersFilters, Server, ServerNetwork, WaitOptions } from './types.js';
import { serverPath, serversDetailPath, serversPath } from './urls.js';

/** Metadata key holding the client-generated idempotency token of a create. */
export const IDEMPOTENCY_METADATA_KEY = 'rax-kube-create-token';

export const MAX_METADATA_ITEMS = 40;
export const MAX_METADATA_BYTES = 255;
export const MAX_USER_DATA_BASE64_BYTES = 65535;

export interface ComputeDeps {
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  logger: Logger;
  /** Registers secrets (user_data) with the redactor. */
  addSecret: (value: string) => void;
}

function invalid(message: string): OpenStackError {
  return new OpenStackError({ code: 'INVALID_ARGUMENT', message });
}

export function validateMetadata(metadata: Record<string, string>): void {
  const entries = Object.entries(metadata);
  if (entries.length > MAX_METADATA_ITEMS) throw invalid(`server metadata has ${entries.length} items; the limit is ${MAX_METADATA_ITEMS}`);
  for (const [k, v] of entries) {
    if (typeof v !== 'string') throw invalid(`server metadata "${k}" must be a string`);
    if (!k || Buffer.byteLength(k) > MAX_METADATA_BYTES) throw invalid(`server metadata key "${k.slice(0, 40)}" must be 1..${MAX_METADATA_BYTES} bytes`);
    if (Buffer.byteLength(v) > MAX_METADATA_BYTES) throw invalid(`server metadata "${k}" value is ${Buffer.byteLength(v)} bytes; the limit is ${MAX_METADATA_BYTES}`);
  }
}

function networkBody(n: ServerNetwork): Record<string, string> {
  if ('port' in n) return { port: n.port };
  return n.fixedIp ? { uuid: n.uuid, fixed_ip: n.fixedIp } : { uuid: n.uuid };
}

/** The create request body, and the microversion it needs (if any). Pure. */
export function buildCreateServerBody(opts: CreateServerOptions, idempotencyToken: string): { body: Record<string, unknown>; microversion?: string } {
  if (!opts.name) throw invalid('a server needs a name');
  const metadata = { ...opts.metadata, [IDEMPOTENCY_METADATA_KEY]: idempotencyToken };
  validateMetadata(metadata);
  const server: Record<string, unknown> = { name: opts.name, imageRef: opts.imageRef, flavorRef: opts.flavorRef, metadata };
  if (opts.keyName) server.key_name = opts.keyName;
  if (opts.userData !== undefined) {
    const encoded = Buffer.from(opts.userData).toString('base64');
    if (encoded.length > MAX_USER_DATA_BASE64_BYTES) {
      throw invalid(`user_data is ${encoded.length} bytes once base64-encoded; the limit is ${MAX_USER_DATA_BASE64_BYTES} (compress it, e.g. gzip+base64 write_files)`);
    }
    server.user_data = encoded;
  }
  if (opts.configDrive !== undefined) server.config_drive = opts.configDrive;
  if (opts.availabilityZone) server.availability_zone = opts.availabilityZone;
  if (opts.securityGroups) server.security_groups = opts.securityGroups.map((name) => ({ name }));
  let microversion: string | undefined;
  if (opts.networks === 'auto' || opts.networks === 'none') {
    server.networks = opts.networks;
    microversion = '2.37';
  } else if (opts.networks) {
    server.networks = opts.networks.map(networkBody);
  }
  return microversion ? { body: { server }, microversion } : { body: { server } };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function listServers(svc: ServiceClient, filters: ListServersFilters = {}): AsyncGenerator<Server, void, undefined> {
  const { exactName, ...rest } = filters;
  const params: Record<string, string | number | undefined> = { ...rest };
  if (exactName !== undefined) params.name = `^${escapeRegExp(exactName)}$`;
  return (async function* () {
    for await (const s of paginateLinks<Server>(svc, serversDetailPath(), 'servers', 'servers_links', params)) {
      // Nova's name filter is a regex search; confirm exact matches ourselves.
      if (exactName !== undefined && s.name !== exactName) continue;
      yield s;
    }
  })();
}

export async function getServer(svc: ServiceClient, id: string, microversion?: string): Promise<Server> {
  const body = await svc.get<{ server: Server }>(serverPath(id), microversion ? { microversion } : {});
  return body.server;
}

/** Finds the server a create with this idempotency token made, if any. */
export async function findServerByCreateToken(svc: ServiceClient, name: string, token: string): Promise<Server | undefined> {
  for await (const s of listServers(svc, { exactName: name })) {
    if (s.metadata?.[IDEMPOTENCY_METADATA_KEY] === token) return s;
  }
  return undefined;
}

export interface CreateServerBehaviour {
  /** Total create attempts when the outcome of a POST was unknown and no server was found. Default 3. */
  maxAttempts?: number;
  /** Waits before each look-up, giving the API time to record a request that did land. Default [1000, 3000]. */
  lookupDelaysMs?: number[];
}

/**
 * Creates a server, never twice. Rate-limit refusals (413/429) are retried by the transport (the
 * request was refused before any work). A timeout, reset or 5xx leaves the outcome unknown: the
 * client looks for a server with this name and idempotency token, returns it if found, and only
 * re-sends when repeated look-ups show none.
 */
export async function createServer(svc: ServiceClient, opts: CreateServerOptions, deps: ComputeDeps, behaviour: CreateServerBehaviour = {}): Promise<Server> {
  const token = opts.idempotencyToken ?? randomUUID();
  const { body, microversion } = buildCreateServerBody(opts, token);
  if (opts.userData !== undefined) {
    deps.addSecret(Buffer.from(opts.userData).toString('base64'));
    if (typeof opts.userData === 'string') deps.addSecret(opts.userData);
  }
  const maxAttempts = behaviour.maxAttempts ?? 3;
  const lookupDelays = behaviour.lookupDelaysMs ?? [1000, 3000];
  for (let attempt = 1; ; attempt++) {
    try {
      const created = await svc.request<{ server: { id: string } }>('POST', serversPath(), {
        json: body,
        ...(microversion ? { microversion } : {}),
      });
      const id = created.body.server.id;
      deps.logger.info(`created server ${opts.name} (${id})`);
      return await getServer(svc, id);
    } catch (err) {
      if (!outcomeUnknown(err)) throw err;
      deps.logger.warn(`server create for ${opts.name} ended without an answer (${err.code}); looking for it before any re-send`);
      for (const delay of lookupDelays) {
        await deps.sleep(delay);
        const found = await findServerByCreateToken(svc, opts.name, token);
        if (found) {
          deps.logger.info(`server ${opts.name} (${found.id}) was created despite the ${err.code}; not re-sending`);
          return found;
        }
      }
      if (attempt >= maxAttempts) throw err;
      deps.logger.warn(`no server ${opts.name} with this create token exists; re-sending the create (attempt ${attempt + 1} of ${maxAttempts})`);
    }
  }
}

export async function deleteServer(svc: ServiceClient, id: string, opts: { ignoreMissing?: boolean } = {}): Promise<void> {
  try {
    await svc.request('DELETE', serverPath(id));
  } catch (err) {
    if (opts.ignoreMissing && isStatus(err, 404)) return;
    throw err;
  }
}

const TERMINAL_ERROR = new Set(['ERROR']);

/** Polls until the server reaches `target`; fails fast on ERROR with the server's fault message. */
export async function waitForServerStatus(svc: ServiceClient, id: string, target: string, deps: ComputeDeps, opts: WaitOptions = {}): Promise<Server> {
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const maxInterval = opts.maxIntervalMs ?? 10_000;
  let interval = opts.intervalMs ?? 1000;
  const deadline = deps.now() + timeoutMs;
  for (;;) {
    const server = await getServer(svc, id);
    opts.onPoll?.(server);
    if (server.status === target) return server;
    if (TERMINAL_ERROR.has(server.status) && target !== server.status) {
      const fault = server.fault?.message ? `: ${server.fault.message}` : ' (no fault message)';
      throw new OpenStackError({
        code: 'SERVER_ERROR_STATE',
        message: `server ${server.name} (${id}) went to ${server.status} while waiting for ${target}${fault}`,
        ...(server.fault?.message ? { apiMessage: server.fault.message } : {}),
      });
    }
    if (deps.now() >= deadline) {
      throw new OpenStackError({ code: 'TIMEOUT', message: `server ${server.name} (${id}) is still ${server.status} after ${Math.round(timeoutMs / 1000)} s waiting for ${target}` });
    }
    await deps.sleep(Math.min(interval, Math.max(1, deadline - deps.now())));
    interval = Math.min(maxInterval, Math.round(interval * 1.5));
  }
}

/** Polls until GET answers 404 (or status DELETED). */
export async function waitForServerDeleted(svc: ServiceClient, id: string, deps: ComputeDeps, opts: WaitOptions = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const maxInterval = opts.maxIntervalMs ?? 10_000;
  let interval = opts.intervalMs ?? 1000;
  const deadline = deps.now() + timeoutMs;
  for (;;) {
    let server: Server;
    try {
      server = await getServer(svc, id);
    } catch (err) {
      if (isStatus(err, 404)) return;
      throw err;
    }
    opts.onPoll?.(server);
    if (server.status === 'DELETED' || server.status === 'SOFT_DELETED') return;
    if (deps.now() >= deadline) {
      throw new OpenStackError({ code: 'TIMEOUT', message: `server ${server.name} (${id}) still exists (${server.status}) after ${Math.round(timeoutMs / 1000)} s` });
    }
    await deps.sleep(Math.min(interval, Math.max(1, deadline - deps.now())));
    interval = Math.min(maxInterval, Math.round(interval * 1.5));
  }
}

/**
 * The address to reach a server on: accessIPv4 when set (Rackspace), else the first IPv4 on the
 * named network, else a public / floating one, else any IPv4. Plain OpenStack often leaves
 * accessIPv4 empty.
 */
export function serverIPv4(server: Server, networkName?: string): string | undefined {
  if (!networkName && server.accessIPv4) return server.accessIPv4;
  const v4 = (list: Server['addresses'][string] | undefined): string | undefined => list?.find((a) => a.version === 4)?.addr;
  if (networkName) return v4(server.addresses?.[networkName]);
  const addresses = server.addresses ?? {};
  const floating = Object.values(addresses).flat().find((a) => a.version === 4 && a['OS-EXT-IPS:type'] === 'floating');
  return floating?.addr ?? v4(addresses.public) ?? Object.values(addresses).map(v4).find((a) => a !== undefined);
}
