import type { OpenStackClient, Server } from '@rax-kube/openstack-client';
import { ClusterOperationError } from '../errors.js';
import type { EventSink, StepId } from '../events.js';
import { withRateLimitPatience } from '../util/rate-limit.js';

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

export interface DeleteWait {
  deadlineMs: number;
  emit: EventSink;
  /** The step whose progress tells of a delete sent again. */
  step: StepId;
  sleep: (ms: number) => Promise<void>;
}

class DeleteDropped extends Error {}

/** Sends a server's DELETE, waiting out rate limits; a server already gone is fine. */
export function sendServerDelete(client: OpenStackClient, id: string, sleep: (ms: number) => Promise<void>): Promise<void> {
  return withRateLimitPatience(sleep, () => client.compute.servers.delete(id, { ignoreMissing: true }));
}

/** Waits for a deleted server to be gone, sending the DELETE again when Nova dropped it (used by down, and by up when it replaces a server in ERROR). */
export async function waitUntilDeleted(client: OpenStackClient, server: Pick<Server, 'id' | 'name'>, wait: DeleteWait): Promise<void> {
  const deadline = Date.now() + wait.deadlineMs;
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
      throw new ClusterOperationError('DELETE_DROPPED', `${server.name} (${server.id}): the cloud accepted its delete ${resends + 1} times and dropped it each time (it is ${seen?.status ?? 'still there'}); check the compute service, then run ${wait.step === 'delete' ? 'down' : 'up'} again`);
    }
    wait.emit({ type: 'step-progress', step: wait.step, message: `${server.name}: the cloud dropped the delete (${seen?.status ?? 'unknown'}, no task); deleting it again` });
    await sendServerDelete(client, server.id, wait.sleep);
  }
}
