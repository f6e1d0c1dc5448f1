// Upload benchmark: rax-kube vs python3-swiftclient's `swift upload`, against the real Swift of
// openstack-aio on loopback. Run from the package directory: npm run bench:upload
//   BENCH_SIZE_MIB (default 512), BENCH_RUNS (default 3 each), BENCH_DIR (default /var/tmp/rax-kube-bench)
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientFromEnv } from '@rax-kube/openstack-client';
import { REQUIRED_SERVER_BINARIES, buildServerTarball } from '../dist/index.js';
import { loadAioEnv } from './aio-env.mjs';

const MiB = 1024 * 1024;
const SEGMENT_SIZE = 1024 * MiB; // rax-kube's default
const sizeMiB = Number(process.env.BENCH_SIZE_MIB ?? 512);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const workDir = process.env.BENCH_DIR ?? '/var/tmp/rax-kube-bench';
const child = fileURLToPath(new URL('./upload-child.mjs', import.meta.url));
const env = loadAioEnv();
const osEnv = { ...process.env, ...env };

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Incompressible binaries through the real build function, so the tarball is about sizeMiB. */
async function makeTarball() {
  const output = join(workDir, `kubernetes-server-${sizeMiB}MiB.tar.gz`);
  if (existsSync(output)) return output;
  const binDir = join(workDir, `bin-${sizeMiB}`);
  mkdirSync(binDir, { recursive: true });
  const perBinary = Math.ceil((sizeMiB * MiB) / REQUIRED_SERVER_BINARIES.length);
  for (const name of REQUIRED_SERVER_BINARIES) {
    const path = join(binDir, name);
    writeFileSync(path, '');
    chmodSync(path, 0o755);
    for (let done = 0; done < perBinary; done += 8 * MiB) writeFileSync(path, randomBytes(Math.min(8 * MiB, perBinary - done)), { flag: 'a' });
  }
  const built = await buildServerTarball({ binDir, output, level: 1 });
  rmSync(binDir, { recursive: true, force: true });
  return built.path;
}

/** Wall time and peak RSS of a command, from GNU time. */
function measure(command, args) {
  const timeFile = join(workDir, 'time.out');
  const started = process.hrtime.bigint();
  const res = spawnSync('/usr/bin/time', ['-f', '%M', '-o', timeFile, command, ...args], { env: osEnv, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 0) throw new Error(`${command} failed (${res.status}): ${res.stderr}`);
  return { ms, maxRssKiB: Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)), stdout: res.stdout };
}

mkdirSync(workDir, { recursive: true });
console.log(`building a ${sizeMiB} MiB server tarball in ${workDir} ...`);
const tarball = await makeTarball();
const size = statSync(tarball).size;
const client = clientFromEnv(env);
const container = `rax-kube-bench-${randomBytes(4).toString('hex')}`;
await client.objectStorage.containers.ensure(container);
const swiftVersion = execFileSync('swift', ['--version'], { encoding: 'utf8' }).trim();
console.log(`tarball ${(size / MiB).toFixed(1)} MiB; container ${container}; ${runs} runs each, alternating; peer: ${swiftVersion}`);

const results = { raxKube: [], swift: [] };
try {
  for (let i = 0; i < runs; i++) {
    // A fresh object name every run, so neither tool can skip an unchanged upload.
    const rax = measure(process.execPath, [child, tarball, container, `rax-run-${i}/`]);
    const report = JSON.parse(rax.stdout.trim().split('\n').at(-1));
    if (!report.uploaded) throw new Error('rax-kube skipped the upload: the benchmark would be meaningless');
    results.raxKube.push({ ...rax, selfMaxRssKiB: report.maxRssKiB });
    await client.objectStorage.objects.delete(container, `rax-run-${i}/kubernetes-server-linux-amd64.tar.gz`);

    // Above rax-kube's segment size both tools make a static large object with the same segments.
    const segmented = size > SEGMENT_SIZE ? ['--use-slo', '-S', String(SEGMENT_SIZE), '--segment-threads', '4'] : [];
    const swift = measure('swift', ['upload', container, tarball, '--object-name', `swift-run-${i}/kubernetes-server-linux-amd64.tar.gz`, ...segmented]);
    results.swift.push(swift);
    await client.objectStorage.objects.delete(container, `swift-run-${i}/kubernetes-server-linux-amd64.tar.gz`, { withSegments: segmented.length > 0 });
    console.log(`run ${i + 1}: rax-kube ${(rax.ms / 1000).toFixed(2)} s (peak RSS ${(rax.maxRssKiB / 1024).toFixed(0)} MiB), swift ${(swift.ms / 1000).toFixed(2)} s (peak RSS ${(swift.maxRssKiB / 1024).toFixed(0)} MiB)`);
  }
} finally {
  await client.objectStorage.deleteContainerRecursive(container);
  // swiftclient puts --use-slo segments in a container of its own.
  await client.objectStorage.deleteContainerRecursive(`${container}_segments`);
}

const rax = median(results.raxKube.map((r) => r.ms));
const swift = median(results.swift.map((r) => r.ms));
const peak = Math.max(...results.raxKube.map((r) => r.maxRssKiB));
console.log('');
console.log(`median wall time: rax-kube ${(rax / 1000).toFixed(2)} s, swift upload ${(swift / 1000).toFixed(2)} s`);
console.log(`ratio rax-kube / swift: ${(rax / swift).toFixed(2)} (target <= 1.00)`);
console.log(`rax-kube peak RSS: ${(peak / 1024).toFixed(0)} MiB (target < 200 MB)`);
console.log(`throughput: rax-kube ${(size / MiB / (rax / 1000)).toFixed(0)} MiB/s, swift ${(size / MiB / (swift / 1000)).toFixed(0)} MiB/s`);
