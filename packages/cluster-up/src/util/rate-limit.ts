import { isOpenStackError } from '@rax-kube/openstack-client';

/**
 * The client already honours Retry-After within its own attempt budget; past that, up and down
 * wait as the cloud said and try again, so a rate limit slows them down but never fails them.
 */
export async function withRateLimitPatience<T>(sleep: (ms: number) => Promise<void>, call: () => Promise<T>, maxAttempts = 20): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isOpenStackError(error, 'RATE_LIMITED') || attempt >= maxAttempts) throw error;
      await sleep(Math.min(error.retryAfterMs ?? 5000, 300_000));
    }
  }
}
