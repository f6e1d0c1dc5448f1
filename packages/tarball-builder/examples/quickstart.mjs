import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientFromEnv } from '@rax-kube/openstack-client';
import { startSim } from '@rax-kube/openstack-sim';
import {
  buildStandInRelease,
  createReleaseTempUrl,
  findServerTarball,
  inspectServerTarball,
  redactTempUrl,
  uploadServerTarball,
} from '@rax-kube/tarball-builder';

// 1. A small, clearly labelled stand-in release where kube-up would look for a real one.
const kubeRoot = await mkdtemp(join(tmpdir(), 'kube-root-'));
await buildStandInRelease(kubeRoot);

// 2. Find it (--tarball, KUBE_SERVER_TARBALL, server/, _output/release-tars/) and inspect it.
const found = await findServerTarball({ kubeRoot });
const inspection = await inspectServerTarball(found.path);
console.log(`${found.source}: ${inspection.entryCount} entries, ${inspection.size} bytes, sha256 ${inspection.digests.sha256.slice(0, 12)}…`);

// 3. Upload it to a local simulated cloud and sign a GET temp URL for the machines.
const sim = await startSim();
try {
  const { objectStorage } = clientFromEnv({ ...sim.env });
  const uploaded = await uploadServerTarball({
    objectStorage,
    tarball: inspection,
    username: sim.env.OS_USERNAME,
    onProgress: (p) => p.done && console.log(`${p.phase}: ${p.bytesDone} of ${p.bytesTotal} bytes`),
  });
  const temp = await createReleaseTempUrl({ objectStorage, container: uploaded.container, object: uploaded.object });
  const res = await fetch(temp.url);
  console.log(`${uploaded.container}/${uploaded.object} -> GET ${res.status} until ${temp.expiresAt.toISOString()}`);
  console.log(redactTempUrl(temp.url)); // the signature is a secret: never log it in full
  await res.arrayBuffer();
} finally {
  await sim.close();
  await rm(kubeRoot, { recursive: true, force: true });
}
