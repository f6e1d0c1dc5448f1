// Benchmark of `up` on the local cloud (injected latency, boot time and a rate limit), against
// the critical-path bound, and against the original's way (one create at a time, a fresh
// authentication before every call, then each server polled on its own until ACTIVE).
//
// Run from packages/cluster-up after a build (`npx nx run-many -t build`):
//   node bench/up.mjs [--sizes 5,50,500] [--original-max 50] [--latency 50] [--boot 3000]
//                     [--rps 20] [--burst 40] [--concurrency N] [--runs 3] [--trace]
//
// Every size gets a fresh local cloud. rax-kube's up runs with apiWait: true against the
// stand-in master (`apiUrl: cloud.apiUrl`, as the end-to-end test does), so both ways end when
// the master's /healthz answers; then `down` removes the cluster and checks that nothing is left.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { coreosLegacy } from '@rax-kube/cloud-config';
import { clientFromEnv } from '@rax-kube/openstack-client';
import {
  cloudProviderFromEnv,
  desiredCluster,
  down,
  generateSecrets,
  generateSshKeyPair,
  localReleaseTarball,
  probeHealthz,
  publishRelease,
  renderCluster,
  resolveConfig,
  serverNetworks,
  startLocalCloud,
  up,
} from '../dist/index.js';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '5,50,500' },
    'original-max': { type: 'string', default: '50' },
    latency: { type: 'string', default: '50' },
    boot: { type: 'string', default: '3000' },
    rps: { type: 'string', default: '20' },
    burst: { type: 'string', default: '40' },
    concurrency: { type: 'string' },
    runs: { type: 'string', default: '3' },
    trace: { type: 'boolean', default: false },
  },
});
const sizes = args.sizes.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
const originalMax = Number(args['original-max']);
const L = Number(args.latency); // ms the cloud waits before handling any request (token requests too)
const BOOT = Number(args.boot); // ms from an accepted create to ACTIVE
const RPS = Number(args.rps); // each service's token bucket refill, requests per second (token requests exempt)
const BURST = Number(args.burst); // each service's token bucket size (compute's /limits publishes its rate and what remains)
const concurrency = args.concurrency ? Number(args.concurrency) : undefined;
const runs = Math.max(1, Number(args.runs)); // rax-kube runs per size, each on a fresh cloud; the median is the figure

// OpenStack mode: in Rackspace mode every server also takes an address on the sim's PublicNet,
// a /24 (253 addresses), so 500 nodes would not fit.
const PROFILE = 'openstack';
const simOptions = {
  mode: PROFILE,
  latencyMs: L,
  bootTimeMs: BOOT,
  deleteTimeMs: 50,
  rateLimit: { requestsPerSecond: RPS, burst: BURST },
  quotas: { maxTotalInstances: 10_000, maxTotalCores: -1, maxTotalRAMSize: -1 },
  // The state file (what lets `rax-kube up --local` last from one command to the next) is left
  // off: the sim rewrites it whole and synchronously after every change, on the same event loop.
  stateFile: undefined,
};

/**
 * The critical-path bound: the latencies no client can avoid on this cloud, in seconds.
 *
 *   bound = L                       authenticate (one token request; not rate limited)
 *         + L                       plan: networks ‖ keypair ‖ servers listed in one round trip
 *                                   (a fresh cloud has no network, so nothing per network)
 *         + 3 L                     the longest chain before the first create: network → subnet →
 *                                   port (3 calls); the keypair (1), the release (container →
 *                                   object, 2) and the image / flavor look-ups (1) fit alongside
 *         + L + max(0, (N+1 − B)/r) the N+1 creates: the first takes L; compute's bucket (each
 *                                   service has its own) holds at most B tokens and refills at
 *                                   r/s, so the last is accepted no earlier than (N+1−B)/r after
 *                                   the first (compute calls spent before the creates are
 *                                   ignored, which only lowers the bound)
 *         + boot                    the last server turns ACTIVE boot ms after its create
 *         + L                       one poll (one list call) that sees every server ACTIVE
 *         + L                       the API check: the master's detail for its stand-in (the
 *                                   stand-in's /healthz on loopback answers at once)
 *
 * with L = latency, B = burst, r = requests/s, boot = boot time. Local CPU (rendering user data,
 * the sim's own work, the stand-in's TLS) is not in the bound: it is part of what is measured.
 * The plan's round trip is there because a tool that can be re-run must look before it creates.
 * (N+1)/r for the creates would ignore the burst and overstate what small clusters must wait;
 * the poll's L is arguable in the sim, which spends its latency before handling a request, so a
 * poll sent exactly L before the last boot ends could come back at that instant.
 */
function bound(n) {
  const creates = L / 1000 + Math.max(0, (n + 1 - BURST) / RPS);
  return (L + L + 3 * L) / 1000 + creates + BOOT / 1000 + L / 1000 + L / 1000;
}
const BOUND_FORMULA = 'bound = L(auth) + L(plan) + 3L(network→subnet→port) + [L + max(0, (N+1−B)/r)](creates) + boot + L(poll) + L(API check)';

