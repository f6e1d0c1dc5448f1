import { coreosLegacy } from '@rax-kube/cloud-config';
import type { ClusterSecrets } from '@rax-kube/cloud-config';
import { randomUUID } from 'node:crypto';
import { buildCreateServerBody, defaultSleep, IDEMPOTENCY_METADATA_KEY, RACKSPACE_PUBLICNET_ID, RACKSPACE_SERVICENET_ID, serverIPv4 } from '@rax-kube/openstack-client';
import type { CreateServerOptions, OpenStackClient, Server, ServerNetwork } from '@rax-kube/openstack-client';
import { probeHealthz } from '../api/healthz.js';
import type { HealthProbe, ProbeTarget } from '../api/healthz.js';
import type { ClusterConfig, CloudProfile } from '../config/index.js';
import { ClusterOperationError } from '../errors.js';
import { step } from '../events.js';
import type { EventSink } from '../events.js';
import { writeKubeconfig } from '../kubeconfig/merge.js';
import { desiredCluster } from '../plan/desired.js';
import type { DesiredCluster, DesiredServer } from '../plan/desired.js';
import { describePlan, plan } from '../plan/plan.js';
import type { Plan } from '../plan/plan.js';
import { machineRenderer } from '../render/render-cluster.js';
import { collect } from '../util/collect.js';
import { mapBounded } from '../util/pool.js';
import { produceAhead } from '../util/ahead.js';
import { paced, publishedPacer } from '../util/pacer.js';
import type { RatePacer } from '../util/pacer.js';
import { pollDelayMs } from '../util/poll.js';
import { withRateLimitPatience } from '../util/rate-limit.js';
import { createOnce } from './create-once.js';
import { deleteServers } from './delete-server.js';
import { byMachineOrder, clusterServers, observe, ownerDescription } from './observe.js';

export interface ReleaseLocation {
  /** Temp URL the machines download from (a secret). */
  url: string;
  sha256: string;
  expiresAt: Date;
}

export interface UpOptions {
  config: ClusterConfig;
  profile: CloudProfile;
  secrets: ClusterSecrets;
  sshPublicKey: string;
  cloudProvider: coreosLegacy.CloudProviderConfig;
  /** Uploads (or finds) the release and signs its URL; runs alongside the network and keypair work. */
  publishRelease: () => Promise<ReleaseLocation>;
  /** Wait for the API's /healthz (default true); false stops once the servers are ACTIVE. */
  apiWait?: boolean;
  apiDeadlineMs?: number;
  activeDeadlineMs?: number;
  /** Server creates in flight at once. */
  concurrency?: number;
  dryRun?: boolean;
  /** Kubeconfig file to merge the cluster's context into; not written when undefined. */
  kubeconfigPath?: string;
  /** How the master's API is reached; default `https://<its IPv4>` (public on Rackspace). */
  apiUrl?: (master: Server) => Promise<string | undefined>;
}

export interface UpDeps {
  client: OpenStackClient;
  emit: EventSink;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  probe?: (target: ProbeTarget) => Promise<HealthProbe>;
}

export interface MachineSummary {
  name: string;
  id: string;
  status: string;
  addresses: Record<string, string[]>;
}

export interface UpResult {
  plan: Plan;
  planLines: string[];
  dryRun: boolean;
  master?: MachineSummary;
  nodes: MachineSummary[];
  api?: { url: string; healthy: boolean; waitedMs: number };
  kubeconfig?: { path: string; context: string };
}


export function contextName(cluster: string): string {
  return `rackspace_${cluster}`;
}

export function summarize(server: Server): MachineSummary {
  const addresses: Record<string, string[]> = {};
  for (const [network, list] of Object.entries(server.addresses ?? {})) addresses[network] = list.map((a) => a.addr);
  return { name: server.name, id: server.id, status: server.status, addresses };
}

