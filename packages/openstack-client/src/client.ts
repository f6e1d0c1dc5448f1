/**
 * The top-level entry: one transport, one auth session, and four facets (identity, compute,
 * network, object storage) that share them.
 */
import type { Delays, Got } from 'got';
import { loadCloudsYaml } from './config/clouds-yaml.js';
import type { LoadCloudsYamlOptions } from './config/clouds-yaml.js';
import type { ResolvedCloudConfig } from './config/credentials.js';
import { configFromEnv } from './config/env.js';
import type { Env } from './config/env.js';
import { OpenStackError } from './errors.js';
import { findEndpoint, PREFERRED_SERVICE_NAMES } from './identity/catalog.js';
import type { EndpointQuery } from './identity/catalog.js';
import { AuthSession } from './identity/session.js';
import type { AuthResult, CatalogService, Credentials, EndpointInterface } from './identity/types.js';
import { authenticateV2 } from './identity/v2/requests.js';
import { authenticateV3 } from './identity/v3/requests.js';
import { redactingLogger, silentLogger } from './logger.js';
import type { Logger } from './logger.js';
import { Redactor } from './redact.js';
import { ServiceClient } from './service.js';
import { DEFAULT_RETRY_POLICY } from './transport/backoff.js';
import type { RetryPolicy } from './transport/backoff.js';
import { createTransport, defaultSleep } from './transport/transport.js';
import * as servers from './compute/servers/requests.js';
import type { ComputeDeps, CreateServerBehaviour } from './compute/servers/requests.js';
import type { CreateServerOptions, ListServersFilters, Server, WaitOptions } from './compute/servers/types.js';
import * as keypairs from './compute/keypairs/requests.js';
import type { Keypair } from './compute/keypairs/types.js';
import * as flavors from './compute/flavors/requests.js';
import type { Flavor } from './compute/flavors/types.js';
import * as images from './compute/images/requests.js';
import type { Image } from './compute/images/types.js';
import { getLimits } from './compute/limits/requests.js';
import type { Limits } from './compute/limits/types.js';
import * as networksV2 from './compute/networksv2/requests.js';
import type { RackspaceNetwork } from './compute/networksv2/types.js';
import * as networks from './network/networks/requests.js';
import type { CreateNetworkOptions, Network } from './network/networks/types.js';
import * as subnets from './network/subnets/requests.js';
import type { CreateSubnetOptions, Subnet } from './network/subnets/types.js';
import * as ports from './network/ports/requests.js';
import type { CreatePortOptions, Port } from './network/ports/types.js';
import type { NeutronFilters } from './network/filters.js';
import * as account from './object-storage/account/requests.js';
import * as containers from './object-storage/containers/requests.js';
import * as objects from './object-storage/objects/requests.js';
import type { DownloadResult, UploadSource } from './object-storage/objects/requests.js';
import { uploadLargeObject } from './object-storage/slo/requests.js';
import type { SloOptions, SloResult } from './object-storage/slo/requests.js';
import { getClusterInfo } from './object-storage/info/requests.js';
import { makePrefixTempUrl, makeTempUrl } from './object-storage/tempurl/tempurl.js';
import type { PrefixTempUrl, TempUrlDigest, TempUrlMethod } from './object-storage/tempurl/tempurl.js';
import type { ObjectStorageDeps } from './object-storage/deps.js';
import type { AccountInfo, Container, ObjectEntry, ObjectHead, ObjectSubdir, SwiftClusterInfo, UploadOptions, UploadResult } from './object-storage/types.js';

export type CloudProfile = 'rackspace' | 'openstack';

export interface ClientOptions {
  credentials: Credentials;
  region?: string | undefined;
  /** 'internal' is ServiceNet on Rackspace. Default 'public'. */
  interface?: EndpointInterface | undefined;
  /** Catalog service name to pick when a type has several (e.g. compute: 'cloudServersOpenStack'). */
  serviceNames?: { compute?: string; network?: string; objectStore?: string };
  /** Skip the catalog for a service (base URL as the catalog would give it). */
  endpoints?: { compute?: string; network?: string; objectStore?: string };
  /** Receives redacted lines only. */
  logger?: Logger;
  retry?: Partial<RetryPolicy>;
  /** got timeouts per attempt, ms. */
  timeout?: Partial<Delays>;
  /** Refresh the token this long before it expires. Default 5 min (bounded to a quarter of its lifetime). */
  tokenRefreshMarginMs?: number;
  createServer?: CreateServerBehaviour;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Base got instance to extend. */
  got?: Got;
  userAgent?: string;
}

