import { describe, expect, it } from 'vitest';
import type { CloudConfig, Unit } from '../../model.js';
import { parseUnitFile, unitValues } from '../../systemd/unit-file.js';
import { NOVA_USER_DATA_LIMIT } from '../../user-data.js';
import { parse } from '../../yaml.js';
import { defaultTestParams } from './fixtures.js';
import { COREOS_IMAGE, RELEASE_EXECUTABLES, SINGLE_NETWORK_INTERFACES, knownTokensCsv, nodeToken, renderMaster, renderNode } from './index.js';

const unitNames = (doc: CloudConfig) => (doc.coreos?.units ?? []).map((u) => u.name);
const unitByName = (doc: CloudConfig, name: string): Unit => {
  const found = doc.coreos?.units?.find((u) => u.name === name);
  if (!found) throw new Error(`no unit ${name}`);
  return found;
};
const fileByPath = (doc: CloudConfig, path: string) => {
  const found = doc.write_files?.find((f) => f.path === path);
  if (!found) throw new Error(`no file ${path}`);
  return found;
};
const unitTexts = (unit: Unit) => [unit.content, ...(unit.drop_ins ?? []).map((d) => d.content)].filter((t): t is string => t !== undefined);

/** Units a document may depend on without shipping them: its own, the image's, systemd's targets. */
function resolvableUnits(doc: CloudConfig): Set<string> {
  return new Set([...unitNames(doc), ...COREOS_IMAGE.units, 'network-online.target', 'network.target', 'multi-user.target']);
}

const DEPENDENCY_KEYS = ['Requires', 'Wants', 'After', 'Before', 'BindsTo', 'PartOf'];