/**
 * Brings the cluster to what `config` describes: plans against what exists, then creates only
 * what is missing, with the release upload, the network and the keypair in parallel and the
 * servers created concurrently (bounded). Safe to re-run after any failure or interruption.
 */
export async function up(options: UpOptions, deps: UpDeps): Promise<UpResult> {
  const { client, emit } = deps;
  const sleep = deps.sleep ?? defaultSleep;
  const now = deps.now ?? Date.now;
  const desired = desiredCluster(options.config);

  // The release does not depend on the plan, so its upload starts alongside it (never on a dry
  // run). If the plan fails, up lets the upload end before it throws, leaving nothing running.
  const releasing = options.dryRun ? undefined : step(emit, 'release', 'Upload the release and sign its URL', options.publishRelease, (r) => `machines download it until ${r.expiresAt.toISOString()}`);
  releasing?.catch(() => undefined); // its failure is thrown where it is awaited, below
  const thePlan = await step(emit, 'plan', 'Compare the cluster with the cloud', async () => plan(desired, await observe(client, desired), options.sshPublicKey), (p) => describePlan(p).join('; ')).catch(
    async (error: unknown) => {
      await releasing?.catch(() => undefined);
      throw error;
    },
  );
  const planLines = describePlan(thePlan);
  if (!releasing) return { plan: thePlan, planLines, dryRun: true, nodes: [] };

  // The image and flavors are looked up alongside the release, network and keypair, not after them.
  const lookups = Promise.all([client.compute.images.find(options.config.image), client.compute.flavors.find(options.config.masterFlavor), client.compute.flavors.find(options.config.nodeFlavor)]);
  const keypair = step(emit, 'keypair', `Ensure keypair ${desired.keypairName}`, () => ensureKeypair(client, desired, thePlan, options.sshPublicKey, emit, sleep), (action) => `${action} keypair ${desired.keypairName}`);
  // The cloud's published rate limits are read once up's other compute calls are done (so what
  // they say is left is what the creates can spend), while the network and release still run.
  const pacing = Promise.all([keypair, lookups]).then(() => publishedPacer(client, 'POST', '/servers', { now, sleep }), () => undefined);
  const [release, network, , [image, masterFlavor, nodeFlavor], pacer] = await Promise.all([
    releasing,
    step(emit, 'network', `Ensure network ${desired.network.name}`, () => ensureNetwork(client, desired, thePlan, emit, sleep), (n) => `network ${n.networkId}, master port ${n.portId}`),
    keypair,
    lookups,
    pacing,
  ]);

  // User data is rendered only for the machines to create, one machine per turn of the event loop
  // in the background, so rendering overlaps the creates in flight instead of holding back the
  // first one, and never delays a request already on its way (which would bunch them up against
  // the rate limit).
  const render = machineRenderer(options.config, {
    secrets: options.secrets,
    cloudProvider: options.cloudProvider,
    release: { url: release.url, sha256: release.sha256 },
    interfaces: options.profile === 'rackspace' ? coreosLegacy.RACKSPACE_INTERFACES : coreosLegacy.SINGLE_NETWORK_INTERFACES,
  });

  await step(emit, 'servers', `Create servers (up to ${options.concurrency ?? 10} at once)`, async () => {
    if (thePlan.deleteServers.length > 0) {
      await deleteServers(client, thePlan.deleteServers, { cluster: desired.name, concurrency: options.concurrency ?? 10, deadlineMs: options.activeDeadlineMs ?? 1_800_000, emit, step: 'servers', sleep, now });
    }
    const toCreate = thePlan.servers.filter((s) => s.action !== 'reuse');
    for (const reused of thePlan.servers.filter((s) => s.action === 'reuse')) emit({ type: 'resource', action: 'reused', kind: 'server', name: reused.desired.name, id: reused.id ?? '' });
    if (pacer && toCreate.length > 0) emit({ type: 'step-progress', step: 'servers', message: `paced by the cloud's published rate limits: ${pacer.describe('POST', '/servers').join('; ')}` });
    const userData = produceAhead(toCreate.map((s) => s.desired), (server) => render(server).userData);
    let created = 0;
    try {
      await mapBounded(toCreate, options.concurrency ?? 10, async ({ desired: server }) => {
        const id = await createServer(client, sleep, pacer, {
          name: server.name,
          imageRef: image.id,
          flavorRef: (server.role === 'master' ? masterFlavor : nodeFlavor).id,
          keyName: desired.keypairName,
          metadata: server.metadata,
          userData: await userData.get(server),
          configDrive: true,
          networks: serverNetworks(options.profile, server, network),
        });
        created++;
        emit({ type: 'resource', action: 'created', kind: 'server', name: server.name, id });
        emit({ type: 'step-progress', step: 'servers', message: `${created}/${toCreate.length} created`, done: created, total: toCreate.length });
      });
    } finally {
      userData.stop();
    }
    return toCreate.length;
  }, (count) => `${count} created, ${thePlan.servers.length - count} reused`);

  const servers = await step(emit, 'active', 'Wait for every server to be ACTIVE', () => waitAllActive(client, desired, emit, sleep, now, options.activeDeadlineMs ?? 1_800_000), (list) => `${list.length} servers ACTIVE`);
  const master = servers.find((s) => s.name === desired.servers[0]?.name);
  if (!master) throw new ClusterOperationError('SERVER_VANISHED', `${desired.servers[0]?.name} vanished after it became ACTIVE`);
  const result: UpResult = { plan: thePlan, planLines, dryRun: false, master: summarize(master), nodes: servers.filter((s) => s !== master).sort(byMachineOrder).map(summarize) };

  const url = (await (options.apiUrl ?? ((server: Server) => Promise.resolve(masterApiUrl(server, options.profile, desired.network.name))))(master)) ?? undefined;
  let certificatePem: string | undefined;
  if (options.apiWait !== false && url) {
    const started = now();
    const deadline = options.apiDeadlineMs ?? 900_000;
    const probe = deps.probe ?? probeHealthz;
    const health = await step(emit, 'api', `Wait for the API at ${url}/healthz (up to ${Math.round(deadline / 1000)} s)`, async () => {
      let delay = 1000;
      for (;;) {
        const answer = await probe({ server: url, username: options.secrets.adminUser, password: options.secrets.adminPassword });
        if (answer.ok) return answer;
        const waited = now() - started;
        if (waited >= deadline) {
          throw new ClusterOperationError('API_TIMEOUT', `the API at ${url} did not answer /healthz within ${Math.round(deadline / 1000)} s (last: ${answer.error ?? 'no answer'}); the machines may still be downloading the release: run up again to keep waiting`);
        }
        emit({ type: 'step-progress', step: 'api', message: `not yet (${answer.error ?? 'no answer'}), ${Math.round(waited / 1000)} s` });
        await sleep(Math.min(delay, deadline - waited));
        delay = Math.min(delay * 2, 15_000);
      }
    }, () => `API healthy after ${Math.round((now() - started) / 1000)} s`);
    certificatePem = health.certificatePem;
    result.api = { url, healthy: true, waitedMs: now() - started };
  } else if (url) {
    result.api = { url, healthy: false, waitedMs: 0 };
  }

  if (options.kubeconfigPath && url) {
    const path = options.kubeconfigPath;
    await step(emit, 'kubeconfig', `Merge context ${contextName(desired.name)} into ${path}`, async () => {
      await writeKubeconfig(path, {
        name: contextName(desired.name),
        server: url,
        ...(certificatePem ? { certificateAuthorityPem: certificatePem } : {}),
        username: options.secrets.adminUser,
        password: options.secrets.adminPassword,
        token: options.secrets.adminToken,
      });
    }, () => `kubectl --context ${contextName(desired.name)} get nodes`);
    result.kubeconfig = { path, context: contextName(desired.name) };
  }
  return result;
}

