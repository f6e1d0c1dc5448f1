import { defaultSleep } from '@rax-kube/openstack-client';
import type { OpenStackClient } from '@rax-kube/openstack-client';
import type { ClusterConfig } from '../config/index.js';
import { step } from '../events.js';
import type { EventSink } from '../events.js';
import { CLUSTER_METADATA_KEY, desiredCluster } from '../plan/desired.js';
import { collect } from '../util/collect.js';
import { publishedPacer } from '../util/pacer.js';
import { withRateLimitPatience } from '../util/rate-limit.js';
import { deleteServers } from './delete-server.js';
import { clusterServers, ownerDescription } from './observe.js';

const patiently = <T>(call: () => Promise<T>): Promise<T> => withRateLimitPatience(defaultSleep, call);

export interface DownOptions {
  config: ClusterConfig;
  /** The keypair can be shared by clusters: deleted only when asked. */
  deleteKeypair?: boolean;
  /** The release object can be shared too: `{ container, object }` to delete it. */
  deleteRelease?: { container: string; object: string };
  concurrency?: number;
  deadlineMs?: number;
}

export interface DownResult {
  servers: number;
  ports: number;
  subnets: number;
  networks: number;
  keypair: boolean;
  release: boolean;
}

/**
 * Deletes everything this cluster created: its servers (those carrying its metadata), then the
 * master's port, the subnet and the network it made (marked by their description), waiting until
 * each is gone. Idempotent, and works on a half-created cluster.
 */
export async function down(options: DownOptions, deps: { client: OpenStackClient; emit: EventSink }): Promise<DownResult> {
  const { client, emit } = deps;
  const desired = desiredCluster(options.config);
  const concurrency = options.concurrency ?? 10;
  const result: DownResult = { servers: 0, ports: 0, subnets: 0, networks: 0, keypair: false, release: false };

  await step(emit, 'delete', `Delete the servers of ${desired.name}`, async () => {
    const servers = (await clusterServers(client, desired.name)).filter((s) => s.metadata?.[CLUSTER_METADATA_KEY] === desired.name);
    if (servers.length > 0) {
      const pacer = await publishedPacer(client, 'DELETE', `/servers/${servers[0]?.id ?? ''}`);
      await deleteServers(client, servers, { cluster: desired.name, concurrency, deadlineMs: options.deadlineMs ?? 900_000, emit, step: 'delete', sleep: defaultSleep, now: Date.now, ...(pacer ? { pacer } : {}) });
    }
    result.servers = servers.length;
  }, () => `${result.servers} servers deleted`);

  await step(emit, 'delete', `Delete network ${desired.network.name}`, async () => {
    const marker = ownerDescription(desired.name);
    const networks = (await collect(client.network.networks.list({ name: desired.network.name }))).filter((n) => n.description === marker);
    for (const network of networks) {
      const ports = (await collect(client.network.ports.list({ network_id: network.id }))).filter((p) => p.description === marker || p.name === desired.network.masterPortName);
      for (const port of ports) {
        await patiently(() => client.network.ports.delete(port.id, { ignoreMissing: true }));
        emit({ type: 'resource', action: 'deleted', kind: 'port', name: port.name, id: port.id });
        result.ports++;
      }
      for (const subnet of await collect(client.network.subnets.list({ network_id: network.id }))) {
        await patiently(() => client.network.subnets.delete(subnet.id, { ignoreMissing: true }));
        emit({ type: 'resource', action: 'deleted', kind: 'subnet', name: subnet.name, id: subnet.id });
        result.subnets++;
      }
      await patiently(() => client.network.networks.delete(network.id, { ignoreMissing: true }));
      emit({ type: 'resource', action: 'deleted', kind: 'network', name: network.name, id: network.id });
      result.networks++;
    }
  }, () => `${result.networks} networks, ${result.subnets} subnets, ${result.ports} ports deleted`);

  if (options.deleteKeypair) {
    await patiently(() => client.compute.keypairs.delete(desired.keypairName, { ignoreMissing: true }));
    emit({ type: 'resource', action: 'deleted', kind: 'keypair', name: desired.keypairName, id: desired.keypairName });
    result.keypair = true;
  }
  if (options.deleteRelease) {
    const { container, object } = options.deleteRelease;
    // `?multipart-manifest=delete` on a plain object answers 200 and deletes nothing (Swift's
    // "Not an SLO manifest"), and a release under the segment size is a plain object: look first.
    const head = await client.objectStorage.objects.find(container, object);
    if (head) await client.objectStorage.objects.delete(container, object, { ignoreMissing: true, withSegments: head.staticLargeObject });
    emit({ type: 'resource', action: 'deleted', kind: 'release', name: `${container}/${object}`, id: object });
    result.release = true;
  }
  return result;
}