const stripSlash = (u: string): string => u.replace(/\/+$/, '');
const withV2 = (u: string): string => (/\/v2\.0$/.test(stripSlash(u)) ? stripSlash(u) : `${stripSlash(u)}/v2.0`);

export class IdentityFacet {
  constructor(
    private readonly session: AuthSession,
    private readonly opts: ClientOptions,
  ) {}

  /** The current token (authenticating or refreshing as needed). */
  token(): Promise<string> {
    return this.session.token();
  }

  /** The current authentication (token, expiry, catalog, project). */
  current(): Promise<AuthResult> {
    return this.session.result();
  }

  /** Authenticates now, replacing the cached token. */
  refresh(): Promise<AuthResult> {
    return this.session.refresh();
  }

  /** How many times the client has authenticated (diagnostics, tests). */
  get authentications(): number {
    return this.session.authentications;
  }

  async catalog(): Promise<CatalogService[]> {
    return (await this.session.result()).catalog;
  }

  /** Looks up an endpoint; region and interface default to the client's. */
  async endpoint(query: EndpointQuery): Promise<string> {
    const q: EndpointQuery = { ...query };
    if (q.region === undefined && this.opts.region !== undefined) q.region = this.opts.region;
    if (q.interface === undefined && this.opts.interface !== undefined) q.interface = this.opts.interface;
    return findEndpoint(await this.catalog(), q);
  }

  async projectId(): Promise<string | undefined> {
    return (await this.session.result()).projectId;
  }

  /** 'rackspace' for identity v2.0 or a Rackspace-named catalog, else 'openstack'. */
  async profile(): Promise<CloudProfile> {
    const r = await this.session.result();
    if (r.identityVersion === 'v2.0') return 'rackspace';
    return r.catalog.some((s) => s.name !== undefined && PREFERRED_SERVICE_NAMES.includes(s.name)) ? 'rackspace' : 'openstack';
  }
}

export class ComputeFacet {
  constructor(
    readonly service: ServiceClient,
    private readonly deps: ComputeDeps,
    private readonly createBehaviour: CreateServerBehaviour | undefined,
  ) {}

  readonly servers = {
    /** Creates a server without ever creating a duplicate (see createServer); returns it as GET shows it. */
    create: (opts: CreateServerOptions): Promise<Server> => servers.createServer(this.service, opts, this.deps, this.createBehaviour),
    get: (id: string, opts: { microversion?: string } = {}): Promise<Server> => servers.getServer(this.service, id, opts.microversion),
    list: (filters?: ListServersFilters): AsyncGenerator<Server, void, undefined> => servers.listServers(this.service, filters),
    delete: (id: string, opts?: { ignoreMissing?: boolean }): Promise<void> => servers.deleteServer(this.service, id, opts),
    waitForStatus: (id: string, status = 'ACTIVE', opts?: WaitOptions): Promise<Server> => servers.waitForServerStatus(this.service, id, status, this.deps, opts),
    waitForDeleted: (id: string, opts?: WaitOptions): Promise<void> => servers.waitForServerDeleted(this.service, id, this.deps, opts),
    /** Servers with exactly this name. */
    findByName: async (name: string): Promise<Server[]> => {
      const out: Server[] = [];
      for await (const s of servers.listServers(this.service, { exactName: name })) out.push(s);
      return out;
    },
  };

  readonly keypairs = {
    list: (): AsyncGenerator<Keypair, void, undefined> => keypairs.listKeypairs(this.service),
    get: (name: string): Promise<Keypair> => keypairs.getKeypair(this.service, name),
    find: (name: string): Promise<Keypair | undefined> => keypairs.findKeypair(this.service, name),
    create: (name: string, publicKey: string): Promise<Keypair> => keypairs.createKeypair(this.service, name, publicKey),
    delete: (name: string, opts?: { ignoreMissing?: boolean }): Promise<void> => keypairs.deleteKeypair(this.service, name, opts),
  };

  readonly flavors = {
    list: (): AsyncGenerator<Flavor, void, undefined> => flavors.listFlavors(this.service),
    get: (id: string): Promise<Flavor> => flavors.getFlavor(this.service, id),
    find: (nameOrId: string): Promise<Flavor> => flavors.findFlavor(this.service, nameOrId),
  };

