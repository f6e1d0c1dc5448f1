import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/index.js';
import type { ClusterEvent } from '../events.js';
import { startLocalCloud, localReleaseTarball } from '../local/local-cloud.js';
import type { LocalCloud } from '../local/local-cloud.js';
import { publishRelease } from '../release/publish.js';
import { cloudProviderFromEnv } from '../render/cloud-provider.js';
import { generateSecrets } from '../secrets/store.js';
import { generateSshKeyPair } from '../ssh/openssh-key.js';
import { down } from './down.js';
import { status } from './status.js';
import { up } from './up.js';
import type { UpOptions } from './up.js';

let home: string;
let cloud: LocalCloud;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'rax-kube-up-local-'));
  cloud = await startLocalCloud(home, { bootTimeMs: 200, deleteTimeMs: 50 });
});
afterAll(async () => {
  await cloud.close();
  await rm(home, { recursive: true, force: true });
});

function getHealthz(server: string, ca: string, authorization: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/healthz', server), { ca, headers: { authorization } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('up / status / down on the local cloud with 5 nodes', () => {
  const config = resolveConfig({ env: { NUM_NODES: '5' } });
  const secrets = generateSecrets();
  const key = generateSshKeyPair('ed25519', 'e2e');
  const events: ClusterEvent[] = [];
  const options = (): UpOptions => ({
    config,
    profile: 'rackspace',
    secrets,
    sshPublicKey: key.publicKey,
    cloudProvider: cloudProviderFromEnv('rackspace', cloud.env).provider,
    publishRelease: async () => {
      const tarball = await localReleaseTarball(home, {}, home);
      const published = await publishRelease({ objectStorage: cloud.client.objectStorage, source: { kind: 'path', tarball: tarball.path }, owner: 'e2e', containerPrefix: config.containerPrefix, env: {}, cwd: home, home });
      return { url: published.url, sha256: published.upload.digests.sha256, expiresAt: published.expiresAt };
    },
    kubeconfigPath: join(home, 'kube', 'config'),
    apiUrl: cloud.apiUrl,
    apiDeadlineMs: 30_000,
  });

  it('brings the cluster up, and the kubeconfig reaches the master with the credentials it holds', async () => {
    const result = await up(options(), { client: cloud.client, emit: (e) => events.push(e) });
    expect(result.master?.status).toBe('ACTIVE');
    expect(result.nodes.map((n) => n.name)).toEqual(['kubernetes-node-1', 'kubernetes-node-2', 'kubernetes-node-3', 'kubernetes-node-4', 'kubernetes-node-5']);
    expect(result.api?.healthy).toBe(true);
    expect(Object.keys(result.master?.addresses ?? {}).sort()).toEqual(['kubernetes-pool-net', 'private', 'public']);
    expect(result.master?.addresses['kubernetes-pool-net']).toEqual(['192.168.0.2']);
    const created = events.filter((e) => e.type === 'resource' && e.action === 'created').map((e) => (e.type === 'resource' ? e.kind : ''));
    expect(created.filter((k) => k === 'server')).toHaveLength(6);
    expect(created).toEqual(expect.arrayContaining(['network', 'subnet', 'port', 'keypair']));

    const kubeconfig = load(await readFile(join(home, 'kube', 'config'), 'utf8')) as {
      'current-context': string;
      clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority-data': string } }>;
      users: Array<{ name: string; user: { username: string; password: string; token: string } }>;
    };
    expect(kubeconfig['current-context']).toBe('rackspace_kubernetes');
    const cluster = kubeconfig.clusters.find((c) => c.name === 'rackspace_kubernetes')?.cluster;
    const user = kubeconfig.users.find((u) => u.name === 'rackspace_kubernetes')?.user;
    const ca = Buffer.from(cluster?.['certificate-authority-data'] ?? '', 'base64').toString('utf8');
    const basic = `Basic ${Buffer.from(`${user?.username}:${user?.password}`).toString('base64')}`;
    expect(await getHealthz(cluster?.server ?? '', ca, basic)).toEqual({ status: 200, body: 'ok' });
    expect(await getHealthz(cluster?.server ?? '', ca, `Bearer ${user?.token}`)).toEqual({ status: 200, body: 'ok' });
    expect((await getHealthz(cluster?.server ?? '', ca, `Basic ${Buffer.from('admin:wrong').toString('base64')}`)).status).toBe(401);
  });

  it('reports every server and a healthy API in status', async () => {
    const result = await status({ config, apiUrl: cloud.apiUrl, credentials: { username: secrets.adminUser, password: secrets.adminPassword } }, { client: cloud.client });
    expect(result.servers.map((s) => [s.name, s.status])).toEqual([
      ['kubernetes-master', 'ACTIVE'],
      ['kubernetes-node-1', 'ACTIVE'],
      ['kubernetes-node-2', 'ACTIVE'],
      ['kubernetes-node-3', 'ACTIVE'],
      ['kubernetes-node-4', 'ACTIVE'],
      ['kubernetes-node-5', 'ACTIVE'],
    ]);
    expect(result.missing).toEqual([]);
    expect(result.api?.healthy).toBe(true);
  });

  it('changes nothing when run again', async () => {
    const before = cloud.sim.state.countRequests('POST', /\/servers$/);
    events.length = 0;
    const result = await up(options(), { client: cloud.client, emit: (e) => events.push(e) });
    expect(result.planLines).toEqual(['network: reuse', 'subnet: reuse', 'master port: reuse', 'keypair: reuse', 'servers: 0 to create, 6 to reuse, 0 to replace']);
    expect(events.filter((e) => e.type === 'resource' && e.action !== 'reused')).toEqual([]);
    expect(cloud.sim.state.countRequests('POST', /\/servers$/)).toBe(before);
    expect(cloud.sim.state.servers()).toHaveLength(6);
  });

  it('down leaves nothing of the cluster, and is itself idempotent', async () => {
    const first = await down({ config }, { client: cloud.client, emit: () => undefined });
    expect(first).toMatchObject({ servers: 6, networks: 1, subnets: 1, ports: 1 });
    expect(cloud.sim.state.servers()).toEqual([]);
    expect(cloud.sim.state.networks().filter((n) => n.name === 'kubernetes-pool-net')).toEqual([]);
    expect(cloud.sim.state.ports()).toEqual([]);
    expect(await down({ config }, { client: cloud.client, emit: () => undefined })).toMatchObject({ servers: 0, networks: 0 });
  });
});
