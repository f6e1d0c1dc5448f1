import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { resolveConfig } from './resolve.js';
import type { ConfigInputs } from './resolve.js';
import { parseConfigFile } from './sources.js';

function issuesOf(inputs: ConfigInputs): string[] {
  try {
    resolveConfig(inputs);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('resolveConfig', () => {
  it('gives the SPEC §1 defaults with nothing set', () => {
    const config = resolveConfig({});
    expect(config).toMatchObject({
      clusterName: 'kubernetes',
      numNodes: 4,
      masterFlavor: 'general1-1',
      nodeFlavor: 'general1-2',
      sshKeyName: 'id_kubernetes',
      novaNetwork: '192.168.0.0/24',
      novaNetworkLabel: 'kubernetes-pool-net',
      masterFixedIp: '192.168.0.2',
      kubeNetwork: '10.240.0.0/16',
      serviceClusterIpRange: '10.0.0.0/16',
      enableClusterDns: true,
      dnsServerIp: '10.0.0.10',
      dnsDomain: 'cluster.local',
      containerPrefix: 'devel/',
    });
    expect(config.etcdDiscovery).toBeUndefined();
    expect(config.sources.NUM_NODES).toBe('default');
  });

  it('names the cloud network after the cluster unless NOVA_NETWORK_LABEL is set', () => {
    expect(resolveConfig({ flags: { INSTANCE_PREFIX: 'prod' } }).novaNetworkLabel).toBe('prod-pool-net');
    expect(resolveConfig({ env: { NOVA_NETWORK_LABEL: 'shared-net' } }).novaNetworkLabel).toBe('shared-net');
  });

  it('layers defaults < config file < environment < flags', () => {
    const config = resolveConfig({
      configFile: { name: 'c.yaml', text: 'NUM_NODES: 2\nKUBE_NODE_FLAVOR: from-file\nINSTANCE_PREFIX: filecluster\n' },
      env: { NUM_NODES: '3', INSTANCE_PREFIX: 'envcluster', UNRELATED: 'x' },
      flags: { NUM_NODES: '5' },
    });
    expect(config.numNodes).toBe(5);
    expect(config.clusterName).toBe('envcluster');
    expect(config.nodeFlavor).toBe('from-file');
    expect(config.sources).toMatchObject({ NUM_NODES: 'flag', INSTANCE_PREFIX: 'environment', KUBE_NODE_FLAVOR: 'config file', DNS_DOMAIN: 'default' });
  });

  it.each([
    [{ NUM_NODES: 'abc' }, 'NUM_NODES="abc" (from environment): must be a whole number from 1 to 1000'],
    [{ NUM_NODES: '0' }, 'NUM_NODES="0" (from environment): must be a whole number from 1 to 1000'],
    [{ NUM_NODES: '1001' }, 'NUM_NODES="1001" (from environment): must be a whole number from 1 to 1000'],
    [{ NUM_NODES: '2.5' }, 'NUM_NODES="2.5" (from environment): must be a whole number from 1 to 1000'],
    [
      { NUM_NODES: '300', NOVA_NETWORK: '192.168.0.0/22' },
      'NUM_NODES="300" (from environment): is more than KUBE_NETWORK=10.240.0.0/16 can hold: it has room for 255 node subnets (/24 each); use a /15 or larger KUBE_NETWORK, or fewer nodes',
    ],
    [
      { NUM_NODES: '253' },
      'NUM_NODES="253" (from environment): is more than NOVA_NETWORK=192.168.0.0/24 has addresses for: 253 machines (the master and 252 nodes); use a /23 or larger NOVA_NETWORK, or fewer nodes',
    ],
    [{ KUBE_NETWORK: '10.240.0.0/25' }, 'KUBE_NETWORK="10.240.0.0/25" (from environment): must be a /24 or larger: each node takes a /24 of it'],
    [{ KUBE_NETWORK: '10.240.0.0' }, 'KUBE_NETWORK="10.240.0.0" (from environment): is not a valid IPv4 CIDR: expected a CIDR such as 10.240.0.0/16'],
    [{ NOVA_NETWORK: '192.168.0.1/24' }, 'NOVA_NETWORK="192.168.0.1/24" (from environment): is not a valid IPv4 CIDR: host bits are set; did you mean 192.168.0.0/24?'],
    [{ SERVICE_CLUSTER_IP_RANGE: '300.0.0.0/16' }, 'SERVICE_CLUSTER_IP_RANGE="300.0.0.0/16" (from environment): is not a valid IPv4 CIDR: "300.0.0.0" is not an IPv4 address'],
    [
      { KUBE_NETWORK: '10.0.0.0/8' },
      'SERVICE_CLUSTER_IP_RANGE="10.0.0.0/16" (from default): overlaps KUBE_NETWORK=10.0.0.0/8; the cloud network, the pod network and the service range must not overlap',
    ],
    [
      { NOVA_NETWORK: '10.240.5.0/24' },
      'KUBE_NETWORK="10.240.0.0/16" (from default): overlaps NOVA_NETWORK=10.240.5.0/24; the cloud network, the pod network and the service range must not overlap',
    ],
    [{ DNS_SERVER_IP: '10.1.0.10' }, 'DNS_SERVER_IP="10.1.0.10" (from environment): must be inside SERVICE_CLUSTER_IP_RANGE=10.0.0.0/16'],
    [{ DNS_SERVER_IP: '10.0.0.1' }, 'DNS_SERVER_IP="10.0.0.1" (from environment): must not be the first two or the last address of SERVICE_CLUSTER_IP_RANGE=10.0.0.0/16 (network address, the kubernetes service, broadcast)'],
    [{ DNS_SERVER_IP: 'ten' }, 'DNS_SERVER_IP="ten" (from environment): must be an IPv4 address such as 10.0.0.10'],
    [{ DNS_DOMAIN: 'Cluster_Local' }, 'DNS_DOMAIN="Cluster_Local" (from environment): must be a DNS domain such as cluster.local: lowercase letters, digits and \'-\' in dot-separated labels'],
    [{ ENABLE_CLUSTER_DNS: 'maybe' }, 'ENABLE_CLUSTER_DNS="maybe" (from environment): must be true or false'],
    [
      { INSTANCE_PREFIX: 'My_Cluster' },
      'INSTANCE_PREFIX="My_Cluster" (from environment): must start with a lowercase letter, then lowercase letters, digits or \'-\' (not at the end), at most 40 characters, so every server name is a valid host name',
    ],
    [
      { SSH_KEY_NAME: '../id' },
      'SSH_KEY_NAME="../id" (from environment): must be 1 to 64 letters, digits, \'.\', \'_\' or \'-\', not starting with \'.\' (it names the keypair and the file ~/.ssh/<name>)',
    ],
    [{ KUBE_IMAGE: ' ' }, 'KUBE_IMAGE=" " (from environment): must be 1 to 255 printable characters'],
    [
      { MASTER_FIXED_IP: '192.168.0.1' },
      'MASTER_FIXED_IP="192.168.0.1" (from environment): must be a host address inside NOVA_NETWORK=192.168.0.0/24, not its network, gateway (.1) or broadcast address',
    ],
    [{ ETCD_DISCOVERY: 'discovery.etcd.io/x' }, 'ETCD_DISCOVERY="discovery.etcd.io/x" (from environment): must be an http(s) URL such as https://discovery.etcd.io/<token>'],
    [
      { CONTAINER_PREFIX: '/abs/' },
      "CONTAINER_PREFIX=\"/abs/\" (from environment): must be an object name prefix such as devel/: no leading '/', no '..' segment, no control characters, at most 512 characters",
    ],
    [{ CLOUD_PROFILE: 'aws' }, 'CLOUD_PROFILE="aws" (from environment): must be rackspace or openstack'],
  ])('rejects %j', (env, message) => {
    expect(issuesOf({ env })).toEqual([message]);
  });

  it('reports every problem at once', () => {
    expect(issuesOf({ env: { NUM_NODES: 'x', DNS_DOMAIN: '-' }, flags: { KUBE_NETWORK: 'nope' } })).toHaveLength(3);
  });

  it('accepts 1000 nodes in a /14 pod network and a /22 cloud network, and DNS checks only when enabled', () => {
    expect(resolveConfig({ env: { NUM_NODES: '1000', KUBE_NETWORK: '10.128.0.0/14', NOVA_NETWORK: '192.168.0.0/22' } }).numNodes).toBe(1000);
    expect(resolveConfig({ env: { NUM_NODES: '252' } }).numNodes).toBe(252); // 253 addresses in the default /24: master and 252 nodes
    expect(resolveConfig({ env: { ENABLE_CLUSTER_DNS: 'false', DNS_SERVER_IP: '172.16.0.10' } }).enableClusterDns).toBe(false);
  });

  it('names the flag as the source of a bad flag value', () => {
    expect(issuesOf({ flags: { NUM_NODES: '-1' } })).toEqual(['NUM_NODES="-1" (from flag): must be a whole number from 1 to 1000']);
  });
});

describe('config files', () => {
  it("reads the original's KEY=value lines with export, quotes, comments and ${X:-default}", () => {
    const settings = parseConfigFile(
      [
        '# Rackspace provider settings',
        'NUM_NODES=${NUM_NODES:-6}',
        "export KUBE_NODE_FLAVOR='general1-4'",
        'INSTANCE_PREFIX="prod" # comment',
        'DNS_DOMAIN=cluster.local',
      ].join('\n'),
      'config-default.sh',
    );
    expect(settings).toEqual({ NUM_NODES: '6', KUBE_NODE_FLAVOR: 'general1-4', INSTANCE_PREFIX: 'prod', DNS_DOMAIN: 'cluster.local' });
  });

  it('reads YAML mappings, numbers and booleans included', () => {
    expect(parseConfigFile('NUM_NODES: 3\nENABLE_CLUSTER_DNS: false\n', 'c.yaml')).toEqual({ NUM_NODES: '3', ENABLE_CLUSTER_DNS: 'false' });
  });

  it('rejects unknown names, nested values and unreadable files with the variable named', () => {
    expect(() => parseConfigFile('NUM_NODE=3\n', 'c.sh')).toThrow(/^NUM_NODE="3" \(from config file\): is not a rax-kube setting \(in c\.sh\); known settings: INSTANCE_PREFIX, NUM_NODES/);
    expect(() => parseConfigFile('NUM_NODES: [1, 2]\n', 'c.yaml')).toThrow('NUM_NODES="[1,2]" (from config file): must be a single value in c.yaml, not a list or mapping');
    expect(() => parseConfigFile('- a\n- b\n', 'c.yaml')).toThrow('--config="c.yaml" (from flag): must hold a YAML mapping of settings (NUM_NODES: 5) or KEY=value lines');
    expect(() => parseConfigFile('NUM_NODES="3\n', 'c.sh')).toThrow('NUM_NODES="\\"3" (from config file): line 1 of c.sh: cannot read this value');
  });
});