  readonly images = {
    list: (filters?: { name?: string; status?: string }): AsyncGenerator<Image, void, undefined> => images.listImages(this.service, filters),
    get: (id: string): Promise<Image> => images.getImage(this.service, id),
    find: (nameOrId: string): Promise<Image> => images.findImage(this.service, nameOrId),
  };

  limits(): Promise<Limits> {
    return getLimits(this.service);
  }
}

export class NetworkFacet {
  constructor(
    private readonly neutron: ServiceClient,
    private readonly compute: ServiceClient,
    private readonly identity: IdentityFacet,
    private readonly hasOverride: boolean,
  ) {}

  /** 'neutron' when the catalog has a network service, else 'os-networksv2' (legacy Rackspace). */
  async kind(): Promise<'neutron' | 'os-networksv2'> {
    if (this.hasOverride) return 'neutron';
    const catalog = await this.identity.catalog();
    return catalog.some((s) => s.type === 'network') ? 'neutron' : 'os-networksv2';
  }

  readonly networks = {
    list: (filters?: NeutronFilters): AsyncGenerator<Network, void, undefined> => networks.listNetworks(this.neutron, filters),
    get: (id: string): Promise<Network> => networks.getNetwork(this.neutron, id),
    find: (nameOrId: string): Promise<Network> => networks.findNetwork(this.neutron, nameOrId),
    create: (opts: CreateNetworkOptions): Promise<Network> => networks.createNetwork(this.neutron, opts),
    delete: (id: string, opts?: { ignoreMissing?: boolean }): Promise<void> => networks.deleteNetwork(this.neutron, id, opts),
  };

  readonly subnets = {
    list: (filters?: NeutronFilters & { network_id?: string; cidr?: string }): AsyncGenerator<Subnet, void, undefined> => subnets.listSubnets(this.neutron, filters),
    get: (id: string): Promise<Subnet> => subnets.getSubnet(this.neutron, id),
    find: (nameOrId: string, networkId?: string): Promise<Subnet> => subnets.findSubnet(this.neutron, nameOrId, networkId),
    create: (opts: CreateSubnetOptions): Promise<Subnet> => subnets.createSubnet(this.neutron, opts),
    delete: (id: string, opts?: { ignoreMissing?: boolean }): Promise<void> => subnets.deleteSubnet(this.neutron, id, opts),
  };

  readonly ports = {
    list: (filters?: NeutronFilters & { network_id?: string; device_id?: string }): AsyncGenerator<Port, void, undefined> => ports.listPorts(this.neutron, filters),
    get: (id: string): Promise<Port> => ports.getPort(this.neutron, id),
    create: (opts: CreatePortOptions): Promise<Port> => ports.createPort(this.neutron, opts),
    delete: (id: string, opts?: { ignoreMissing?: boolean }): Promise<void> => ports.deletePort(this.neutron, id, opts),
  };

  /** Rackspace's `os-networksv2` compute extension (isolated networks by label + CIDR). */
  readonly networksV2 = {
    list: (): AsyncGenerator<RackspaceNetwork, void, undefined> => networksV2.listNetworksV2(this.compute),
    get: (id: string): Promise<RackspaceNetwork> => networksV2.getNetworkV2(this.compute, id),
    create: (label: string, cidr: string): Promise<RackspaceNetwork> => networksV2.createNetworkV2(this.compute, label, cidr),
    delete: (id: string, opts?: { ignoreMissing?: boolean }): Promise<void> => networksV2.deleteNetworkV2(this.compute, id, opts),
  };
}

export interface TempUrlRequest {
  container: string;
  object: string;
  method?: TempUrlMethod;
  ttlSeconds?: number;
  expiresAt?: Date | number;
  digest?: TempUrlDigest;
  /** Default: the account's Temp-URL-Key (read once and cached). */
  key?: string;
  filename?: string;
}

export class ObjectStorageFacet {
  #tempUrlKey: string | undefined;

  constructor(
    readonly service: ServiceClient,
    private readonly deps: ObjectStorageDeps,
  ) {}

  /** The account URL, e.g. `…/v1/AUTH_<project>`. */
  storageUrl(): Promise<string> {
    return this.service.endpoint();
  }

  readonly account = {
    get: (): Promise<AccountInfo> => account.getAccount(this.service, this.deps),
    setMetadata: (metadata: Record<string, string | null>): Promise<void> => account.setAccountMetadata(this.service, metadata, this.deps),
    setTempUrlKey: async (key: string, which: 1 | 2 = 1): Promise<void> => {
      await account.setTempUrlKey(this.service, key, which, this.deps);
      if (which === 1) this.#tempUrlKey = key;
    },
  };