const fmt = (seconds) => seconds.toFixed(2);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function configFor(n) {
  // A /22 private network and a /12 pod network, so 500 nodes fit (the defaults hold 253 / 255);
  // the OpenStack-mode sim's flavors are m1.*.
  return resolveConfig({
    env: { NUM_NODES: String(n), NOVA_NETWORK: '192.168.0.0/22', KUBE_NETWORK: '10.240.0.0/12', KUBE_MASTER_FLAVOR: 'm1.small', KUBE_NODE_FLAVOR: 'm1.medium' },
  });
}

async function withCloud(work) {
  const home = await mkdtemp(join(tmpdir(), 'rax-kube-bench-up-'));
  const cloud = await startLocalCloud(home, simOptions);
  try {
    return await work(cloud, home);
  } finally {
    await cloud.close();
    await rm(home, { recursive: true, force: true });
  }
}

function releasePublisher(client, home, config, tarball) {
  return async () => {
    const published = await publishRelease({ objectStorage: client.objectStorage, source: { kind: 'path', tarball }, owner: 'bench', containerPrefix: config.containerPrefix, env: {}, cwd: home, home });
    return { url: published.url, sha256: published.upload.digests.sha256, expiresAt: published.expiresAt };
  };
}

/** rax-kube's up on a fresh cloud; returns wall seconds, then takes the cluster down. */
async function raxKube(n, inputs) {
  return withCloud(async (cloud, home) => {
    const config = configFor(n);
    const timeline = [];
    let t0 = 0;
    let lastProgress = 0;
    const emit = (event) => {
      const at = performance.now() - t0;
      if (event.type === 'step-started' || event.type === 'step-done') timeline.push([at, event.type === 'step-started' ? 'start' : 'done ', event.step]);
      if (args.trace && event.type === 'step-progress' && at - lastProgress > 2000) {
        lastProgress = at;
        console.error(`    [${(at / 1000).toFixed(1)} s] ${event.step}: ${event.message}`);
      }
    };
    const options = {
      config,
      profile: PROFILE,
      secrets: inputs.secrets,
      sshPublicKey: inputs.key.publicKey,
      cloudProvider: cloudProviderFromEnv(PROFILE, cloud.env).provider,
      publishRelease: releasePublisher(cloud.client, home, config, inputs.tarball),
      apiWait: true,
      apiUrl: cloud.apiUrl,
      apiDeadlineMs: 60_000,
      ...(concurrency ? { concurrency } : {}),
    };
    t0 = performance.now();
    const result = await up(options, { client: cloud.client, emit });
    const wall = (performance.now() - t0) / 1000;
    if (!result.api?.healthy || result.nodes.length !== n) throw new Error(`up N=${n} did not finish: ${result.nodes.length} nodes, api ${JSON.stringify(result.api)}`);
    const requests = cloud.sim.state.requests().length;
    const limited = cloud.sim.state.rateLimitedCount();
    if (args.trace) for (const [ms, what, id] of timeline) console.log(`    ${(ms / 1000).toFixed(3).padStart(7)} s  ${what} ${id}`);
    // down is idempotent: when it gives up on the rate limit, it is run again (and reported).
    const downStarted = performance.now();
    let downRuns = 0;
    for (;;) {
      downRuns++;
      try {
        await down({ config }, { client: cloud.client, emit: () => undefined });
        break;
      } catch (error) {
        if (error?.code !== 'RATE_LIMITED' || downRuns >= 10) throw error;
      }
    }
    const downWall = (performance.now() - downStarted) / 1000;
    const left = cloud.sim.state.servers().length + cloud.sim.state.ports().length + cloud.sim.state.networks().filter((net) => net.name === config.novaNetworkLabel).length;
    if (left !== 0) throw new Error(`down N=${n}: ${left} servers, ports or networks left`);
    return { wall, requests, limited, downWall, downRuns };
  });
}

/**
 * The original's way, on the same cloud: every call made by a new client that first
 * authenticates (the old bash script ran `nova` / `swift` once per command), everything one call
 * at a time: keypair, network, subnet, port, release, image and flavors, then one create per
 * server, then each server polled on its own (every POLL_MS) until ACTIVE, then the API checked
 * as often. The image and flavors are looked up once (nova looked them up per boot), which
 * favours the original.
 */