describe('coreos-legacy profile', () => {
  const params = defaultTestParams();
  const master = renderMaster(params);
  const node = renderNode(params, 1);

  it('renders the master at default settings exactly as the golden file', async () => {
    await expect(master.userData).toMatchFileSnapshot('./__golden__/master.yaml');
  });

  it('renders node 1 at default settings exactly as the golden file', async () => {
    await expect(node.userData).toMatchFileSnapshot('./__golden__/node-1.yaml');
  });

  it('gives the master every file, section and unit of SPEC §1', () => {
    const doc = parse(master.userData);
    expect(doc.hostname).toBe('kubernetes-master');
    expect(Object.keys(doc.coreos ?? {})).toEqual(['etcd2', 'flannel', 'fleet', 'update', 'units']);
    expect(doc.coreos?.flannel).toEqual({ ip_masq: true, interface: 'eth2' });
    expect(doc.coreos?.fleet).toEqual({ public_ip: '$private_ipv4', metadata: 'kubernetes_role=master' });
    expect(doc.coreos?.update).toEqual({ reboot_strategy: 'off' });
    expect(unitNames(doc)).toEqual([
      'etcd2.service', 'fleet.service', 'flanneld.service', 'docker.service', 'download-release.service',
      'generate-serviceaccount-key.service', 'kube-known-tokens.service', 'kube-apiserver.service',
      'apiserver-advertiser.service', 'kube-controller-manager.service', 'kube-scheduler.service',
    ]);
    const secretFiles = ['/etc/cloud.conf', '/etc/kubernetes/release.env', '/var/lib/kube-apiserver/basic_auth.csv', '/etc/kubernetes/known_tokens.base.csv', '/etc/kubernetes/node-token.key'];
    for (const path of secretFiles) expect(fileByPath(doc, path).permissions, path).toBe('0600');
    expect(fileByPath(doc, '/opt/bin/download-release.sh').permissions).toBe('0755');
    expect(fileByPath(doc, '/etc/cloud.conf').content).toContain('api-key = "test-api-key"');
    expect(fileByPath(doc, '/var/lib/kube-apiserver/basic_auth.csv').content).toBe('test-admin-password,admin,admin\n');
  });

  it('gives each node every file, section and unit of SPEC §1, with its own bridge subnet', () => {
    const doc = parse(renderNode(params, 3).userData);
    expect(doc.hostname).toBe('kubernetes-node-3');
    expect(doc.coreos?.fleet?.metadata).toBe('kubernetes_role=node');
    expect(unitNames(doc)).toEqual([
      'etcd2.service', 'fleet.service', 'flanneld.service', 'docker.service', 'download-release.service',
      'apiserver-finder.service', 'kubelet.service', 'kube-proxy.service', 'cbr0.netdev', 'cbr0.network', 'nat.service',
    ]);
    expect(unitByName(doc, 'cbr0.network').content).toContain('Address=10.240.3.1/24');
    expect(unitByName(doc, 'cbr0.network').command).toBeUndefined();
    const nat = parseUnitFile(unitByName(doc, 'nat.service').content ?? '').unit;
    expect(unitValues(nat, 'Service', 'ExecStart')).toEqual([
      '/usr/sbin/iptables -t nat -A POSTROUTING -o eth0 -s 10.240.3.0/24 -j MASQUERADE',
      '/usr/sbin/iptables -t nat -A POSTROUTING -o eth1 -s 10.240.3.0/24 -j MASQUERADE',
    ]);
    const kubelet = parseUnitFile(unitByName(doc, 'kubelet.service').content ?? '').unit;
    expect(unitValues(kubelet, 'Service', 'ExecStart')[0]).toContain('--cluster-dns=10.0.0.10 --cluster-domain=cluster.local');
    for (const path of ['/var/lib/kubelet/kubeconfig', '/var/lib/kube-proxy/kubeconfig', '/etc/kubernetes/release.env']) {
      expect(fileByPath(doc, path).permissions, path).toBe('0600');
    }
  });

  it('writes the flannel network config from KUBE_NETWORK into etcd before flanneld starts', () => {
    const flanneld = unitByName(parse(master.userData), 'flanneld.service');
    const dropIn = parseUnitFile(flanneld.drop_ins?.[0]?.content ?? '').unit;
    expect(unitValues(dropIn, 'Unit', 'Requires')).toEqual(['etcd2.service']);
    expect(unitValues(dropIn, 'Service', 'ExecStartPre')).toEqual([
      '-/usr/bin/etcdctl mk /coreos.com/network/config "{\\"Network\\":\\"10.240.0.0/16\\",\\"Backend\\":{\\"Type\\":\\"host-gw\\"}}"',
    ]);
  });

  it.each([
    ['master', master.document],
    ['node', node.document],
  ])('%s: every dependency names a unit that exists, and every directive sits in its section', (_role, doc) => {
    const known = resolvableUnits(doc);
    for (const unit of doc.coreos?.units ?? []) {
      for (const text of unitTexts(unit)) {
        const { unit: parsed, problems } = parseUnitFile(text);
        expect(problems).toEqual([]);
        for (const key of DEPENDENCY_KEYS) {
          for (const dependency of unitValues(parsed, 'Unit', key).flatMap((v) => v.split(/\s+/))) {
            expect(known.has(dependency), `${unit.name} ${key}=${dependency}`).toBe(true);
          }
        }
        expect(unitValues(parsed, 'Unit', 'Restart')).toEqual([]);
      }
    }
  });

  it.each([
    ['master', master.document],
    ['node', node.document],
  ])('%s: every command a unit runs is shipped by the image, written by the document, or in the release', (_role, doc) => {
    const available = new Set<string>([
      ...COREOS_IMAGE.executables,
      ...RELEASE_EXECUTABLES,
      ...(doc.write_files ?? []).filter((f) => f.permissions === '0755').map((f) => f.path),
    ]);
    for (const unit of doc.coreos?.units ?? []) {
      for (const text of unitTexts(unit)) {
        const { unit: parsed } = parseUnitFile(text);
        for (const key of ['ExecStart', 'ExecStartPre', 'ExecStartPost', 'ExecStop']) {
          for (const line of unitValues(parsed, 'Service', key)) {
            const program = (line.split(' ')[0] ?? '').replace(/^[-@+!]+/, '');
            expect(available.has(program), `${unit.name} ${key}=${line}`).toBe(true);
          }
        }
      }
    }
  });

  it('carries each node its own kubelet and kube-proxy tokens, the ones the master accepts', () => {
    const csv = knownTokensCsv(params).trimEnd().split('\n');
    expect(csv).toHaveLength(6 + 2 * params.numNodes);
    expect(new Set(csv.map((line) => line.split(',')[0])).size).toBe(csv.length);
    for (let index = 1; index <= params.numNodes; index++) {
      const doc = parse(renderNode(params, index).userData);
      const kubeletToken = nodeToken(params.secrets.nodeTokenKey, 'kubelet', `kubernetes-node-${index}`);
      const proxyToken = nodeToken(params.secrets.nodeTokenKey, 'kube-proxy', `kubernetes-node-${index}`);
      expect(fileByPath(doc, '/var/lib/kubelet/kubeconfig').content).toContain(`token: ${kubeletToken}`);
      expect(fileByPath(doc, '/var/lib/kube-proxy/kubeconfig').content).toContain(`token: ${proxyToken}`);
      expect(csv).toContain(`${kubeletToken},kubelet,kubelet-kubernetes-node-${index}`);
      expect(csv).toContain(`${proxyToken},kube-proxy,kube-proxy-kubernetes-node-${index}`);
    }
  });

  it('keeps every document within Nova user-data limit at 1000 nodes', () => {
    const big = defaultTestParams({ numNodes: 1000, network: { ...params.network, kubeNetwork: '10.128.0.0/14' } });
    const bigMaster = renderMaster(big);
    expect(bigMaster.userDataSize).toBeLessThan(NOVA_USER_DATA_LIMIT);
    expect(bigMaster.userDataSize - master.userDataSize).toBeLessThan(8);
    const lastNode = renderNode(big, 1000);
    expect(lastNode.userDataSize).toBeLessThan(NOVA_USER_DATA_LIMIT);
    expect(lastNode.document.coreos?.units?.find((u) => u.name === 'cbr0.network')?.content).toContain('Address=10.131.232.1/24');
  });

  it('fails with the machine name when user data would not fit', () => {
    const huge = defaultTestParams({ sshAuthorizedKeys: Array.from({ length: 200 }, (_, i) => `ssh-rsa ${'A'.repeat(400)} key-${i}`) });
    expect(() => renderNode(huge, 2)).toThrow(/^kubernetes-node-2: .*\n.*error +\$: user data is \d+ bytes once base64-encoded; Nova accepts at most 65535/);
  });

  it('refuses a node index outside 1..NUM_NODES', () => {
    expect(() => renderNode(params, 0)).toThrow('node index must be a whole number from 1 to 4, got 0');
    expect(() => renderNode(params, 5)).toThrow('node index must be a whole number from 1 to 4, got 5');
  });

  it('joins etcd through a discovery URL when asked, on every machine', () => {
    const withDiscovery = defaultTestParams({ etcd: { mode: 'discovery', url: 'https://discovery.etcd.io/abc' } });
    for (const doc of [renderMaster(withDiscovery).document, renderNode(withDiscovery, 1).document]) {
      expect(doc.coreos?.etcd2?.discovery).toBe('https://discovery.etcd.io/abc');
      expect(doc.coreos?.etcd2?.proxy).toBeUndefined();
    }
  });

  it('runs etcd as a proxy to the master on nodes by default', () => {
    expect(node.document.coreos?.etcd2).toEqual({
      proxy: 'on',
      initial_cluster: 'master=http://192.168.0.2:2380',
      listen_client_urls: 'http://127.0.0.1:2379,http://127.0.0.1:4001',
    });
  });

  it('leaves out cluster DNS flags when ENABLE_CLUSTER_DNS is false', () => {
    const noDns = defaultTestParams({ network: { ...params.network, enableClusterDns: false } });
    expect(renderNode(noDns, 1).userData).not.toContain('--cluster-dns');
  });

  it('writes an OpenStack cloud provider config with a password and domain', () => {
    const openstack = defaultTestParams({
      cloudProvider: { name: 'openstack', authUrl: 'http://keystone:5000/v3', username: 'u', secret: 'p"w;#', tenantName: 'demo', domainName: 'Default', region: 'RegionOne' },
    });
    const doc = parse(renderMaster(openstack).userData);
    expect(fileByPath(doc, '/etc/cloud.conf').content).toBe(
      '[Global]\nauth-url = "http://keystone:5000/v3"\nusername = "u"\npassword = "p\\"w;#"\ntenant-name = "demo"\ndomain-name = "Default"\nregion = "RegionOne"\n',
    );
    expect(renderMaster(openstack).userData).toContain('--cloud-provider=openstack');
  });

  it('keeps URL characters as data in the release environment file', () => {
    const odd = defaultTestParams({ release: { url: 'https://x.invalid/a?b=1&c=$HOME`id`"q"\\' } });
    const env = fileByPath(parse(renderNode(odd, 1).userData), '/etc/kubernetes/release.env').content;
    expect(env).toBe('KUBE_RELEASE_URL="https://x.invalid/a?b=1&c=\\$HOME\\`id\\`\\"q\\"\\\\"\n');
  });

  it('puts flannel and NAT on eth0 for a single-network OpenStack server', () => {
    const single = parse(renderNode(defaultTestParams({ interfaces: SINGLE_NETWORK_INTERFACES }), 2).userData);
    expect(single.coreos?.flannel?.interface).toBe('eth0');
    const nat = parseUnitFile(unitByName(single, 'nat.service').content ?? '').unit;
    expect(unitValues(nat, 'Service', 'ExecStart')).toEqual(['/usr/sbin/iptables -t nat -A POSTROUTING -o eth0 -s 10.240.2.0/24 -j MASQUERADE']);
  });

  it('refuses admin credentials that would break the basic-auth CSV', () => {
    const bad = defaultTestParams({ secrets: { ...params.secrets, adminPassword: 'a,b' } });
    expect(() => renderMaster(bad)).toThrow('the admin password cannot contain commas, quotes or line breaks');
  });
});