  readonly containers = {
    list: (opts?: { prefix?: string; limit?: number }): AsyncGenerator<Container, void, undefined> => containers.listContainers(this.service, opts),
    ensure: (name: string, opts?: { metadata?: Record<string, string>; headers?: Record<string, string> }): Promise<boolean> => containers.ensureContainer(this.service, name, opts),
    head: (name: string) => containers.getContainerMetadata(this.service, name),
    delete: (name: string, opts?: { ignoreMissing?: boolean }): Promise<void> => containers.deleteContainer(this.service, name, opts),
  };

  readonly objects = {
    upload: (container: string, name: string, source: UploadSource, opts?: UploadOptions): Promise<UploadResult> => objects.uploadObject(this.service, container, name, source, opts),
    head: (container: string, name: string): Promise<ObjectHead> => objects.headObject(this.service, container, name),
    find: (container: string, name: string): Promise<ObjectHead | undefined> => objects.findObject(this.service, container, name),
    download: (container: string, name: string, opts?: { range?: string }): Promise<DownloadResult> => objects.downloadObject(this.service, container, name, this.deps, opts),
    getBuffer: (container: string, name: string): Promise<Buffer> => objects.getObjectBuffer(this.service, container, name, this.deps),
    delete: (container: string, name: string, opts?: { ignoreMissing?: boolean; withSegments?: boolean }): Promise<void> => objects.deleteObject(this.service, container, name, opts),
    list: (container: string, opts?: { prefix?: string; delimiter?: string; limit?: number }): AsyncGenerator<ObjectEntry | ObjectSubdir, void, undefined> =>
      objects.listObjects(this.service, container, opts),
  };

  /** Static large object from a file: parallel segments (bounded), then the manifest. */
  uploadLargeObject(container: string, name: string, filePath: string, opts?: SloOptions): Promise<SloResult> {
    return uploadLargeObject(this.service, container, name, filePath, opts);
  }

  /** Deletes every object in a container, then the container. */
  async deleteContainerRecursive(name: string): Promise<void> {
    const names: string[] = [];
    try {
      for await (const o of objects.listObjects(this.service, name)) if ('name' in o) names.push(o.name);
    } catch (err) {
      if ((err as { status?: number }).status === 404) return;
      throw err;
    }
    for (const o of names) await objects.deleteObject(this.service, name, o, { ignoreMissing: true });
    await containers.deleteContainer(this.service, name, { ignoreMissing: true });
  }

  /** Cluster capabilities and limits from `/info` at the proxy root. */
  async info(): Promise<SwiftClusterInfo> {
    return getClusterInfo(this.service.http, await this.service.endpoint());
  }

  async #key(explicit: string | undefined): Promise<string> {
    if (explicit) {
      this.deps.redactor.add(explicit);
      return explicit;
    }
    if (!this.#tempUrlKey) {
      const acct = await account.getAccount(this.service, this.deps);
      this.#tempUrlKey = acct.tempUrlKey;
    }
    if (!this.#tempUrlKey) {
      throw new OpenStackError({ code: 'CONFIG', message: 'the account has no Temp-URL-Key: call objectStorage.account.setTempUrlKey(key) first, or pass key' });
    }
    return this.#tempUrlKey;
  }

  /** A temp URL for one object (default GET, sha256, 1 hour). */
  async tempUrl(req: TempUrlRequest): Promise<string> {
    const key = await this.#key(req.key);
    const url = makeTempUrl({
      storageUrl: await this.storageUrl(),
      container: req.container,
      object: req.object,
      method: req.method ?? 'GET',
      key,
      ...(req.expiresAt === undefined ? { ttlSeconds: req.ttlSeconds ?? 3600 } : { expiresAt: req.expiresAt }),
      ...(req.digest ? { digest: req.digest } : {}),
      ...(req.filename !== undefined ? { filename: req.filename } : {}),
      now: this.deps.now,
    });
    this.deps.redactor.add(new URL(url).searchParams.get('temp_url_sig') ?? undefined);
    return url;
  }

  /** A prefix temp URL: one signature for every object under `prefix`. */
  async prefixTempUrl(req: Omit<TempUrlRequest, 'object' | 'filename'> & { prefix: string }): Promise<PrefixTempUrl> {
    const key = await this.#key(req.key);
    const p = makePrefixTempUrl({
      storageUrl: await this.storageUrl(),
      container: req.container,
      prefix: req.prefix,
      method: req.method ?? 'GET',
      key,
      ...(req.expiresAt === undefined ? { ttlSeconds: req.ttlSeconds ?? 3600 } : { expiresAt: req.expiresAt }),
      ...(req.digest ? { digest: req.digest } : {}),
      now: this.deps.now,
    });
    this.deps.redactor.add(new URLSearchParams(p.query).get('temp_url_sig') ?? undefined);
    return p;
  }
}

