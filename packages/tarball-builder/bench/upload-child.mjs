// One rax-kube upload, measured in its own process: node bench/upload-child.mjs <tarball> <container> <prefix>
// Does what `rax-kube upload --tarball PATH` does: inspect (layout + digests), then upload.
import { clientFromEnv } from '@rax-kube/openstack-client';
import { uploadServerTarball } from '../dist/index.js';
import { loadAioEnv } from './aio-env.mjs';

const [tarball, container, containerPrefix] = process.argv.slice(2);
const started = process.hrtime.bigint();
const client = clientFromEnv(loadAioEnv());
const result = await uploadServerTarball({ objectStorage: client.objectStorage, tarball, container, containerPrefix });
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(`${JSON.stringify({ uploaded: result.uploaded, size: result.size, segments: result.segments, ms, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
