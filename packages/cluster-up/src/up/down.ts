import type { OpenStackClient, Server } from '@rax-kube/openstack-client';
import type { ClusterConfig } from '../config/index.js';
import { step } from '../events.js';
import type { EventSink } from '../events.js';
import { CLUSTER_METADATA_KEY, desiredCluster } from '../plan/desired.js';
import { collect } from '../util/collect.js';
import { mapBounded } from '../util/pool.js';
import { withRateLimitPatience } from '../util/rate-limit.js';

const patiently = <T>(call: () => Promise<T>): Promise<T> => withRateLimitPatience((ms) => new Promise((resolve) => setTimeout(resolve, ms)), call);
import { clusterServers, ownerDescription } from './observe.js';

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

/** DELETEs sent again for one server that Nova accepted and then dropped, before down gives up. */
export const MAX_DELETE_RESENDS = 3;

/**
 * Nova answers DELETE with 204 and can still drop it: when the compute service fails to carry it
 * out (seen on real Nova: "Successfully reverted task state from deleting on failure"), the server
 * stays in its old state with no task and never goes away. A server being deleted shows task
 * state `deleting`; one that still exists with task state null after its DELETE was dropped.
 */
export function deleteWasDropped(server: Pick<Server, 'status' | 'OS-EXT-STS:task_state'>): boolean {
  return server['OS-EXT-STS:task_state'] === null && server.status !== 'DELETED' && server.status !== 'SOFT_DELETED';
}

class DeleteDropped extends Error {}

/** Waits for a deleted server to be gone, sending the DELETE again when Nova dropped it. */
async function waitUntilDeleted(client: OpenStackClient, server: Server, deadlineMs: number, emit: EventSink): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (let resends = 0; ; resends++) {
    let seen: Server | undefined;
    try {
      await client.compute.servers.waitForDeleted(server.id, {
        timeoutMs: Math.max(1, deadline - Date.now()),
        onPoll: (current) => {
          if (!deleteWasDropped(current)) return;
          seen = current;
          throw new DeleteDropped();
        },
      });
      return;
    } catch (error) {
      if (!(error instanceof DeleteDropped)) throw error;
    }
    if (resends >= MAX_DELETE_RESENDS) {
      throw new Error(`${server.name} (${server.id}): the cloud accepted its delete ${resends + 1} times and dropped it each time (it is ${seen?.status ?? 'still there'}); check the compute service, then run down again`);
    }
    emit({ type: 'step-progress', step: 'delete', message: `${server.name}: the cloud dropped the delete (${seen?.status ?? 'unknown'}, no task); deleting it again` });
    await patiently(() => client.compute.servers.delete(server.id, { ignoreMissing: true }));
  }
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
    await mapBounded(servers, concurrency, async (server) => {
      await patiently(() => client.compute.servers.delete(server.id, { ignoreMissing: true }));
    });
    await mapBounded(servers, concurrency, async (server) => {
      await waitUntilDeleted(client, server, options.deadlineMs ?? 900_000, emit);
      emit({ type: 'resource', action: 'deleted', kind: 'server', name: server.name, id: server.id });
    });
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
