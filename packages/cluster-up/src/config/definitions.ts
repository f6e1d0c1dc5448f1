/**
 * The cluster's settings: the original provider's variables (SPEC §1) plus rax-kube's own.
 * Each is read, in increasing precedence, from its default, a config file, the environment
 * variable of the same name, and a CLI flag (the name in kebab case: NUM_NODES -> --num-nodes).
 */

export type VariableKind = 'string' | 'integer' | 'boolean' | 'cidr' | 'ipv4' | 'url';

export interface VariableDefinition {
  name: string;
  kind: VariableKind;
  /** `undefined`: unset unless given (optional settings). */
  default?: string;
  description: string;
}

export const VARIABLES = [
  { name: 'INSTANCE_PREFIX', kind: 'string', default: 'kubernetes', description: 'cluster name; servers are <prefix>-master and <prefix>-node-<i>' },
  { name: 'NUM_NODES', kind: 'integer', default: '4', description: 'number of nodes (1..1000)' },
  { name: 'KUBE_IMAGE', kind: 'string', default: 'CoreOS (Stable)', description: 'image name or id for every server' },
  { name: 'KUBE_MASTER_FLAVOR', kind: 'string', default: 'general1-1', description: 'flavor name or id of the master' },
  { name: 'KUBE_NODE_FLAVOR', kind: 'string', default: 'general1-2', description: 'flavor name or id of the nodes' },
  { name: 'SSH_KEY_NAME', kind: 'string', default: 'id_kubernetes', description: 'keypair name, and ~/.ssh/<name> locally' },
  { name: 'NOVA_NETWORK', kind: 'cidr', default: '192.168.0.0/24', description: 'CIDR of the private cloud network (pod traffic, etcd)' },
  { name: 'NOVA_NETWORK_LABEL', kind: 'string', description: 'name of the private cloud network (default: <INSTANCE_PREFIX>-pool-net, so kubernetes-pool-net)' },
  { name: 'MASTER_FIXED_IP', kind: 'ipv4', description: "the master's address on NOVA_NETWORK, where etcd listens (default: the network's 2nd address)" },
  { name: 'ETCD_DISCOVERY', kind: 'url', description: 'an etcd discovery URL; when unset, etcd bootstraps from MASTER_FIXED_IP with no outside service' },
  { name: 'KUBE_NETWORK', kind: 'cidr', default: '10.240.0.0/16', description: 'flannel pod network; node i gets its i-th /24' },
  { name: 'SERVICE_CLUSTER_IP_RANGE', kind: 'cidr', default: '10.0.0.0/16', description: 'service IP range (formerly PORTAL_NET)' },
  { name: 'ENABLE_CLUSTER_DNS', kind: 'boolean', default: 'true', description: 'pass cluster DNS settings to kubelets' },
  { name: 'DNS_SERVER_IP', kind: 'ipv4', default: '10.0.0.10', description: 'cluster DNS service IP, inside SERVICE_CLUSTER_IP_RANGE' },
  { name: 'DNS_DOMAIN', kind: 'string', default: 'cluster.local', description: 'cluster DNS domain' },
  { name: 'CONTAINER_PREFIX', kind: 'string', default: 'devel/', description: 'object name prefix in the release container' },
  { name: 'CLOUD_PROFILE', kind: 'string', description: 'rackspace or openstack (default: from the credentials; rackspace without any)' },
] as const satisfies readonly VariableDefinition[];

export type VariableName = (typeof VARIABLES)[number]['name'];

export const VARIABLE_NAMES: readonly VariableName[] = VARIABLES.map((v) => v.name);

export function isVariableName(name: string): name is VariableName {
  return (VARIABLE_NAMES as readonly string[]).includes(name);
}

/** NUM_NODES -> num-nodes */
export function flagName(name: VariableName): string {
  return name.toLowerCase().replaceAll('_', '-');
}

export const MAX_NODES = 1000;
