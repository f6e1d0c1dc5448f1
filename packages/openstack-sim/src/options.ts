import type { ServerSnapshot } from './compute/types.js';

export type SimMode = 'openstack' | 'rackspace';

export type FaultKind =
  | '5xx'
  | 'reset'
  | 'timeout'
  | '413'
  | '429'
  | '413-no-retry-after'
  | '429-no-retry-after';

export interface FaultOptions {
  /** Probability in [0, 1] that an eligible request gets a fault. */
  rate: number;
  kinds: FaultKind[];
  /**
   * Identity token requests (`POST /v2.0/tokens`, `POST /v3/auth/tokens`) are exempt by default:
   * a client cannot do anything useful without a token, and tests of retry logic want the
   * faults on the calls that change the cloud. Set to true to include them.
   */
  includeIdentity?: boolean;
  /** How long a 'timeout' fault holds the request before dropping it (bounded, default 15 s). */
  timeoutHoldMs?: number;
  /** Retry-After seconds sent with 413/429 faults (default 1). */
  retryAfterSeconds?: number;
}

export interface RateLimitOptions {
  requestsPerSecond: number;
  /** Bucket size; default max(1, requestsPerSecond). */
  burst?: number;
  /** Identity token requests are exempt unless this is true (as with faults). */
  includeIdentity?: boolean;
}

export interface SimApplicationCredential {
  id: string;
  name: string;
  secret: string;
}

export interface SimUser {
  username: string;
  password: string;
  /** Rackspace API key (RAX-KSKEY:apiKeyCredentials); also accepted as the v3 password. */
  apiKey?: string;
  userId?: string;
  domainId?: string;
  domainName?: string;
  projectId?: string;
  projectName?: string;
  applicationCredentials?: SimApplicationCredential[];
}

export interface SimQuirks {
  /** Answer rate limiting with 413 (legacy Rackspace) instead of 429. Default: mode === 'rackspace'. */
  overLimit413?: boolean;
  /**
   * A server booted with an explicit network list gets only those networks; PublicNet and
   * ServiceNet must be listed explicitly. Default: mode === 'rackspace'.
   */
  explicitNetworksOnly?: boolean;
}

export interface SimQuotas {
  maxTotalInstances: number;
  maxTotalCores: number;
  maxTotalRAMSize: number;
  maxServerMeta: number;
  maxImageMeta: number;
  maxPersonality: number;
  maxPersonalitySize: number;
  maxTotalKeypairs: number;
  maxServerGroups: number;
  maxServerGroupMembers: number;
}

export interface SimOptions {
  mode?: SimMode;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  seed?: number;
  latencyMs?: number;
  bootTimeMs?: number;
  /** How long a deleted server stays visible with task_state "deleting" before 404. */
  deleteTimeMs?: number;
  faults?: FaultOptions;
  rateLimit?: RateLimitOptions;
  tokenLifetimeSeconds?: number;
  stateFile?: string;
  region?: string;
  users?: SimUser[];
  quotas?: Partial<SimQuotas>;
  quirks?: SimQuirks;
  /** Called once when a server becomes ACTIVE, with its decoded user data (if any). */
  onServerActive?: (server: ServerSnapshot, userData: string | undefined) => void | Promise<void>;
}

export interface ResolvedOptions {
  mode: SimMode;
  port: number;
  host: '127.0.0.1';
  seed: number;
  latencyMs: number;
  bootTimeMs: number;
  deleteTimeMs: number;
  faults: Required<Omit<FaultOptions, 'kinds'>> & { kinds: FaultKind[] } | undefined;
  rateLimit: { requestsPerSecond: number; burst: number; includeIdentity: boolean } | undefined;
  tokenLifetimeSeconds: number;
  stateFile: string | undefined;
  region: string;
  users: Array<Required<Omit<SimUser, 'apiKey'>> & { apiKey: string | undefined }>;
  quotas: SimQuotas;
  quirks: Required<SimQuirks>;
  onServerActive: SimOptions['onServerActive'];
}

const OPENSTACK_QUOTAS: SimQuotas = {
  maxTotalInstances: 10,
  maxTotalCores: 20,
  maxTotalRAMSize: 51200,
  // Nova's default for metadata_items; the all-in-one Zed cloud reports 128.
  maxServerMeta: 128,
  maxImageMeta: 128,
  maxPersonality: 5,
  maxPersonalitySize: 10240,
  maxTotalKeypairs: 100,
  maxServerGroups: 10,
  maxServerGroupMembers: 10,
};

