import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientFromEnv } from '@rax-kube/openstack-client';
import { startSim } from '@rax-kube/openstack-sim';
import type { Sim } from '@rax-kube/openstack-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BuiltTarball } from './build.js';
import { recordRoundTrips } from './round-trips.test-support.js';
import type { RoundTripRecorder } from './round-trips.test-support.js';
import { buildStandInRelease } from './stand-in.js';
import { ensureTempUrlKey } from './temp-url.js';
import { uploadServerTarball } from './upload.js';
import type { ObjectStorage } from './upload.js';
import { randomServerTarball } from './upload.suite.js';

// Each request waits this long in the sim: far more than the local work between the requests of
// one round trip, so the recorder's stages are the round trips the code waits for, one after another.
const LATENCY_MS = 100;
const OBJECT = '/devel/kubernetes-server-linux-amd64.tar.gz';

describe('upload round trips (requests that wait for one another)', () => {
  let sim: Sim;
  let recorder: RoundTripRecorder;
  let storage: ObjectStorage;
  let dir: string;
  let small: BuiltTarball;

  beforeAll(async () => {
    sim = await startSim({ seed: 3, latencyMs: LATENCY_MS });
    recorder = await recordRoundTrips(await clientFromEnv({ ...sim.env }).objectStorage.storageUrl());
    const client = clientFromEnv({ ...sim.env }, { endpoints: { objectStore: recorder.storageUrl } });
    // Authenticated before anything is recorded, as it is by the time `up` publishes the release.
    await client.identity.token();
    storage = client.objectStorage;
    dir = await mkdtemp(join(tmpdir(), 'upload-round-trips-'));
    small = await buildStandInRelease(join(dir, 'stand-in'));
  });
  afterAll(async () => {
    await recorder.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => recorder.reset());

  it('a new small tarball: object and limits together, the container, then the PUT with its digests beside the listing of old segments', async () => {
    const result = await uploadServerTarball({ objectStorage: storage, tarball: small.path, container: 'fresh' });
    expect(result.uploaded).toBe(true);
    expect(recorder.stages()).toEqual([['GET /info', `HEAD /fresh${OBJECT}`], ['PUT /fresh'], ['GET /fresh', `PUT /fresh${OBJECT}`]]);
    expect((await storage.objects.head('fresh', result.object)).metadata.sha256).toBe(small.digests.sha256);
  });

  it('an unchanged tarball: one round trip, nothing written', async () => {
    await uploadServerTarball({ objectStorage: storage, tarball: small.path, container: 'again' });
    recorder.reset();
    expect((await uploadServerTarball({ objectStorage: storage, tarball: small.path, container: 'again' })).uploaded).toBe(false);
    expect(recorder.stages()).toEqual([['GET /info', `HEAD /again${OBJECT}`]]);
  });

  it('a changed tarball: no container PUT (the object found implies it), the PUT at once', async () => {
    const other = await randomServerTarball(dir, 1024, 'changed');
    await uploadServerTarball({ objectStorage: storage, tarball: small.path, container: 'changed' });
    recorder.reset();
    expect((await uploadServerTarball({ objectStorage: storage, tarball: other.path, container: 'changed' })).uploaded).toBe(true);
    expect(recorder.stages()).toEqual([['GET /info', `HEAD /changed${OBJECT}`], ['GET /changed', `PUT /changed${OBJECT}`]]);
  });

  it('a tarball read once (inspected while sent): its digests POST goes out after the PUT', async () => {
    const result = await uploadServerTarball({ objectStorage: storage, tarball: small.path, container: 'single-pass', singlePassFrom: 0 });
    expect(result.uploaded).toBe(true);
    expect(recorder.stages()).toEqual([['GET /info', `HEAD /single-pass${OBJECT}`], ['PUT /single-pass'], ['GET /single-pass', `PUT /single-pass${OBJECT}`], [`POST /single-pass${OBJECT}`]]);
  });

  it('replacing a segmented object: its old segments are deleted once the new object is in place, beside the digests POST', async () => {
    const large = await randomServerTarball(dir, 300 * 1024, 'segmented');
    await uploadServerTarball({ objectStorage: storage, tarball: large.path, container: 'replace', segmentSize: 1024 * 1024, concurrency: 2 });
    recorder.reset();
    await uploadServerTarball({ objectStorage: storage, tarball: small.path, container: 'replace', singlePassFrom: 0 });
    const stages = recorder.stages();
    expect(stages.slice(0, 2)).toEqual([
      ['GET /info', `HEAD /replace${OBJECT}`],
      ['GET /replace', `PUT /replace${OBJECT}`],
    ]);
    expect(stages[2]).toContain(`POST /replace${OBJECT}`);
    expect(stages[2]?.filter((r) => r.startsWith(`DELETE /replace${OBJECT}.segments/`))).toHaveLength(2);
    expect(stages).toHaveLength(3);
  });

  it('the upload beside a new temp-URL key: three round trips in all', async () => {
    await storage.account.setMetadata({ 'temp-url-key': null, 'temp-url-key-2': null });
    recorder.reset();
    const [upload, key] = await Promise.all([uploadServerTarball({ objectStorage: storage, tarball: small.path, container: 'with-key' }), ensureTempUrlKey(storage)]);
    expect(upload.uploaded).toBe(true);
    expect(key.created).toBe(true);
    expect(recorder.stages()).toEqual([['GET /info', 'HEAD ', `HEAD /with-key${OBJECT}`], ['POST ', 'PUT /with-key'], ['GET /with-key', 'HEAD ', `PUT /with-key${OBJECT}`]]);
  });
});