interface NetworkIds {
  networkId: string;
  subnetId: string;
  portId: string;
}

async function ensureNetwork(client: OpenStackClient, desired: DesiredCluster, p: Plan, emit: EventSink, sleep: (ms: number) => Promise<void>): Promise<NetworkIds> {
  const spec = desired.network;
  const marker = ownerDescription(desired.name);
  let networkId: string;
  if (p.network.action === 'reuse') {
    networkId = p.network.id;
    emit({ type: 'resource', action: 'reused', kind: 'network', name: spec.name, id: networkId });
  } else {
    networkId = (
      await createOnce(
        () => client.network.networks.create({ name: spec.name, description: marker }),
        async () => (await collect(client.network.networks.list({ name: spec.name }))).find((n) => n.description === marker),
        { sleep },
      )
    ).id;
    emit({ type: 'resource', action: 'created', kind: 'network', name: spec.name, id: networkId });
  }
  for (const extra of p.deleteNetworks) {
    await client.network.networks.delete(extra, { ignoreMissing: true });
    emit({ type: 'resource', action: 'deleted', kind: 'network', name: spec.name, id: extra });
  }
  let subnetId: string;
  if (p.subnet.action === 'reuse' && p.network.action === 'reuse') {
    subnetId = p.subnet.id;
    emit({ type: 'resource', action: 'reused', kind: 'subnet', name: spec.subnetName, id: subnetId });
  } else {
    subnetId = (
      await createOnce(
        () => client.network.subnets.create({ networkId, cidr: spec.cidr, name: spec.subnetName, description: marker, allocationPools: spec.allocationPools }),
        async () => (await collect(client.network.subnets.list({ network_id: networkId }))).find((s) => s.name === spec.subnetName && s.cidr === spec.cidr),
        { sleep },
      )
    ).id;
    emit({ type: 'resource', action: 'created', kind: 'subnet', name: spec.subnetName, id: subnetId });
  }
  let portId: string;
  if (p.masterPort.action === 'reuse' && p.network.action === 'reuse') {
    portId = p.masterPort.id;
    emit({ type: 'resource', action: 'reused', kind: 'port', name: spec.masterPortName, id: portId });
  } else {
    portId = (
      await createOnce(
        () => client.network.ports.create({ networkId, name: spec.masterPortName, description: marker, fixedIps: [{ subnetId, ipAddress: spec.masterFixedIp }] }),
        async () => (await collect(client.network.ports.list({ network_id: networkId, name: spec.masterPortName })))[0],
        { sleep },
      )
    ).id;
    emit({ type: 'resource', action: 'created', kind: 'port', name: spec.masterPortName, id: portId });
  }
  return { networkId, subnetId, portId };
}

