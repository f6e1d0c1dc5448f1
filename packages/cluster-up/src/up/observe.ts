import type { OpenStackClient, Server } from '@rax-kube/openstack-client';
import { CLUSTER_METADATA_KEY } from '../plan/desired.js';
import type { DesiredCluster } from '../plan/desired.js';
import type { ObservedServer, ObservedState } from '../plan/plan.js';
import { collect } from '../util/collect.js';

/** Marks what a cluster created, so down never deletes a network it merely reused. */
export function ownerDescription(cluster: string): string {
  return `rax-kube cluster ${cluster}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Servers of this cluster: by its name pattern, kept only if they carry its metadata or name. */
export async function clusterServers(client: OpenStackClient, cluster: string): Promise<Server[]> {
  const pattern = `^${escapeRegExp(cluster)}-(master|node-[0-9]+)$`;
  const names = new RegExp(pattern);
  const servers = await collect(client.compute.servers.list({ name: pattern }));
  return servers.filter((s) => names.test(s.name) && s.status !== 'DELETED');
}

/** Master first, then nodes by number. */
export function byMachineOrder(a: { name: string }, b: { name: string }): number {
  const index = (name: string) => Number(/-node-(\d+)$/.exec(name)?.[1] ?? 0);
  return index(a.name) - index(b.name);
}

export function observedServer(server: Server): ObservedServer {
  return { id: server.id, name: server.name, status: server.status, metadata: server.metadata ?? {}, ...(server.created ? { createdAt: server.created } : {}) };
}

/** Reads what the cloud holds for this cluster; independent reads go out together. */
export async function observe(client: OpenStackClient, desired: DesiredCluster): Promise<ObservedState> {
  const [networks, keypair, servers] = await Promise.all([
    collect(client.network.networks.list({ name: desired.network.name })),
    client.compute.keypairs.find(desired.keypairName),
    clusterServers(client, desired.name),
  ]);
  const perNetwork = await Promise.all(
    networks.map(async (network) => ({
      subnets: await collect(client.network.subnets.list({ network_id: network.id })),
      ports: await collect(client.network.ports.list({ network_id: network.id, name: desired.network.masterPortName })),
    })),
  );
  return {
    networks: networks.map((n) => ({ id: n.id, name: n.name, ...(typeof n.created_at === 'string' ? { createdAt: n.created_at } : {}) })),
    subnets: perNetwork.flatMap((p) => p.subnets.map((s) => ({ id: s.id, networkId: s.network_id, name: s.name, cidr: s.cidr }))),
    ports: perNetwork.flatMap((p) => p.ports.map((port) => ({ id: port.id, networkId: port.network_id, name: port.name, fixedIps: port.fixed_ips.map((f) => f.ip_address), deviceId: port.device_id }))),
    ...(keypair ? { keypair: { name: keypair.name, publicKey: keypair.public_key } } : {}),
    servers: servers.filter((s) => s.metadata?.[CLUSTER_METADATA_KEY] === desired.name || s.metadata?.[CLUSTER_METADATA_KEY] === undefined).map(observedServer),
  };
}