export interface OpenStackClient {
  readonly identity: IdentityFacet;
  readonly compute: ComputeFacet;
  readonly network: NetworkFacet;
  readonly objectStorage: ObjectStorageFacet;
  /** The shared got instance (auth, retry, redaction hooks) for calls the facets do not cover. */
  readonly http: Got;
  readonly redactor: Redactor;
  /** Redacts secrets this client knows about from any text. */
  redact(text: string): string;
}

export function createClient(options: ClientOptions): OpenStackClient {
  const redactor = new Redactor();
  const logger = redactingLogger(options.logger ?? silentLogger, redactor);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const creds = options.credentials;

  // The session and the transport need each other: the transport asks the session for tokens,
  // the session authenticates through the transport (with skipAuth).
  const holder: { session?: AuthSession } = {};
  const http = createTransport({
    auth: {
      token: () => (holder.session as AuthSession).token(),
      reauthenticate: (t) => (holder.session as AuthSession).reauthenticate(t),
    },
    logger,
    redactor,
    retry,
    ...(options.timeout ? { timeout: options.timeout } : {}),
    sleep,
    random,
    now,
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    ...(options.got ? { base: options.got } : {}),
  });
  const session = new AuthSession(
    () => (creds.kind === 'v2-apikey' || creds.kind === 'v2-password' ? authenticateV2(http, creds, redactor, now) : authenticateV3(http, creds, redactor, now)),
    { now, logger, ...(options.tokenRefreshMarginMs === undefined ? {} : { refreshMarginMs: options.tokenRefreshMarginMs }) },
  );
  holder.session = session;
  const identity = new IdentityFacet(session, options);

  const resolver = (type: string, name: string | undefined, override: string | undefined, shape: (u: string) => string = stripSlash) => {
    let cached: string | undefined;
    return async (): Promise<string> => {
      if (override) return shape(override);
      cached ??= shape(await identity.endpoint({ type, ...(name ? { name } : {}) }));
      return cached;
    };
  };
  const computeSvc = new ServiceClient(http, resolver('compute', options.serviceNames?.compute, options.endpoints?.compute), 'compute');
  const networkSvc = new ServiceClient(http, resolver('network', options.serviceNames?.network, options.endpoints?.network, withV2), 'network');
  const storageSvc = new ServiceClient(http, resolver('object-store', options.serviceNames?.objectStore, options.endpoints?.objectStore), 'object-store');

  const computeDeps: ComputeDeps = { sleep, now, logger, addSecret: (v) => redactor.add(v) };
  const storageDeps: ObjectStorageDeps = { auth: session, redactor, logger, retry, sleep, random, now };

  return {
    identity,
    compute: new ComputeFacet(computeSvc, computeDeps, options.createServer),
    network: new NetworkFacet(networkSvc, computeSvc, identity, options.endpoints?.network !== undefined),
    objectStorage: new ObjectStorageFacet(storageSvc, storageDeps),
    http,
    redactor,
    redact: (text: string) => redactor.redact(text),
  };
}

/** Options from a resolved env / clouds.yaml config, plus your overrides. */
export function optionsFromConfig(config: ResolvedCloudConfig, overrides: Partial<ClientOptions> = {}): ClientOptions {
  return {
    credentials: config.credentials,
    ...(config.region ? { region: config.region } : {}),
    ...(config.interface ? { interface: config.interface } : {}),
    ...overrides,
  };
}

/**
 * A client from the environment: OS_CLOUD selects a clouds.yaml cloud; otherwise the OS_*
 * variables are used directly.
 */
export function clientFromEnv(env: Env = process.env, overrides: Partial<ClientOptions> = {}, yaml: Omit<LoadCloudsYamlOptions, 'env'> = {}): OpenStackClient {
  const config = env.OS_CLOUD ? loadCloudsYaml({ ...yaml, env, cloud: yaml.cloud ?? env.OS_CLOUD }) : configFromEnv(env);
  if (env.OS_CLOUD && env.OS_REGION_NAME && !overrides.region) overrides = { ...overrides, region: env.OS_REGION_NAME };
  return createClient(optionsFromConfig(config, overrides));
}

