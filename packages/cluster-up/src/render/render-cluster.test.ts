import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '@rax-kube/cloud-config';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/index.js';
import { generateSecrets } from '../secrets/store.js';
import { cloudProfileFor, cloudProviderFromEnv, PLACEHOLDER_PREFIX } from './cloud-provider.js';
import { PLACEHOLDER_RELEASE_URL, renderCluster, writeRenderedCluster } from './render-cluster.js';

let out: string | undefined;
afterEach(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

describe('renderCluster', () => {
  it('renders and writes every machine and the token file, 0600, with placeholders marked', async () => {
    const config = resolveConfig({ env: { NUM_NODES: '3' } });
    const { provider, placeholders } = cloudProviderFromEnv('rackspace', {});
    expect(placeholders).toEqual(['OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD', 'OS_REGION_NAME', 'OS_TENANT_NAME']);
    const rendered = renderCluster(config, { secrets: generateSecrets(), cloudProvider: provider, release: { url: PLACEHOLDER_RELEASE_URL } });
    out = await mkdtemp(join(tmpdir(), 'rax-kube-render-'));
    const files = await writeRenderedCluster(join(out, 'cluster'), rendered);
    expect((await readdir(join(out, 'cluster'))).sort()).toEqual(['known_tokens.csv', 'master.yaml', 'node-1.yaml', 'node-2.yaml', 'node-3.yaml']);
    for (const file of files) expect((await stat(file)).mode & 0o777).toBe(0o600);
    const master = await readFile(join(out, 'cluster', 'master.yaml'), 'utf8');
    expect(master).toContain(`${PLACEHOLDER_PREFIX}OS_PASSWORD`);
    expect(master).toContain('RAX_KUBE_PLACEHOLDER_RELEASE_URL');
    expect(parse(await readFile(join(out, 'cluster', 'node-2.yaml'), 'utf8')).hostname).toBe('kubernetes-node-2');
    expect((await readFile(join(out, 'cluster', 'known_tokens.csv'), 'utf8')).trim().split('\n')).toHaveLength(6 + 2 * 3);
  });

  it('uses the static etcd bootstrap unless a discovery URL is configured', () => {
    const secrets = generateSecrets();
    const { provider } = cloudProviderFromEnv('openstack', { OS_AUTH_URL: 'http://k/v3', OS_USERNAME: 'u', OS_PASSWORD: 'p', OS_REGION_NAME: 'R', OS_PROJECT_NAME: 'demo' });
    const inputs = { secrets, cloudProvider: provider, release: { url: 'https://x.invalid/r' } };
    const staticEtcd = renderCluster(resolveConfig({ env: { NUM_NODES: '1' } }), inputs);
    expect(staticEtcd.master.document.coreos?.etcd2?.initial_cluster).toBe('master=http://192.168.0.2:2380');
    const discovery = renderCluster(resolveConfig({ env: { NUM_NODES: '1', ETCD_DISCOVERY: 'https://discovery.etcd.io/t' } }), inputs);
    expect(discovery.nodes[0]?.document.coreos?.etcd2?.discovery).toBe('https://discovery.etcd.io/t');
  });

  it('picks the cloud profile from the configuration, else from the auth URL', () => {
    expect(cloudProfileFor({}, {})).toBe('rackspace');
    expect(cloudProfileFor({}, { OS_AUTH_URL: 'https://identity.api.rackspacecloud.com/v2.0/' })).toBe('rackspace');
    expect(cloudProfileFor({}, { OS_AUTH_URL: 'http://127.0.0.1:5000/v3' })).toBe('openstack');
    expect(cloudProfileFor({ cloudProfile: 'rackspace' }, { OS_AUTH_URL: 'http://127.0.0.1:5000/v3' })).toBe('rackspace');
  });
});
