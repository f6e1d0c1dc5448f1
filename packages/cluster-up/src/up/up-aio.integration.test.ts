/**
 * `up --no-api-wait`, `status` and `down` against a REAL OpenStack (the all-in-one on loopback,
 * see /work/shared/openstack-aio/README.md): Keystone v3, Nova with the fake driver, Neutron,
 * Glance and Swift with tempurl. Nova's fake driver keeps only records: the servers' addresses
 * (10.x, 192.168.x, 203.0.113.x) are not on this machine and are never connected to, so the API
 * wait is off and status gets no apiUrl. Skipped, with a visible warning, when Keystone is not
 * reachable.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coreosLegacy, parse, validate } from '@rax-kube/cloud-config';
import type { OpenStackClient, Server } from '@rax-kube/openstack-client';
import { buildStandInRelease } from '@rax-kube/tarball-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../cloud/connect.js';
import { resolveConfig } from '../config/index.js';
import type { ClusterEvent } from '../events.js';
import { desiredCluster } from '../plan/desired.js';
import { publishRelease } from '../release/publish.js';
import type { PublishedRelease } from '../release/publish.js';
import { renderCluster } from '../render/render-cluster.js';
import { cloudProviderFromCredentials } from '../render/cloud-provider.js';
import { generateSecrets } from '../secrets/store.js';
import { generateSshKeyPair } from '../ssh/openssh-key.js';
import { down } from './down.js';
import type { DownResult } from './down.js';
import { status } from './status.js';
import { up } from './up.js';
import type { UpOptions, UpResult } from './up.js';

type Env = Record<string, string | undefined>;

/** `export KEY='value'` / `KEY=value` lines, as start.sh writes aio.env. */
function parseEnvFile(text: string): Env {
  const env: Env = {};
  for (const line of text.split('\n')) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    let value = (match[2] ?? '').trim();
    if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) value = value.slice(1, -1).replace(/'\\''/g, "'");
    else if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    env[match[1] ?? ''] = value;
  }
  return env;
}

async function aioEnv(): Promise<{ env: Env } | { skip: string }> {
  const file = process.env.RAX_KUBE_AIO_ENV ?? '/var/tmp/os-aio/aio.env';
  let env: Env;
  if (existsSync(file)) env = parseEnvFile(readFileSync(file, 'utf8'));
  else if (process.env.OS_AUTH_URL) env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('OS_')));
  else return { skip: `no ${file} and no OS_AUTH_URL in the environment` };
  const authUrl = env.OS_AUTH_URL;
  if (!authUrl) return { skip: `${file} has no OS_AUTH_URL` };
  try {
    const res = await fetch(authUrl, { signal: AbortSignal.timeout(3000) });
    if (res.status >= 500) return { skip: `Keystone at ${authUrl} answers ${res.status}` };
  } catch (error) {
    return { skip: `Keystone at ${authUrl} is not reachable (${(error as Error).message})` };
  }
  return { env };
}

const target = await aioEnv();
if ('skip' in target) console.warn(`up/down against openstack-aio SKIPPED: ${target.skip}`);

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const resources = (events: ClusterEvent[], action: 'created' | 'reused' | 'deleted') =>
  events.flatMap((e) => (e.type === 'resource' && e.action === action ? [e.kind] : []));

/**
 * This cloud's Nova runs on SQLite and now and then answers a DELETE with 204, then fails in the
 * compute service ("database is locked") without even reverting the task state: the server stays
 * ACTIVE with task state "deleting" for good, and Nova ignores any further DELETE ("already in
 * deleting state"). No client can do anything about that but an admin's reset-state, which this
 * does (the test runs as admin) so that a second `down` can finish. Returns the servers it reset.
 */
async function resetStuckDeletes(client: OpenStackClient, prefix: string): Promise<string[]> {
  const stuck = (await collect(client.compute.servers.list({ name: `^${prefix}-` }))).filter((s) => s['OS-EXT-STS:task_state'] === 'deleting');
  for (const server of stuck) await client.compute.service.request('POST', `/servers/${server.id}/action`, { json: { 'os-resetState': { state: 'active' } } });
  return stuck.map((s) => s.name);
}

const ipv4sOn = (server: Server, network: string): string[] => (server.addresses?.[network] ?? []).filter((a) => a.version === 4).map((a) => a.addr);

