import { UserInputError } from '../errors.js';
import { samePublicKey } from '../ssh/openssh-key.js';
import { CLUSTER_METADATA_KEY } from './desired.js';
import type { DesiredCluster, DesiredServer } from './desired.js';

/** What the cloud holds now, as far as this cluster is concerned (read by apply before planning). */
export interface ObservedState {
  /** Networks with the cluster network's name. */
  networks: Array<{ id: string; name: string; createdAt?: string }>;
  /** Subnets of those networks. */
  subnets: Array<{ id: string; networkId: string; name: string; cidr: string }>;
  /** Ports named like the master's port. */
  ports: Array<{ id: string; networkId: string; name: string; fixedIps: string[]; deviceId?: string }>;
  /** The keypair of that name, if the cloud has one. */
  keypair?: { name: string; publicKey: string };
  /** Servers whose name or metadata belongs to this cluster. */
  servers: ObservedServer[];
}

export interface ObservedServer {
  id: string;
  name: string;
  status: string;
  metadata: Record<string, string>;
  createdAt?: string;
}

export type ResourceAction<T> = { action: 'create' } | { action: 'reuse'; id: string; existing: T };

export interface ServerPlan {
  desired: DesiredServer;
  action: 'create' | 'reuse' | 'replace';
  /** The server kept, when reused. */
  id?: string;
}

export interface Plan {
  cluster: string;
  network: { action: 'create' } | { action: 'reuse'; id: string };
  subnet: { action: 'create' } | { action: 'reuse'; id: string };
  masterPort: { action: 'create' } | { action: 'reuse'; id: string };
  keypair: { action: 'create' } | { action: 'reuse' };
  servers: ServerPlan[];
  /** Servers to delete before creating: duplicates of a name, and servers in ERROR being replaced. */
  deleteServers: Array<{ id: string; name: string; reason: 'duplicate' | 'error' }>;
  /** Extra networks of the same name left by an interrupted run (emptied and deleted). */
  deleteNetworks: string[];
  /** Servers of this cluster that the configuration no longer asks for; up leaves them, down removes them. */
  surplusServers: Array<{ id: string; name: string }>;
}

export class PlanConflictError extends UserInputError {
  constructor(message: string) {
    super('PLAN_CONFLICT', message);
  }
}

const LIVE = new Set(['ACTIVE', 'BUILD', 'REBUILD', 'REBOOT', 'HARD_REBOOT', 'MIGRATING', 'RESIZE', 'VERIFY_RESIZE', 'PASSWORD']);

const byAge = <T extends { createdAt?: string; id: string }>(a: T, b: T) =>
  (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.id.localeCompare(b.id);

/**
 * Compares what the cluster should be with what the cloud holds and says what to create, reuse,
 * replace or delete. Pure: `up` calls it after reading the cloud, and a re-run after any failure
 * or interruption plans only what is missing. Never two servers with one name: the oldest live
 * server of a name is kept and the rest are deleted; servers in ERROR are replaced.
 */
export function plan(desired: DesiredCluster, observed: ObservedState, publicKey: string): Plan {
  if (observed.keypair && !samePublicKey(observed.keypair.publicKey, publicKey)) {
    throw new PlanConflictError(
      `SSH_KEY_NAME=${desired.keypairName}: the cloud already has a keypair of that name with a different key; delete it, or set SSH_KEY_NAME to another name`,
    );
  }
  const networks = [...observed.networks].sort(byAge);
  const network = networks[0];
  const subnet = network && observed.subnets.find((s) => s.networkId === network.id && s.cidr === desired.network.cidr);
  const port = network && observed.ports.find((p) => p.networkId === network.id && p.name === desired.network.masterPortName);
  if (port && !port.fixedIps.includes(desired.network.masterFixedIp)) {
    throw new PlanConflictError(
      `MASTER_FIXED_IP=${desired.network.masterFixedIp}: the existing port ${desired.network.masterPortName} has ${port.fixedIps.join(', ') || 'no address'}; run down first to change it`,
    );
  }

  const deleteServers: Plan['deleteServers'] = [];
  const servers: ServerPlan[] = desired.servers.map((wanted) => {
    const sameName = observed.servers.filter((s) => s.name === wanted.name).sort(byAge);
    const keep = sameName.find((s) => LIVE.has(s.status));
    for (const server of sameName) {
      if (server === keep) continue;
      deleteServers.push({ id: server.id, name: server.name, reason: server.status === 'ERROR' ? 'error' : 'duplicate' });
    }
    if (keep) return { desired: wanted, action: 'reuse', id: keep.id };
    return { desired: wanted, action: sameName.length > 0 ? 'replace' : 'create' };
  });
  const wantedNames = new Set(desired.servers.map((s) => s.name));
  const surplusServers = observed.servers
    .filter((s) => !wantedNames.has(s.name) && s.metadata[CLUSTER_METADATA_KEY] === desired.name)
    .map(({ id, name }) => ({ id, name }));

  return {
    cluster: desired.name,
    network: network ? { action: 'reuse', id: network.id } : { action: 'create' },
    subnet: subnet ? { action: 'reuse', id: subnet.id } : { action: 'create' },
    masterPort: port ? { action: 'reuse', id: port.id } : { action: 'create' },
    keypair: observed.keypair ? { action: 'reuse' } : { action: 'create' },
    servers,
    deleteServers,
    deleteNetworks: networks.slice(1).map((n) => n.id),
    surplusServers,
  };
}

/** One line per change, for `up --dry-run`. */
export function describePlan(p: Plan): string[] {
  const count = (action: ServerPlan['action']) => p.servers.filter((s) => s.action === action).length;
  const lines = [
    `network: ${p.network.action}`,
    `subnet: ${p.subnet.action}`,
    `master port: ${p.masterPort.action}`,
    `keypair: ${p.keypair.action}`,
    `servers: ${count('create')} to create, ${count('reuse')} to reuse, ${count('replace')} to replace`,
  ];
  for (const server of p.deleteServers) lines.push(`delete server ${server.name} (${server.id}): ${server.reason === 'error' ? 'in ERROR' : 'duplicate name'}`);
  for (const id of p.deleteNetworks) lines.push(`delete network ${id}: duplicate name`);
  for (const server of p.surplusServers) lines.push(`leave server ${server.name} (${server.id}): not in this configuration; down removes it`);
  return lines;
}