async function ensureKeypair(client: OpenStackClient, desired: DesiredCluster, p: Plan, publicKey: string, emit: EventSink, sleep: (ms: number) => Promise<void>): Promise<'reused' | 'created'> {
  if (p.keypair.action === 'reuse') {
    emit({ type: 'resource', action: 'reused', kind: 'keypair', name: desired.keypairName, id: desired.keypairName });
    return 'reused';
  }
  await createOnce(() => client.compute.keypairs.create(desired.keypairName, publicKey), () => client.compute.keypairs.find(desired.keypairName), { sleep });
  emit({ type: 'resource', action: 'created', kind: 'keypair', name: desired.keypairName, id: desired.keypairName });
  return 'created';
}

/** Rackspace attaches only the networks named, so PublicNet and ServiceNet are listed explicitly. */
export function serverNetworks(profile: CloudProfile, server: DesiredServer, ids: NetworkIds): ServerNetwork[] {
  const cloudNetwork: ServerNetwork = server.role === 'master' ? { port: ids.portId } : { uuid: ids.networkId };
  return profile === 'rackspace' ? [{ uuid: RACKSPACE_PUBLICNET_ID }, { uuid: RACKSPACE_SERVICENET_ID }, cloudNetwork] : [cloudNetwork];
}

/**
 * Creates one server and returns its id, never two of it. The client's `servers.create` follows
 * its POST with a GET of the new server: up only needs the id (the ACTIVE wait lists them all),
 * and that GET doubled the calls spent against a rate limit; worse, when the GET was the call
 * rate-limited past the client's retries, up sent the create again and made a duplicate. So the
 * POST is sent here, with the client's body and an idempotency token in the metadata: a
 * rate-limit refusal did nothing, so it is sent again after Retry-After; a lost answer is looked
 * up by name and token before the create is ever re-sent (createOnce).
 */