describe.skipIf('skip' in target)('up --no-api-wait / status / down against the real OpenStack all-in-one', () => {
  const env: Env = 'env' in target ? target.env : {};
  const prefix = `rk-aio-${randomBytes(4).toString('hex')}`;
  // A keypair of its own: the default name (id_kubernetes) may hold someone else's key, and cleanup deletes it.
  const config = resolveConfig({
    env: { NUM_NODES: '2', KUBE_IMAGE: 'aio-tiny', KUBE_MASTER_FLAVOR: 'm1.tiny', KUBE_NODE_FLAVOR: 'm1.tiny', INSTANCE_PREFIX: prefix, SSH_KEY_NAME: `${prefix}-key`, CLOUD_PROFILE: 'openstack' },
  });
  const desired = desiredCluster(config);
  const releaseContainer = `${prefix}-releases`;
  const secrets = generateSecrets();
  const key = generateSshKeyPair('rsa', `${prefix}@rax-kube-test`);
  let client: OpenStackClient;
  let cloudProvider: coreosLegacy.CloudProviderConfig;
  let dir: string;
  let tarball: string;
  const published: PublishedRelease[] = [];
  let firstUp: UpResult | undefined;

  const options = (): UpOptions => ({
    config,
    profile: 'openstack',
    secrets,
    sshPublicKey: key.publicKey,
    cloudProvider,
    publishRelease: async () => {
      const release = await publishRelease({ objectStorage: client.objectStorage, source: { kind: 'path', tarball }, owner: 'aio-e2e', container: releaseContainer, containerPrefix: config.containerPrefix, env: {}, cwd: dir, home: dir });
      published.push(release);
      return { url: release.url, sha256: release.upload.digests.sha256, expiresAt: release.expiresAt };
    },
    apiWait: false,
    activeDeadlineMs: 240_000,
  });

  beforeAll(async () => {
    const connection = connect(env);
    client = connection.client;
    cloudProvider = cloudProviderFromCredentials('openstack', { ...connection.credentials }, connection.region);
    dir = await mkdtemp(join(tmpdir(), 'rax-kube-up-aio-'));
    tarball = (await buildStandInRelease(dir)).path;
  }, 60_000);

  afterAll(async () => {
    if (!client) return;
    const problems: string[] = [];
    const attempt = async (what: string, work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (error) {
        problems.push(`${what}: ${(error as Error).message}`);
      }
    };
    const release = published[0]?.upload;
    const downAll = () => down({ config, deadlineMs: 60_000, deleteKeypair: true, ...(release ? { deleteRelease: { container: release.container, object: release.object } } : {}) }, { client, emit: () => undefined });
    await attempt('down', async () => {
      try {
        await downAll();
      } catch (error) {
        if ((await resetStuckDeletes(client, prefix)).length === 0) throw error;
        await downAll();
      }
    });
    await attempt('keypair', () => client.compute.keypairs.delete(config.sshKeyName, { ignoreMissing: true }));
    await attempt('release container', () => client.objectStorage.deleteContainerRecursive(releaseContainer));
    if (dir) await rm(dir, { recursive: true, force: true });
    if (problems.length > 0) console.warn(`up-aio cleanup of ${prefix} left something behind: ${problems.join('; ')}`);
  }, 300_000);

  it('up creates the master and 2 nodes, ACTIVE, each with the user data, metadata, keypair, network and config drive cluster-up asked for', async () => {
    const events: ClusterEvent[] = [];
    const result = await up(options(), { client, emit: (e) => events.push(e) });
    firstUp = result;
    expect(result.planLines).toEqual(['network: create', 'subnet: create', 'master port: create', 'keypair: create', 'servers: 3 to create, 0 to reuse, 0 to replace']);
    expect(result.master?.name).toBe(`${prefix}-master`);
    expect(result.master?.status).toBe('ACTIVE');
    expect(result.nodes.map((n) => [n.name, n.status])).toEqual([
      [`${prefix}-node-1`, 'ACTIVE'],
      [`${prefix}-node-2`, 'ACTIVE'],
    ]);
    // No API wait: the URL is only reported, never probed (the address is not on this machine).
    expect(result.api).toMatchObject({ healthy: false, waitedMs: 0 });
    expect(events.some((e) => e.type === 'step-started' && e.step === 'api')).toBe(false);
    const created = resources(events, 'created');
    expect(created.filter((k) => k === 'server')).toHaveLength(3);
    expect(created.filter((k) => k !== 'server').sort()).toEqual(['keypair', 'network', 'port', 'subnet']);

    // The release is in the real Swift, and its temp URL (loopback proxy) serves exactly those bytes.
    const release = published[0];
    expect(release?.upload.container).toBe(releaseContainer);
    const releaseUrl = new URL(release?.url ?? '');
    expect(['127.0.0.1', 'localhost', '[::1]']).toContain(releaseUrl.hostname);
    const download = await fetch(releaseUrl, { signal: AbortSignal.timeout(10_000) });
    expect(download.status).toBe(200);
    expect(createHash('sha256').update(Buffer.from(await download.arrayBuffer())).digest('hex')).toBe(release?.upload.digests.sha256);

    // What cluster-up rendered for each machine, from the same inputs.
    const rendered = renderCluster(config, {
      secrets,
      cloudProvider,
      release: { url: release?.url ?? '', sha256: release?.upload.digests.sha256 ?? '' },
      interfaces: coreosLegacy.SINGLE_NETWORK_INTERFACES,
    });
    const renderedByName = new Map([rendered.master, ...rendered.nodes].map((m) => [m.name, m.userData]));

    // The network, subnet and master port, as Neutron holds them.
    const networks = await collect(client.network.networks.list({ name: desired.network.name }));
    expect(networks).toHaveLength(1);
    const network = networks[0];
    if (!network) throw new Error('no cluster network');
    expect(network.description).toBe(`rax-kube cluster ${prefix}`);
    const subnets = await collect(client.network.subnets.list({ network_id: network.id }));
    expect(subnets.map((s) => [s.name, s.cidr])).toEqual([[desired.network.subnetName, '192.168.0.0/24']]);
    const pools = subnets[0]?.allocation_pools ?? [];
    expect(pools).toEqual(desired.network.allocationPools);
    const masterPorts = await collect(client.network.ports.list({ name: desired.network.masterPortName }));
    expect(masterPorts).toHaveLength(1);
    const masterPort = masterPorts[0];
    expect(masterPort?.network_id).toBe(network.id);
    expect(masterPort?.fixed_ips.map((f) => f.ip_address)).toEqual(['192.168.0.2']);
    expect(masterPort?.device_id).toBe(result.master?.id);

    const machines = [result.master, ...result.nodes];
    for (const [index, machine] of machines.entries()) {
      if (!machine) throw new Error('missing machine');
      const role = index === 0 ? 'master' : 'node';
      const server = await client.compute.servers.get(machine.id, { microversion: '2.3' });
      expect(server.name).toBe(machine.name);
      expect(server.status).toBe('ACTIVE');
      expect(server.metadata).toMatchObject({ 'rax-kube-cluster': prefix, 'rax-kube-role': role, 'rax-kube-index': String(index) });
      expect(server.key_name).toBe(config.sshKeyName);
      // Nova answers config_drive as the string "True" (or "" when off).
      expect(String(server.config_drive).toLowerCase()).toMatch(/^(true|1)$/);

      const encoded = server['OS-EXT-SRV-ATTR:user_data'];
      expect(typeof encoded).toBe('string');
      const userData = Buffer.from(encoded ?? '', 'base64').toString('utf8');
      expect(userData).toBe(renderedByName.get(server.name));
      const doc = parse(userData);
      expect(doc.hostname).toBe(server.name);
      expect(validate(doc).valid).toBe(true);
      const units = (doc.coreos?.units ?? []).map((u) => u.name);
      expect(units).toContain(role === 'master' ? 'kube-apiserver.service' : 'kubelet.service');
      expect(units).not.toContain(role === 'master' ? 'kubelet.service' : 'kube-apiserver.service');

      // On the cluster network: the master through its fixed-IP port, the nodes from the pool.
      const addresses = ipv4sOn(server, desired.network.name);
      const ports = await collect(client.network.ports.list({ device_id: server.id }));
      expect(ports.map((p) => p.network_id)).toEqual([network.id]);
      if (role === 'master') {
        expect(addresses).toEqual(['192.168.0.2']);
        expect(ports.map((p) => p.id)).toEqual([masterPort?.id]);
      } else {
        expect(addresses).toHaveLength(1);
        expect(addresses[0]).toMatch(/^192\.168\.0\.\d+$/);
        expect(addresses[0]).not.toBe('192.168.0.2');
        expect(ports[0]?.fixed_ips.map((f) => f.ip_address)).toEqual(addresses);
      }
    }
  }, 300_000);

  it('status reports the three servers ACTIVE and the network, with no API check', async () => {
    const result = await status({ config }, { client });
    expect(result.servers.map((s) => [s.name, s.status])).toEqual([
      [`${prefix}-master`, 'ACTIVE'],
      [`${prefix}-node-1`, 'ACTIVE'],
      [`${prefix}-node-2`, 'ACTIVE'],
    ]);
    expect(result.missing).toEqual([]);
    expect(result.network?.name).toBe(desired.network.name);
    expect(result.api).toBeUndefined();
  }, 60_000);

  it('up again changes nothing: every resource reused, no server created', async () => {
    expect(firstUp).toBeDefined();
    const events: ClusterEvent[] = [];
    const result = await up(options(), { client, emit: (e) => events.push(e) });
    expect(result.planLines).toEqual(['network: reuse', 'subnet: reuse', 'master port: reuse', 'keypair: reuse', 'servers: 0 to create, 3 to reuse, 0 to replace']);
    expect(events.filter((e) => e.type === 'resource' && e.action !== 'reused')).toEqual([]);
    expect(resources(events, 'reused').sort()).toEqual(['keypair', 'network', 'port', 'server', 'server', 'server', 'subnet']);
    expect(events.filter((e) => e.type === 'step-progress' && e.step === 'servers')).toEqual([]);
    expect([result.master?.id, ...result.nodes.map((n) => n.id)]).toEqual([firstUp?.master?.id, ...(firstUp?.nodes ?? []).map((n) => n.id)]);
    // The same bytes were already in Swift: nothing uploaded the second time.
    expect(published[1]?.upload.uploaded).toBe(false);
    const servers = await collect(client.compute.servers.list({ name: `^${prefix}-` }));
    expect(servers).toHaveLength(3);
  }, 300_000);

  it('down removes the servers, the master port, the subnet and the network; a second down is a no-op', async () => {
    const events: ClusterEvent[] = [];
    const networkId = (await collect(client.network.networks.list({ name: desired.network.name })))[0]?.id;
    let first: DownResult;
    try {
      first = await down({ config, deadlineMs: 60_000 }, { client, emit: (e) => events.push(e) });
      expect(first.servers).toBe(3);
    } catch (error) {
      // Only this cloud's own failure is worked around (see resetStuckDeletes); anything else fails the test.
      const stuck = await resetStuckDeletes(client, prefix);
      if (stuck.length === 0) throw error;
      console.warn(`openstack-aio lost the delete of ${stuck.join(', ')} (Nova on SQLite, task state stuck at "deleting"); reset its state as an admin would and ran down again`);
      first = await down({ config, deadlineMs: 60_000 }, { client, emit: (e) => events.push(e) });
      expect(first.servers).toBe(stuck.length);
    }
    expect(first).toMatchObject({ ports: 1, subnets: 1, networks: 1, keypair: false, release: false });
    expect(resources(events, 'deleted').sort()).toEqual(['network', 'port', 'server', 'server', 'server', 'subnet']);
    // Nova on SQLite sometimes drops a DELETE it answered 204 ("database is locked"); down sends it again.
    const resent = events.flatMap((e) => (e.type === 'step-progress' && e.step === 'delete' ? [e.message] : []));
    if (resent.length > 0) console.info(`down re-sent dropped deletes: ${resent.join('; ')}`);

    const servers = (await collect(client.compute.servers.list({ name: `^${prefix}-` }))).filter((s) => s.status !== 'DELETED');
    expect(servers.map((s) => s.name)).toEqual([]);
    expect(await collect(client.network.networks.list({ name: desired.network.name }))).toEqual([]);
    expect(await collect(client.network.ports.list({ name: desired.network.masterPortName }))).toEqual([]);
    expect(networkId).toBeDefined();
    expect(await collect(client.network.subnets.list({ network_id: networkId ?? '' }))).toEqual([]);

    const again = await down({ config, deadlineMs: 60_000 }, { client, emit: () => undefined });
    expect(again).toMatchObject({ servers: 0, ports: 0, subnets: 0, networks: 0 });
  }, 300_000);
});
