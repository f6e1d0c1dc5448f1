import type { OpenStackClient, Server } from '@rax-kube/openstack-client';
import { ClusterOperationError } from '../errors.js';
import type { EventSink, StepId } from '../events.js';
import { paced } from '../util/pacer.js';
import type { RatePacer } from '../util/pacer.js';
import { pollDelayMs } from '../util/poll.js';
import { mapBounded } from '../util/pool.js';
import { withRateLimitPatience } from '../util/rate-limit.js';
import { clusterServers } from './observe.js';

/** DELETEs sent again for one server that Nova accepted and then dropped, before giving up. */
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

/** Sends a server's DELETE (at its turn under the cloud's published rate limits), waiting out rate limits; a server already gone is fine. */
async function sendServerDelete(client: OpenStackClient, id: string, sleep: (ms: number) => Promise<void>, pacer?: RatePacer): Promise<void> {
  await withRateLimitPatience(sleep, () => paced(pacer, 'DELETE', `/servers/${id}`, () => client.compute.servers.delete(id, { ignoreMissing: true })));
}

export interface DeleteServersOptions {
  /** The cluster whose servers these are: one list of them per poll shows which are gone. */
  cluster: string;
  concurrency: number;
  deadlineMs: number;
  emit: EventSink;
  /** The step whose progress tells of the deletes (and of a delete sent again). */
  step: StepId;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  pacer?: RatePacer;
}

/**
 * Deletes servers and waits until they are gone, with one list call per poll for all of them (a
 * GET per server per poll spent a 500-node cluster's rate limit and made down give up), sending
 * a DELETE again when Nova dropped it. Used by down, and by up when it replaces a server in ERROR.
 */
export async function deleteServers(client: OpenStackClient, doomed: ReadonlyArray<Pick<Server, 'id' | 'name'>>, options: DeleteServersOptions): Promise<void> {
  const { emit, sleep, now } = options;
  await mapBounded(doomed, options.concurrency, (server) => sendServerDelete(client, server.id, sleep, options.pacer));
  const left = new Map(doomed.map((server) => [server.id, server]));
  const resends = new Map<string, number>();
  const started = now();
  for (;;) {
    const present = new Map((await withRateLimitPatience(sleep, () => clusterServers(client, options.cluster))).map((s) => [s.id, s]));
    for (const [id, server] of left) {
      if (present.has(id)) continue;
      left.delete(id);
      emit({ type: 'resource', action: 'deleted', kind: 'server', name: server.name, id });
    }
    if (left.size === 0) return;
    const dropped = [...left.keys()].flatMap((id) => {
      const current = present.get(id);
      return current && deleteWasDropped(current) ? [current] : [];
    });
    for (const server of dropped) {
      const count = (resends.get(server.id) ?? 0) + 1;
      if (count > MAX_DELETE_RESENDS) {
        throw new ClusterOperationError(
          'DELETE_DROPPED',
          `${server.name} (${server.id}): the cloud accepted its delete ${count} times and dropped it each time (it is ${server.status}); check the compute service, then run ${options.step === 'delete' ? 'down' : 'up'} again`,
        );
      }
      resends.set(server.id, count);
      emit({ type: 'step-progress', step: options.step, message: `${server.name}: the cloud dropped the delete (${server.status}, no task); deleting it again` });
    }
    await mapBounded(dropped, options.concurrency, (server) => sendServerDelete(client, server.id, sleep, options.pacer));
    const gone = doomed.length - left.size;
    emit({ type: 'step-progress', step: options.step, message: `${gone}/${doomed.length} deleted`, done: gone, total: doomed.length });
    const waited = now() - started;
    if (waited > options.deadlineMs) {
      throw new ClusterOperationError('DELETE_TIMEOUT', `${left.size} of ${doomed.length} servers were still there after ${Math.round(options.deadlineMs / 1000)} s (${[...left.values()].slice(0, 3).map((s) => s.name).join(', ')}${left.size > 3 ? ', …' : ''}); run ${options.step === 'delete' ? 'down' : 'up'} again to keep waiting`);
    }
    await sleep(pollDelayMs(waited));
  }
}