const RACKSPACE_QUOTAS: SimQuotas = {
  maxTotalInstances: 100,
  maxTotalCores: -1,
  maxTotalRAMSize: 131072,
  // Rackspace Cloud Servers allowed 40 metadata items per server.
  maxServerMeta: 40,
  maxImageMeta: 40,
  maxPersonality: 5,
  maxPersonalitySize: 1000,
  maxTotalKeypairs: 100,
  maxServerGroups: 10,
  maxServerGroupMembers: 10,
};

export function defaultUsers(mode: SimMode): SimUser[] {
  if (mode === 'rackspace') {
    return [
      {
        username: 'raxuser',
        password: 'rax-password',
        apiKey: 'rax-api-key-0123456789abcdef',
        userId: '10001',
        domainId: 'rackspace_cloud_domain',
        domainName: 'rackspace_cloud_domain',
        projectId: '123456',
        projectName: '123456',
      },
    ];
  }
  return [
    {
      username: 'admin',
      password: 'secret',
      userId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      domainId: 'default',
      domainName: 'Default',
      projectId: 'f0e1d2c3b4a5968778695a4b3c2d1e0f',
      projectName: 'admin',
    },
  ];
}

export function resolveOptions(options: SimOptions = {}): ResolvedOptions {
  const mode = options.mode ?? 'openstack';
  const users = (options.users ?? defaultUsers(mode)).map((u, index) => ({
    username: u.username,
    password: u.password,
    apiKey: u.apiKey,
    userId: u.userId ?? `u${String(index + 1).padStart(31, '0')}`,
    domainId: u.domainId ?? (mode === 'rackspace' ? 'rackspace_cloud_domain' : 'default'),
    domainName: u.domainName ?? (mode === 'rackspace' ? 'rackspace_cloud_domain' : 'Default'),
    projectId: u.projectId ?? `p${String(index + 1).padStart(31, '0')}`,
    projectName: u.projectName ?? u.projectId ?? `project-${index + 1}`,
    applicationCredentials: u.applicationCredentials ?? [],
  }));
  const faults = options.faults;
  if (faults && (faults.rate < 0 || faults.rate > 1 || Number.isNaN(faults.rate))) {
    throw new RangeError(`faults.rate must be within [0, 1], got ${faults.rate}`);
  }
  if (options.rateLimit && !(options.rateLimit.requestsPerSecond > 0)) {
    throw new RangeError('rateLimit.requestsPerSecond must be > 0');
  }
  const bootTimeMs = options.bootTimeMs ?? 2000;
  return {
    mode,
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    seed: options.seed ?? 1,
    latencyMs: options.latencyMs ?? 0,
    bootTimeMs,
    deleteTimeMs: options.deleteTimeMs ?? Math.min(bootTimeMs, 500),
    faults: faults
      ? {
          rate: faults.rate,
          kinds: [...faults.kinds],
          includeIdentity: faults.includeIdentity ?? false,
          timeoutHoldMs: faults.timeoutHoldMs ?? 15_000,
          retryAfterSeconds: faults.retryAfterSeconds ?? 1,
        }
      : undefined,
    rateLimit: options.rateLimit
      ? {
          requestsPerSecond: options.rateLimit.requestsPerSecond,
          burst: options.rateLimit.burst ?? Math.max(1, options.rateLimit.requestsPerSecond),
          includeIdentity: options.rateLimit.includeIdentity ?? false,
        }
      : undefined,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 24 * 3600,
    stateFile: options.stateFile,
    region: options.region ?? (mode === 'rackspace' ? 'ORD' : 'RegionOne'),
    users,
    quotas: { ...(mode === 'rackspace' ? RACKSPACE_QUOTAS : OPENSTACK_QUOTAS), ...options.quotas },
    quirks: {
      overLimit413: options.quirks?.overLimit413 ?? mode === 'rackspace',
      explicitNetworksOnly: options.quirks?.explicitNetworksOnly ?? mode === 'rackspace',
    },
    onServerActive: options.onServerActive,
  };
}
