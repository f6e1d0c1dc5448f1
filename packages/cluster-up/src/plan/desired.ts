import { ipv4 } from '@rax-kube/cloud-config';
import type { ClusterConfig } from '../config/index.js';

/** Metadata keys every server of a cluster carries, so `status` and `down` can find them. */
export const CLUSTER_METADATA_KEY = 'rax-kube-cluster';
export const ROLE_METADATA_KEY = 'rax-kube-role';
export const INDEX_METADATA_KEY = 'rax-kube-index';

export interface DesiredServer {
  name: string;
  role: 'master' | 'node';
  /** 0 for the master, 1..N for nodes. */
  index: number;
  flavor: string;
  image: string;
  metadata: Record<string, string>;
}

export interface DesiredCluster {
  name: string;
  network: {
    name: string;
    subnetName: string;
    cidr: string;
    /** Everything but the gateway (.1) and the master's fixed address, so no server can take it. */
    allocationPools: Array<{ start: string; end: string }>;
    masterPortName: string;
    masterFixedIp: string;
  };
  keypairName: string;
  servers: DesiredServer[];
}

/** What a configuration asks the cloud to hold; names all derive from the cluster name. */
export function desiredCluster(config: ClusterConfig): DesiredCluster {
  const metadata = (role: DesiredServer['role'], index: number) => ({
    [CLUSTER_METADATA_KEY]: config.clusterName,
    [ROLE_METADATA_KEY]: role,
    [INDEX_METADATA_KEY]: String(index),
  });
  const servers: DesiredServer[] = [
    { name: `${config.clusterName}-master`, role: 'master', index: 0, flavor: config.masterFlavor, image: config.image, metadata: metadata('master', 0) },
  ];
  for (let index = 1; index <= config.numNodes; index++) {
    servers.push({ name: `${config.clusterName}-node-${index}`, role: 'node', index, flavor: config.nodeFlavor, image: config.image, metadata: metadata('node', index) });
  }
  return {
    name: config.clusterName,
    network: {
      name: config.novaNetworkLabel,
      subnetName: `${config.clusterName}-pool-subnet`,
      cidr: config.novaNetwork,
      allocationPools: allocationPoolsWithout(config.novaNetwork, config.masterFixedIp),
      masterPortName: `${config.clusterName}-master-port`,
      masterFixedIp: config.masterFixedIp,
    },
    keypairName: config.sshKeyName,
    servers,
  };
}

/** Host addresses from .2 to the last before broadcast, minus `reserved`. */
export function allocationPoolsWithout(cidrText: string, reserved: string): Array<{ start: string; end: string }> {
  const network = ipv4.cidr(cidrText);
  const first = network.network + 2;
  const last = network.network + ipv4.cidrSize(network) - 2;
  const hole = ipv4.parseIpv4(reserved);
  const ranges: Array<[number, number]> =
    hole === undefined || hole < first || hole > last ? [[first, last]] : [[first, hole - 1], [hole + 1, last]];
  return ranges.filter(([start, end]) => start <= end).map(([start, end]) => ({ start: ipv4.formatIpv4(start), end: ipv4.formatIpv4(end) }));
}
