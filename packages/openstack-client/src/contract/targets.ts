/**
 * The three places the contract suite runs: the local sim in OpenStack mode, the real OpenStack
 * all-in-one on loopback, and the sim in Rackspace mode. A target that is not available is skipped
 * with a visible reason, never silently passed.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ClientOptions, OpenStackClient } from '../client.js';

export type TargetName = 'sim-openstack' | 'openstack-aio' | 'sim-rackspace';
export type Env = Record<string, string | undefined>;

export interface FaultySim {
  env: Env;
  /** From the sim's inspector: requests seen, by method and path. */
  countRequests: (method: string, path: RegExp) => number;
  faultsInjected: () => number;
  serverNames: () => string[];
  close: () => Promise<void>;
}

export interface ReadyTarget {
  name: TargetName;
  env: Env;
  profile: 'openstack' | 'rackspace';
  /** Status the target answers rate limits with. */
  rateLimitStatus: 413 | 429;
  /** Make the client's current token invalid server-side (revoke, or wait for expiry). */
  invalidateToken: (client: OpenStackClient) => Promise<void>;
  /**
   * An authenticated call to a service that checks tokens on every request. Real Nova/Neutron
   * cache token validations (keystonemiddleware + memcached) and keep accepting a revoked token
   * for minutes, so on Keystone v3 this asks Keystone itself (GET /v3/auth/projects).
   */
  strictCall: (client: OpenStackClient) => Promise<unknown>;
  /**
   * Client options for the token-invalidation test. On the v2.0 sim the token simply expires; a
   * client clock one minute behind keeps the client from refreshing early, so the API's 401 (not
   * the refresh-before-expiry) is what triggers the new token.
   */
  invalidationClientOptions?: Partial<ClientOptions>;
  /** Sims only: another instance of the same cloud with injected faults. */
  startFaulty?: (faults: { rate: number; kinds: string[] }, extra?: Record<string, unknown>) => Promise<FaultySim>;
  close: () => Promise<void>;
}

export type PreparedTarget = ReadyTarget | { name: TargetName; skip: string };

/** Revokes a Keystone v3 token with itself (DELETE /v3/auth/tokens). */
async function revokeV3(client: OpenStackClient, authUrl: string): Promise<void> {
  const token = await client.identity.token();
  await client.http.delete(`${authUrl.replace(/\/+$/, '')}/auth/tokens`, { headers: { 'x-subject-token': token } });
}

interface SimModule {
  startSim: (o: Record<string, unknown>) => Promise<{
    url: string;
    env: Env;
    state: { countRequests: (m: string, p: RegExp) => number; faults: () => { total: number }; servers: () => Array<{ name: string }> };
    close: () => Promise<void>;
  }>;
}

async function importSim(): Promise<SimModule | string> {
  try {
    const specifier = '@rax-kube/openstack-sim';
    const mod = (await import(/* @vite-ignore */ specifier)) as Partial<SimModule>;
    if (typeof mod.startSim !== 'function') return '@rax-kube/openstack-sim has no startSim export yet';
    return mod as SimModule;
  } catch (err) {
    return `@rax-kube/openstack-sim cannot be imported (${(err as Error).message.split('\n')[0]})`;
  }
}

const SIM_TOKEN_LIFETIME_S = 8;

export async function prepareSim(mode: 'openstack' | 'rackspace'): Promise<PreparedTarget> {
  const name: TargetName = mode === 'openstack' ? 'sim-openstack' : 'sim-rackspace';
  const mod = await importSim();
  if (typeof mod === 'string') return { name, skip: mod };
  const base = { mode, seed: 7, bootTimeMs: 300, latencyMs: 0 };
  // Rackspace tokens in this target live a few seconds, so refresh-before-expiry and the expiry
  // 401 both happen during the run (v2.0 has no revocation in the sim).
  const sim = await mod.startSim(mode === 'rackspace' ? { ...base, tokenLifetimeSeconds: SIM_TOKEN_LIFETIME_S } : base);
  return {
    name,
    env: sim.env,
    profile: mode,
    rateLimitStatus: mode === 'rackspace' ? 413 : 429,
    ...(mode === 'rackspace' ? { invalidationClientOptions: { now: () => Date.now() - 60_000 } } : {}),
    // The sim validates every token on every call (no validation cache), and has no /v3/auth/projects.
    strictCall: (client) => client.compute.limits(),
    invalidateToken:
      mode === 'openstack'
        ? (client) => revokeV3(client, sim.env.OS_AUTH_URL as string)
        : async () => {
            await new Promise((r) => setTimeout(r, (SIM_TOKEN_LIFETIME_S + 1) * 1000));
          },
    startFaulty: async (faults, extra = {}) => {
      const s = await mod.startSim({ ...base, faults: { ...faults, ...extra } });
      return {
        env: s.env,
        countRequests: (m, p) => s.state.countRequests(m, p),
        faultsInjected: () => s.state.faults().total,
        serverNames: () => s.state.servers().map((x) => x.name),
        close: () => s.close(),
      };
    },
    close: () => sim.close(),
  };
}

/** Parses `export NAME='value'` lines as start.sh writes them. */
export function parseEnvFile(text: string): Env {
  const env: Env = {};
  for (const line of text.split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    let v = (m[2] as string).trim();
    if (v.startsWith("'") && v.endsWith("'")) v = v.slice(1, -1).replace(/'\\''/g, "'");
    else if (v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    env[m[1] as string] = v;
  }
  return env;
}

export async function prepareAio(): Promise<PreparedTarget> {
  const name: TargetName = 'openstack-aio';
  const file = process.env.RAX_KUBE_AIO_ENV ?? '/var/tmp/os-aio/aio.env';
  let env: Env;
  if (existsSync(file)) env = parseEnvFile(readFileSync(file, 'utf8'));
  else if (process.env.OS_AUTH_URL && process.env.RAX_KUBE_AIO) env = { ...process.env };
  else return { name, skip: `no ${file} and no OS_* environment marked with RAX_KUBE_AIO=1` };
  const authUrl = env.OS_AUTH_URL ?? '';
  try {
    const res = await fetch(authUrl, { signal: AbortSignal.timeout(3000) });
    if (res.status >= 500) return { name, skip: `Keystone at ${authUrl} answers ${res.status}` };
  } catch {
    return { name, skip: `Keystone at ${authUrl} not reachable` };
  }
  return {
    name,
    env,
    profile: 'openstack',
    rateLimitStatus: 429,
    invalidateToken: (client) => revokeV3(client, authUrl),
    strictCall: (client) => client.http.get(`${authUrl.replace(/\/+$/, '')}/auth/projects`).json(),
    close: async () => undefined,
  };
}
