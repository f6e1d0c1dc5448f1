import { clientFromEnv, OpenStackError } from '@rax-kube/openstack-client';
import { startSim } from '@rax-kube/openstack-sim';
import type { Sim } from '@rax-kube/openstack-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTempUrlKey } from './temp-url.js';
import type { ObjectStorage } from './upload.js';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim({ seed: 1 });
});
afterAll(async () => {
  await sim.close();
});

/** The real object storage, except that setting the key loses its answer once (after or instead of doing it). */
function losingFirstAnswer(real: ObjectStorage, mode: 'applied' | 'refused'): { storage: ObjectStorage; calls: () => number } {
  let calls = 0;
  const account = {
    ...real.account,
    setTempUrlKey: async (key: string, which: 1 | 2) => {
      calls++;
      if (calls === 1) {
        if (mode === 'applied') {
          await real.account.setTempUrlKey(key, which);
          throw new OpenStackError({ code: 'CONNECTION', message: 'POST connection failed (ECONNRESET): socket hang up' });
        }
        throw new OpenStackError({ code: 'HTTP_SERVER_ERROR', status: 503, message: 'POST failed with 503' });
      }
      return real.account.setTempUrlKey(key, which);
    },
  };
  return { storage: { ...real, account } as unknown as ObjectStorage, calls: () => calls };
}

describe('ensureTempUrlKey when the answer to setting the key is lost', () => {
  it('finds the key set despite a reset, and does not send it again', async () => {
    const real = clientFromEnv({ ...sim.env }).objectStorage;
    await real.account.setMetadata({ 'temp-url-key': null, 'temp-url-key-2': null });
    const { storage, calls } = losingFirstAnswer(real, 'applied');
    const accountHeads = (): number => sim.state.countRequests('HEAD', /^\/v1\/[^/]+$/u);
    const headsBefore = accountHeads();
    const key = await ensureTempUrlKey(storage, () => 'key-after-reset');
    expect(key).toEqual({ key: 'key-after-reset', which: 1, created: true });
    expect(calls()).toBe(1);
    // The look that found the key came after the last attempt: it is the read-back, not followed by another.
    expect(accountHeads() - headsBefore).toBe(2);
    expect((await real.account.get()).tempUrlKey).toBe('key-after-reset');
  });

  it('sends it again after a 5xx that did not set it', async () => {
    const real = clientFromEnv({ ...sim.env }).objectStorage;
    await real.account.setMetadata({ 'temp-url-key': null, 'temp-url-key-2': null });
    const { storage, calls } = losingFirstAnswer(real, 'refused');
    const key = await ensureTempUrlKey(storage, () => 'key-after-503');
    expect(key).toEqual({ key: 'key-after-503', which: 1, created: true });
    expect(calls()).toBe(2);
    expect((await real.account.get()).tempUrlKey).toBe('key-after-503');
  });
});