const POLL_MS = 1000;
async function originalWay(n, inputs) {
  return withCloud(async (cloud, home) => {
    const config = configFor(n);
    const desired = desiredCluster(config);
    const fresh = () => clientFromEnv(cloud.env);
    const t0 = performance.now();
    await fresh().compute.keypairs.create(desired.keypairName, inputs.key.publicKey);
    const description = `rax-kube cluster ${desired.name}`;
    const networkId = (await fresh().network.networks.create({ name: desired.network.name, description })).id;
    const subnetId = (await fresh().network.subnets.create({ networkId, cidr: desired.network.cidr, name: desired.network.subnetName, description, allocationPools: desired.network.allocationPools })).id;
    const portId = (await fresh().network.ports.create({ networkId, name: desired.network.masterPortName, description, fixedIps: [{ subnetId, ipAddress: desired.network.masterFixedIp }] })).id;
    const release = await releasePublisher(fresh(), home, config, inputs.tarball)();
    const image = await fresh().compute.images.find(config.image);
    const masterFlavor = await fresh().compute.flavors.find(config.masterFlavor);
    const nodeFlavor = await fresh().compute.flavors.find(config.nodeFlavor);
    const rendered = renderCluster(config, {
      secrets: inputs.secrets,
      cloudProvider: cloudProviderFromEnv(PROFILE, cloud.env).provider,
      release: { url: release.url, sha256: release.sha256 },
      interfaces: coreosLegacy.SINGLE_NETWORK_INTERFACES, // as up does for the openstack profile
    });
    const userData = new Map([rendered.master, ...rendered.nodes].map((m) => [m.name, m.userData]));
    const prep = (performance.now() - t0) / 1000;
    const ids = [];
    for (const server of desired.servers) {
      const made = await fresh().compute.servers.create({
        name: server.name,
        imageRef: image.id,
        flavorRef: (server.role === 'master' ? masterFlavor : nodeFlavor).id,
        keyName: desired.keypairName,
        metadata: server.metadata,
        userData: userData.get(server.name) ?? '',
        configDrive: true,
        networks: serverNetworks(PROFILE, server, { networkId, subnetId, portId }),
      });
      ids.push(made.id);
    }
    let master;
    for (const id of ids) {
      for (;;) {
        const server = await fresh().compute.servers.get(id);
        if (server.status === 'ERROR') throw new Error(`${server.name} went into ERROR`);
        if (server.status === 'ACTIVE') {
          master ??= server;
          break;
        }
        await sleep(POLL_MS);
      }
    }
    const url = await cloud.apiUrl(master);
    while (!(await probeHealthz({ server: url, username: inputs.secrets.adminUser, password: inputs.secrets.adminPassword })).ok) await sleep(POLL_MS);
    const wall = (performance.now() - t0) / 1000;
    return { wall, prep, requests: cloud.sim.state.requests().length, limited: cloud.sim.state.rateLimitedCount() };
  });
}

const workDir = await mkdtemp(join(tmpdir(), 'rax-kube-bench-release-'));
try {
  // The stand-in release is built once, outside every timing (a real release is found, not built).
  const { path: tarball } = await localReleaseTarball(workDir, {}, workDir);
  const inputs = { secrets: generateSecrets(), key: generateSshKeyPair('ed25519', 'bench'), tarball };

  console.log(`local cloud: latency L=${L} ms per request, boot ${BOOT} ms, rate limit per service r=${RPS} requests/s burst B=${BURST} (token requests exempt; compute publishes its limit in /limits), ${PROFILE} mode`);
  console.log(`rax-kube up: apiWait true against the stand-in master, create concurrency ${concurrency ?? 'default'}`);
  console.log(BOUND_FORMULA);
  console.log(`original's way: a new client (so a new authentication) per call, one create at a time, each server then polled alone every ${POLL_MS} ms until ACTIVE`);
  console.log('');

  const rows = [];
  for (const n of sizes) {
    const all = [];
    for (let run = 0; run < runs; run++) all.push(await raxKube(n, inputs));
    const rax = [...all].sort((x, y) => x.wall - y.wall)[Math.floor(all.length / 2)];
    const b = bound(n);
    const spread = all.length > 1 ? `, runs ${all.map((r) => fmt(r.wall)).join(' / ')} s` : '';
    console.log(`up N=${n}: ${fmt(rax.wall)} s, bound ${fmt(b)} s, ratio ${(rax.wall / b).toFixed(3)}   (median of ${all.length}${spread}; ${rax.requests} requests, ${rax.limited} rate-limited)`);
    const downRetried = all.filter((r) => r.downRuns > 1).length;
    console.log(`  down N=${n}: ${fmt(rax.downWall)} s, nothing left${downRetried ? ` (in ${downRetried} of ${all.length} runs down gave up on the rate limit and was run again)` : ''}`);
    rows.push({ n, rax: rax.wall });
  }
  console.log('');

  const measured = [];
  for (const row of rows) {
    if (row.n <= originalMax) {
      const original = await originalWay(row.n, inputs);
      measured.push({ n: row.n, wall: original.wall, prep: original.prep });
      console.log(`original N=${row.n}: ${fmt(original.wall)} s measured, rax-kube ${(original.wall / row.rax).toFixed(1)}x faster   (${original.requests} requests, ${original.limited} rate-limited)`);
    } else if (measured.length > 0) {
      // Linear in the number of servers, from the largest measured size: its preparation (one call
      // at a time up to the first create), then its time per server (create, then poll).
      const c = measured.at(-1);
      const perServer = (c.wall - c.prep) / (c.n + 1);
      const estimate = c.prep + perServer * (row.n + 1);
      console.log(`original N=${row.n}: ${fmt(estimate)} s EXTRAPOLATED, not run (${fmt(c.prep)} s preparation + ${fmt(perServer)} s per server, measured at N=${c.n}), rax-kube ${(estimate / row.rax).toFixed(1)}x faster`);
    } else {
      console.log(`original N=${row.n}: not run (--original-max ${originalMax})`);
    }
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}
