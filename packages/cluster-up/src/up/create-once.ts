import { outcomeUnknown } from '@rax-kube/openstack-client';

export interface CreateOnceOptions {
  sleep: (ms: number) => Promise<void>;
  /** Creates sent in all, at most (default 3). */
  attempts?: number;
  /** Waits before each look-up, giving the cloud time to record a create that did land (default [1000, 3000]). */
  lookupDelaysMs?: number[];
}

/**
 * Creates something with a POST, which the client does not retry (a network, subnet, port or
 * keypair). When the answer is lost (timeout, reset, 5xx) the thing may exist anyway, so it is
 * looked for with `find` before the create is sent again, as the client does for servers: one
 * lost answer does not fail `up`, and never makes two.
 */
export async function createOnce<T>(create: () => Promise<T>, find: () => Promise<T | undefined>, options: CreateOnceOptions): Promise<T> {
  const attempts = options.attempts ?? 3;
  const lookupDelays = options.lookupDelaysMs ?? [1000, 3000];
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (error) {
      if (!outcomeUnknown(error)) throw error;
      for (const delay of lookupDelays) {
        await options.sleep(delay);
        const found = await find();
        if (found !== undefined) return found;
      }
      if (attempt >= attempts) throw error;
    }
  }
}
