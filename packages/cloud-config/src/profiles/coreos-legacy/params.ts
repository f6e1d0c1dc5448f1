/** Inputs of the `coreos-legacy` machine profile: everything a master or node document needs. */

export const SERVICE_ACCOUNTS = [
  'system:scheduler',
  'system:controller_manager',
  'system:logging',
  'system:monitoring',
  'system:dns',
] as const;
export type ServiceAccount = (typeof SERVICE_ACCOUNTS)[number];

/** Roles that get one bearer token per node. */
export const NODE_TOKEN_ROLES = ['kubelet', 'kube-proxy'] as const;
export type NodeTokenRole = (typeof NODE_TOKEN_ROLES)[number];

/**
 * Cluster credentials. The renderer never makes them up: they come from the caller (cluster-up
 * draws them from `crypto` and keeps them per cluster), which keeps rendering pure.
 */
export interface ClusterSecrets {
  adminUser: string;
  adminPassword: string;
  adminToken: string;
  serviceAccountTokens: Readonly<Record<ServiceAccount, string>>;
  /**
   * Key from which each node's kubelet and kube-proxy tokens are derived (HMAC-SHA256), so the
   * master's user data stays the same size at 1 or 1000 nodes; see `tokens.ts`.
   */
  nodeTokenKey: string;
}

/** What the cloud provider integration of the controller manager logs in with (`/etc/cloud.conf`). */
export interface CloudProviderConfig {
  /** `rackspace` (identity v2.0 with an API key) or `openstack` (Keystone). */
  name: 'rackspace' | 'openstack';
  authUrl: string;
  username: string;
  /** Rackspace API key (rackspace) or password (openstack). */
  secret: string;
  tenantName?: string;
  tenantId?: string;
  region: string;
  domainName?: string;
}

/**
 * How etcd forms its cluster. `static`: the master is the only member, at a fixed address on
 * the cloud network, and nodes run etcd in proxy mode, so no third-party service is involved.
 * `discovery`: every machine joins through an etcd discovery URL, as the original did.
 */
export type EtcdBootstrap = { mode: 'static'; masterAddress: string } | { mode: 'discovery'; url: string };

/**
 * Which interface carries what. Rackspace (the default): eth0 PublicNet, eth1 ServiceNet, eth2
 * the cloud network. A plain OpenStack server on one network has only eth0.
 */
export interface MachineInterfaces {
  /** flannel's interface: the cloud network. */
  pod: string;
  /** Interfaces the node's bridge traffic is masqueraded out of. */
  egress: readonly string[];
}

export const RACKSPACE_INTERFACES: MachineInterfaces = { pod: 'eth2', egress: ['eth0', 'eth1'] };
export const SINGLE_NETWORK_INTERFACES: MachineInterfaces = { pod: 'eth0', egress: ['eth0'] };

export interface LegacyClusterParams {
  /** INSTANCE_PREFIX: servers are `<clusterName>-master` and `<clusterName>-node-<i>`. */
  clusterName: string;
  numNodes: number;
  release: {
    /** Where machines download `kubernetes-server-linux-amd64.tar.gz` (a temp URL). */
    url: string;
    /** SHA-256 of the tarball; when given, machines refuse a download that does not match. */
    sha256?: string;
  };
  network: {
    /** KUBE_NETWORK: flannel's pod network; node i's bridge gets the i-th /24 of it. */
    kubeNetwork: string;
    serviceClusterIpRange: string;
    enableClusterDns: boolean;
    dnsServerIp: string;
    dnsDomain: string;
  };
  etcd: EtcdBootstrap;
  cloudProvider: CloudProviderConfig;
  secrets: ClusterSecrets;
  /** Default: {@link RACKSPACE_INTERFACES}. */
  interfaces?: MachineInterfaces;
  /** Extra keys for the `core` user, besides the Nova keypair. */
  sshAuthorizedKeys?: readonly string[];
}

export function masterName(params: Pick<LegacyClusterParams, 'clusterName'>): string {
  return `${params.clusterName}-master`;
}

export function nodeName(params: Pick<LegacyClusterParams, 'clusterName'>, index: number): string {
  return `${params.clusterName}-node-${index}`;
}