async function createServer(client: OpenStackClient, sleep: (ms: number) => Promise<void>, pacer: RatePacer | undefined, server: CreateServerOptions): Promise<string> {
  const token = randomUUID();
  const { body, microversion } = buildCreateServerBody(server, token);
  if (typeof server.userData === 'string') {
    client.redactor.add(server.userData);
    client.redactor.add(Buffer.from(server.userData).toString('base64'));
  }
  const post = () => paced(pacer, 'POST', '/servers', () => client.compute.service.request<{ server: { id: string } }>('POST', '/servers', { json: body, ...(microversion ? { microversion } : {}) }));
  return createOnce(
    async () => (await withRateLimitPatience(sleep, post)).body.server.id,
    async () => (await withRateLimitPatience(sleep, () => client.compute.servers.findByName(server.name))).find((s) => s.metadata?.[IDEMPOTENCY_METADATA_KEY] === token)?.id,
    { sleep },
  );
}

/** One list call per poll for the whole cluster, not one GET per server (see pollDelayMs for how often). */
async function waitAllActive(
  client: OpenStackClient,
  desired: DesiredCluster,
  emit: EventSink,
  sleep: (ms: number) => Promise<void>,
  now: () => number,
  deadlineMs: number,
): Promise<Server[]> {
  const started = now();
  const wanted = new Set(desired.servers.map((s) => s.name));
  for (;;) {
    const servers = (await clusterServers(client, desired.name)).filter((s) => wanted.has(s.name));
    const counts = new Map<string, number>();
    for (const s of servers) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
    const twice = [...counts].filter(([, count]) => count > 1).map(([name]) => name);
    if (twice.length > 0) throw new ClusterOperationError('DUPLICATE_SERVERS', `${twice.length} server names exist more than once (${twice.slice(0, 3).join(', ')}${twice.length > 3 ? ', …' : ''}); run up again to remove the duplicates`);
    const failed = servers.find((s) => s.status === 'ERROR');
    if (failed) {
      const detail = await client.compute.servers.get(failed.id).catch(() => failed);
      throw new ClusterOperationError('SERVER_ERROR', `${failed.name} went into ERROR: ${detail.fault?.message ?? 'no fault message'}; run up again to replace it`);
    }
    const active = servers.filter((s) => s.status === 'ACTIVE');
    emit({ type: 'step-progress', step: 'active', message: `${active.length}/${wanted.size} ACTIVE`, done: active.length, total: wanted.size });
    if (active.length === wanted.size && servers.length === wanted.size) return active;
    if (now() - started > deadlineMs) throw new ClusterOperationError('ACTIVE_TIMEOUT', `only ${active.length} of ${wanted.size} servers became ACTIVE within ${Math.round(deadlineMs / 1000)} s`);
    await sleep(pollDelayMs(now() - started));
  }
}

/**
 * Where the master's API is, for up, status and the kubeconfig alike: its public IPv4 on Rackspace;
 * on OpenStack its address on the cluster's network (where the nodes reach it), else any IPv4.
 */
export function masterApiUrl(master: Server, profile: CloudProfile, clusterNetwork: string): string | undefined {
  const address = profile === 'rackspace' ? serverIPv4(master) : (serverIPv4(master, clusterNetwork) ?? serverIPv4(master));
  return address ? `https://${address}` : undefined;
}
