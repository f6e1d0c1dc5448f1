#!/usr/bin/env node
/**
 * Fault runs for `up` / `down` on the local cloud.
 *
 * For each seed: a fresh RAX_KUBE_HOME; a child process runs `up` against the local cloud with
 * faults on (5xx, resets, timeouts, 413 / 429 with and without Retry-After) and is killed with
 * SIGKILL at a moment drawn from the seed (a delay of 0-40 ms after its Nth event, N in
 * 1..--max-events, or at the (N+6)th event if that comes first); then `up` runs again (faults
 * still on, no kill) and must finish with exactly one master and N nodes, each name once, all
 * ACTIVE and marked as the cluster's; then `down` (faults on, with the keypair and the release)
 * must leave no server, network, subnet, port, keypair or object. No two servers may ever share
 * a name: each child checks the cloud after every event and every 20 ms, and the parent checks
 * between steps. The cloud lives in the children (as with `rax-kube up --local`); its state file
 * under `<home>/local/` is what survives the kill, and what the parent inspects.
 *
 *   node packages/cluster-up/scripts/fault-runs.mjs [--seeds 1..20] [--nodes 5] [--rate 0.05]
 *        [--max-events 26] [--jobs 1] [--phase-timeout 180] [--json-out report.json] [--keep]
 *
 * Timeout faults alternate by seed: odd seeds hold the request 400 ms under a 1.5 s client
 * timeout (the cloud drops it), even seeds hold it 2.5 s over a 0.8 s client timeout (the client
 * gives up first). The home of a failed run is kept, and printed.
 *
 * Runs against the BUILT packages (dist/): run `npx nx run-many -t build` after changing sources.
 * Exit status 0 when every run passes, 1 when any fails, 2 on bad arguments.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(import.meta.url);
const PACKAGE_DIR = join(dirname(SCRIPT), '..');
const WORKSPACE_PACKAGES = join(PACKAGE_DIR, '..');

/** Every fault kind the sim knows: server errors, dropped connections, and rate limits with and without Retry-After. */
export const FAULT_KINDS = ['5xx', 'reset', 'timeout', '413', '429', '413-no-retry-after', '429-no-retry-after'];

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

/** mulberry32: a small seeded PRNG, so the kill point of a seed is the same on every machine. */
export function seededRandom(seed) {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The kill point of a seed: after a number of emitted events, then a short delay (so it can land mid-request). */
export function killPoint(seed, maxEvents) {
  const random = seededRandom(seed * 7919 + 17);
  return { afterEvents: 1 + Math.floor(random() * maxEvents), delayMs: Math.floor(random() * 40) };
}

/** Timeout faults alternate: held shorter than the client's timeout (the sim drops it), or longer (the client gives up first). */
export function timeouts(seed) {
  return seed % 2 === 1 ? { timeoutHoldMs: 400, clientTimeoutMs: 1500 } : { timeoutHoldMs: 2500, clientTimeoutMs: 800 };
}

function parseSeeds(text) {
  const seeds = [];
  for (const part of text.split(',')) {
    const range = /^(\d+)\.\.(\d+)$/.exec(part.trim());
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (from < 1 || to < from || to - from > 10_000) throw new Error(`--seeds ${text}: a range must be 1 <= from <= to`);
      for (let seed = from; seed <= to; seed++) seeds.push(seed);
    } else if (/^\d+$/.test(part.trim()) && Number(part) >= 1) {
      seeds.push(Number(part));
    } else {
      throw new Error(`--seeds ${text}: expected positive whole numbers or ranges, e.g. 1..20 or 3,7,9`);
    }
  }
  return seeds;
}

function parseArgs(argv) {
  const options = { seeds: parseSeeds('1..20'), nodes: 5, rate: 0.05, maxEvents: 26, jsonOut: undefined, keep: false, phaseTimeoutMs: 180_000, jobs: 1 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    const number = (name, text, min, max) => {
      const n = Number(text);
      if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name} ${text}: must be a number from ${min} to ${max}`);
      return n;
    };
    if (arg === '--seeds') options.seeds = parseSeeds(value());
    else if (arg === '--nodes') options.nodes = number(arg, value(), 1, 50);
    else if (arg === '--rate') options.rate = number(arg, value(), 0, 0.5);
    else if (arg === '--max-events') options.maxEvents = number(arg, value(), 1, 1000);
    else if (arg === '--phase-timeout') options.phaseTimeoutMs = number(arg, value(), 1, 3600) * 1000;
    else if (arg === '--jobs') options.jobs = number(arg, value(), 1, 16);
    else if (arg === '--json-out') options.jsonOut = value();
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`usage: fault-runs.mjs [--seeds 1..20] [--nodes 5] [--rate 0.05] [--max-events 26] [--jobs 1] [--phase-timeout 180] [--json-out FILE] [--keep]\n`);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

// ---------------------------------------------------------------------------------------------
// Child: one `up` or `down` against the local cloud with faults, reporting JSON lines on stdout
// ---------------------------------------------------------------------------------------------

const CLUSTER_METADATA_KEY = 'rax-kube-cluster';

/** Names held by more than one server at this moment (deleting ones included). */
function duplicateNames(servers) {
  const count = new Map();
  for (const server of servers) count.set(server.name, (count.get(server.name) ?? 0) + 1);
  return [...count].filter(([, n]) => n > 1).map(([name, n]) => ({ name, count: n }));
}

async function child(op, spec) {
  const lib = await import(new URL('../dist/index.js', import.meta.url).href);
  const { defaultReleaseContainer, releaseObjectName } = await import('@rax-kube/tarball-builder');
  const write = (record) => process.stdout.write(`${JSON.stringify(record)}\n`);
  const started = Date.now();
  const config = lib.resolveConfig({ env: { NUM_NODES: String(spec.nodes) } });
  const cloud = await lib.startLocalCloud(spec.home, {
    seed: spec.faultSeed,
    bootTimeMs: 300,
    deleteTimeMs: 100,
    ...(spec.rate > 0 ? { faults: { rate: spec.rate, kinds: FAULT_KINDS, timeoutHoldMs: spec.timeoutHoldMs, retryAfterSeconds: 1 } } : {}),
  });
  // The client up / down use: as `--local` builds it, with short per-attempt timeouts.
  const { client, credentials, region } = lib.connect(cloud.env, undefined, { timeout: { response: spec.clientTimeoutMs, socket: spec.clientTimeoutMs, connect: spec.clientTimeoutMs } });

  // Never two servers with one name: checked after every event and every 20 ms.
  let dupMax = 0;
  const dupNames = new Set();
  let lastFaults = -1;
  const watch = () => {
    const dups = duplicateNames(cloud.sim.state.servers());
    for (const d of dups) dupNames.add(d.name);
    const now = dups.reduce((n, d) => n + d.count - 1, 0);
    if (now > dupMax) {
      dupMax = now;
      write({ t: 'duplicates', count: now, names: dups.map((d) => d.name) });
    }
    const faults = cloud.sim.state.faults();
    if (faults.total !== lastFaults) {
      lastFaults = faults.total;
      write({ t: 'faults', total: faults.total, byKind: faults.byKind, log: faults.log, requests: cloud.sim.state.requests().length });
    }
  };
  const timer = setInterval(watch, 20);
  let events = 0;
  const emit = (event) => {
    events++;
    const brief = { type: event.type, step: event.step };
    if (event.type === 'resource') Object.assign(brief, { action: event.action, kind: event.kind, name: event.name });
    if (event.type === 'step-failed') brief.error = event.error.message;
    write({ t: 'event', n: events, event: brief, requests: cloud.sim.state.requests().length });
    watch();
  };

  let outcome;
  try {
    if (op === 'up') {
      const { secrets } = await lib.loadOrCreateSecrets(spec.home, config.clusterName);
      const key = await lib.ensureLocalSshKey(config.sshKeyName, 'rsa', join(lib.localDir(spec.home), 'ssh'));
      const owner = lib.releaseOwner(credentials);
      const result = await lib.up(
        {
          config,
          profile: 'rackspace',
          secrets,
          sshPublicKey: key.publicKey,
          cloudProvider: lib.cloudProviderFromCredentials('rackspace', { ...credentials }, region),
          publishRelease: async () => {
            const tarball = await lib.localReleaseTarball(spec.home, {}, spec.home);
            const published = await lib.publishRelease({ objectStorage: client.objectStorage, source: { kind: 'path', tarball: tarball.path }, owner, containerPrefix: config.containerPrefix, env: {}, cwd: spec.home, home: spec.home });
            return { url: published.url, sha256: published.upload.digests.sha256, expiresAt: published.expiresAt };
          },
          kubeconfigPath: join(spec.home, 'kube', 'config'),
          apiUrl: cloud.apiUrl,
          apiDeadlineMs: 60_000,
        },
        { client, emit },
      );
      outcome = { ok: true, plan: result.planLines, master: result.master?.name, nodes: result.nodes.map((n) => n.name), apiHealthy: result.api?.healthy === true };
    } else {
      const owner = lib.releaseOwner(credentials);
      const result = await lib.down(
        { config, deleteKeypair: true, deleteRelease: { container: defaultReleaseContainer(owner), object: releaseObjectName(config.containerPrefix) } },
        { client, emit },
      );
      outcome = { ok: true, deleted: result };
    }
  } catch (error) {
    outcome = { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), stack: error instanceof Error ? error.stack : undefined };
  }
  clearInterval(timer);
  watch();
  const faults = cloud.sim.state.faults();
  write({ t: 'result', ...outcome, events, requests: cloud.sim.state.requests().length, faults: { total: faults.total, byKind: faults.byKind, log: faults.log }, dupMax, dupNames: [...dupNames], durationMs: Date.now() - started });
  await cloud.close();
  process.exit(outcome.ok ? 0 : 1);
}

// ---------------------------------------------------------------------------------------------
// Parent: the runs, the kill, and the checks on the cloud's state file
// ---------------------------------------------------------------------------------------------

/** Events after the Nth at which the kill comes at once, if its delay has not run out (bursts at the end of up take a few ms). */
const KILL_CAP_EVENTS = 6;

/** Runs one child phase; `kill` (optional) SIGKILLs it a delay after its Nth event, or at the (N+6)th if that comes first. */
function runPhase(op, spec, { kill, timeoutMs }) {
  return new Promise((resolve) => {
    const started = Date.now();
    const proc = spawn(process.execPath, [SCRIPT, '--child', op, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RAX_KUBE_HOME: spec.home, KUBECONFIG: join(spec.home, 'kube', 'config') } });
    const phase = { op, events: 0, requests: 0, lastEvent: undefined, faults: { total: 0, byKind: {}, log: [] }, dupMax: 0, dupNames: [], result: undefined, stderr: '', killedAt: undefined };
    let buffer = '';
    let killTimer;
    let lastEventAt = started;
    let killed = false;
    const killNow = () => {
      if (killed || phase.result || proc.exitCode !== null || proc.signalCode !== null) return;
      killed = true;
      phase.killedAt = { afterEvents: phase.events, event: phase.lastEvent, msAfterEvent: Date.now() - lastEventAt, faultsSoFar: phase.faults.total };
      proc.kill('SIGKILL');
    };
    const watchdog = setTimeout(() => {
      phase.timedOut = true;
      proc.kill('SIGKILL');
    }, timeoutMs);
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk) => {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        let record;
        try {
          record = JSON.parse(line);
        } catch {
          phase.stderr += `${line}\n`;
          continue;
        }
        if (record.t === 'event') {
          phase.events = record.n;
          phase.requests = record.requests;
          phase.lastEvent = record.event;
          lastEventAt = Date.now();
          if (kill && killTimer === undefined && record.n >= kill.afterEvents) {
            killTimer = setTimeout(killNow, kill.delayMs);
          } else if (kill && killTimer !== undefined && record.n >= kill.afterEvents + KILL_CAP_EVENTS) {
            // The tail of up can run in a few ms (servers already ACTIVE): kill no later than a few events on.
            clearTimeout(killTimer);
            killNow();
          }
        } else if (record.t === 'faults') {
          phase.faults = { total: record.total, byKind: record.byKind, log: record.log };
          phase.requests = Math.max(phase.requests, record.requests);
        } else if (record.t === 'duplicates') {
          phase.dupMax = Math.max(phase.dupMax, record.count);
          phase.dupNames = [...new Set([...phase.dupNames, ...record.names])];
        } else if (record.t === 'result') {
          // A kill sent after up had finished (its result already written) interrupted nothing.
          if (phase.killedAt) phase.killedAt = undefined;
          phase.result = record;
          phase.faults = record.faults;
          phase.requests = record.requests;
          phase.dupMax = Math.max(phase.dupMax, record.dupMax);
          phase.dupNames = [...new Set([...phase.dupNames, ...record.dupNames])];
        }
      }
    });
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk) => {
      if (phase.stderr.length < 20_000) phase.stderr += chunk;
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      clearTimeout(killTimer);
      phase.exit = signal ? signal : code;
      phase.durationMs = Date.now() - started;
      resolve(phase);
    });
  });
}

/** What the cloud holds, read from the state file by a sim without faults (the public inspector). */
async function inspectCloud(home) {
  const { startSim } = await import('@rax-kube/openstack-sim');
  const sim = await startSim({ mode: 'rackspace', stateFile: join(home, 'local', 'cloud-state.json'), bootTimeMs: 300, deleteTimeMs: 100 });
  try {
    const special = new Set(sim.state.networks().filter((n) => n.special).map((n) => n.id));
    return {
      servers: sim.state.servers().map((s) => ({ id: s.id, name: s.name, status: s.status, cluster: s.metadata[CLUSTER_METADATA_KEY] })),
      networks: sim.state.networks().filter((n) => !n.special).map((n) => ({ id: n.id, name: n.name, description: n.description })),
      subnets: sim.state.subnets().filter((s) => !special.has(s.networkId)).map((s) => ({ id: s.id, name: s.name, networkId: s.networkId })),
      ports: sim.state.ports().map((p) => ({ id: p.id, name: p.name, networkId: p.networkId, description: p.description })),
      keypairs: sim.state.keypairs().map((k) => k.name),
      objects: sim.state.objects().map((o) => `${o.container}/${o.name}`),
    };
  } finally {
    await sim.close();
  }
}

/** The error line of a child's stderr (e.g. a dist rebuilt under a running child), else its end. */
function stderrSummary(stderr) {
  const line = stderr.split('\n').find((l) => /\b\w*Error\b|^error:/i.test(l) && !/^\s+at /.test(l));
  return (line ?? stderr.trim().slice(-500)).trim();
}

function describeKill(phase) {
  if (!phase.killedAt) return phase.result ? `not killed (up finished after ${phase.events} events)` : `not killed (exit ${phase.exit})`;
  const e = phase.killedAt.event;
  const what = e.type === 'resource' ? `${e.action} ${e.kind} ${e.name}` : `${e.type.replace('step-', '')} ${e.step}`;
  return `killed after event ${phase.killedAt.afterEvents} (${what}) +${phase.killedAt.msAfterEvent} ms`;
}

function addKinds(into, byKind) {
  for (const [kind, n] of Object.entries(byKind ?? {})) into[kind] = (into[kind] ?? 0) + n;
  return into;
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

export async function faultRun(seed, options) {
  const home = await mkdtemp(join(tmpdir(), `rax-kube-fault-${seed}-`));
  const { timeoutHoldMs, clientTimeoutMs } = timeouts(seed);
  const base = { home, nodes: options.nodes, rate: options.rate, timeoutHoldMs, clientTimeoutMs };
  const kill = killPoint(seed, options.maxEvents);
  const problems = [];
  const run = { seed, home, kill: undefined, faults: { total: 0, byKind: {} }, duplicates: 0, leftovers: undefined, durationsMs: {}, problems, passed: false };

  const killed = await runPhase('up', { ...base, faultSeed: seed }, { kill, timeoutMs: options.phaseTimeoutMs });
  run.killPlan = kill;
  run.kill = describeKill(killed);
  run.killedAt = killed.killedAt ?? null;
  run.durationsMs.killedUp = killed.durationMs;
  if (killed.timedOut) problems.push(`killed up: no progress within ${seconds(options.phaseTimeoutMs)}`);
  if (!killed.killedAt && killed.result && !killed.result.ok) problems.push(`up failed before the kill: ${killed.result.error}`);
  if (!killed.killedAt && !killed.result) problems.push(`up died before the kill (exit ${killed.exit}): ${stderrSummary(killed.stderr)}`);
  const afterKill = await inspectCloud(home);
  const killDups = duplicateNames(afterKill.servers);

  const recovered = await runPhase('up', { ...base, faultSeed: seed + 1000 }, { timeoutMs: options.phaseTimeoutMs });
  run.durationsMs.up = recovered.durationMs;
  if (!recovered.result?.ok) problems.push(`up after the kill failed: ${recovered.result?.error ?? `exit ${recovered.exit}${recovered.timedOut ? ' (timed out)' : ''} ${stderrSummary(recovered.stderr)}`}`);
  else if (!recovered.result.apiHealthy) problems.push('up after the kill: the API was not healthy');
  const afterUp = await inspectCloud(home);
  const wanted = ['kubernetes-master', ...Array.from({ length: options.nodes }, (_, i) => `kubernetes-node-${i + 1}`)];
  const upDups = duplicateNames(afterUp.servers);
  const names = afterUp.servers.map((s) => s.name).sort();
  if (JSON.stringify(names) !== JSON.stringify([...wanted].sort())) problems.push(`after up: servers ${names.join(', ') || 'none'}; wanted ${wanted.join(', ')}`);
  const notActive = afterUp.servers.filter((s) => s.status !== 'ACTIVE');
  if (notActive.length > 0) problems.push(`after up: not ACTIVE: ${notActive.map((s) => `${s.name} ${s.status}`).join(', ')}`);
  const unmarked = afterUp.servers.filter((s) => s.cluster !== 'kubernetes');
  if (unmarked.length > 0) problems.push(`after up: servers without the cluster's metadata: ${unmarked.map((s) => s.name).join(', ')}`);
  if (afterUp.networks.length !== 1 || afterUp.subnets.length !== 1) problems.push(`after up: ${afterUp.networks.length} networks, ${afterUp.subnets.length} subnets (wanted 1 and 1)`);
  const unmarkedNet = [...afterUp.networks, ...afterUp.ports.filter((p) => p.name === 'kubernetes-master-port')].filter((r) => r.description !== 'rax-kube cluster kubernetes');
  if (unmarkedNet.length > 0) problems.push(`after up: network resources without the cluster's marker: ${unmarkedNet.map((r) => r.name).join(', ')}`);

  const removed = await runPhase('down', { ...base, faultSeed: seed + 2000 }, { timeoutMs: options.phaseTimeoutMs });
  run.durationsMs.down = removed.durationMs;
  if (!removed.result?.ok) problems.push(`down failed: ${removed.result?.error ?? `exit ${removed.exit}${removed.timedOut ? ' (timed out)' : ''} ${stderrSummary(removed.stderr)}`}`);
  const afterDown = await inspectCloud(home);
  const left = { servers: afterDown.servers.length, networks: afterDown.networks.length, subnets: afterDown.subnets.length, ports: afterDown.ports.length, keypairs: afterDown.keypairs.length, objects: afterDown.objects.length };
  run.leftovers = Object.values(left).reduce((a, b) => a + b, 0);
  run.leftoverDetail = left;
  if (run.leftovers > 0) problems.push(`after down: ${Object.entries(left).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ')} left (${JSON.stringify(afterDown)})`);

  run.duplicates = Math.max(killed.dupMax, recovered.dupMax, removed.dupMax, killDups.length, upDups.length);
  run.duplicateNames = [...new Set([...killed.dupNames, ...recovered.dupNames, ...removed.dupNames, ...killDups.map((d) => d.name), ...upDups.map((d) => d.name)])];
  if (run.duplicates > 0) problems.push(`two servers with one name: ${run.duplicateNames.join(', ')}`);
  run.faultsByPhase = { killedUp: killed.faults.total, up: recovered.faults.total, down: removed.faults.total };
  run.requests = killed.requests + recovered.requests + removed.requests;
  run.faultLog = [...killed.faults.log.map((f) => ({ phase: 'killed up', ...f })), ...recovered.faults.log.map((f) => ({ phase: 'up', ...f })), ...removed.faults.log.map((f) => ({ phase: 'down', ...f }))];
  run.faultsOnChanges = run.faultLog.filter((f) => f.method !== 'GET' && f.method !== 'HEAD').length;
  run.faults = { total: killed.faults.total + recovered.faults.total + removed.faults.total, byKind: addKinds(addKinds(addKinds({}, killed.faults.byKind), recovered.faults.byKind), removed.faults.byKind) };
  run.durationsMs.total = run.durationsMs.killedUp + run.durationsMs.up + run.durationsMs.down;
  run.plan = recovered.result?.plan;
  run.passed = problems.length === 0;
  if (run.passed && !options.keep) await rm(home, { recursive: true, force: true });
  return run;
}

export function runLine(run) {
  const kinds = Object.entries(run.faults.byKind).sort().map(([k, n]) => `${k} ${n}`).join(', ');
  const f = run.faultsByPhase;
  return (
    `seed ${String(run.seed).padStart(2)}  ${run.passed ? 'PASS' : 'FAIL'}  ${run.kill}; ` +
    `faults ${run.faults.total} of ${run.requests} requests, ${run.faultsOnChanges} on changes (killed up ${f.killedUp}, up ${f.up}, down ${f.down}: ${kinds || 'none'}); ` +
    `duplicates ${run.duplicates}; leftovers ${run.leftovers}; ` +
    `killed up ${seconds(run.durationsMs.killedUp)}, up ${seconds(run.durationsMs.up)}, down ${seconds(run.durationsMs.down)}` +
    (run.passed ? '' : `\n    ${run.problems.join('\n    ')}\n    home kept: ${run.home}`)
  );
}

/** Warns when a package's dist is older than its sources: the runs test what was built. */
async function warnIfStale() {
  const newest = async (dir) => {
    let latest = 0;
    for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) latest = Math.max(latest, (await stat(join(entry.parentPath ?? entry.path, entry.name))).mtimeMs);
    }
    return latest;
  };
  const stale = [];
  for (const name of ['cluster-up', 'openstack-client', 'openstack-sim', 'tarball-builder', 'cloud-config']) {
    const built = await stat(join(WORKSPACE_PACKAGES, name, 'dist', 'index.js')).then((s) => s.mtimeMs, () => 0);
    if (built === 0) throw new Error(`packages/${name}/dist is missing: run npx nx run-many -t build first`);
    if ((await newest(join(WORKSPACE_PACKAGES, name, 'src'))) > built) stale.push(name);
  }
  if (stale.length > 0) process.stderr.write(`warning: dist is older than src in ${stale.join(', ')}; run npx nx run-many -t build to test the current sources\n`);
}

async function main(argv) {
  if (argv[0] === '--child') return child(argv[1], JSON.parse(argv[2]));
  let options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`fault-runs: ${error.message}\n`);
    process.exit(2);
  }
  await warnIfStale();
  const seedText = options.seeds.length > 1 && options.seeds.every((seed, i) => i === 0 || seed === options.seeds[i - 1] + 1) ? `${options.seeds[0]}..${options.seeds.at(-1)}` : options.seeds.join(',');
  process.stdout.write(`fault runs: seeds ${seedText}, ${options.nodes} nodes, fault rate ${options.rate}, kinds ${FAULT_KINDS.join(' ')}\n`);
  // Runs go one at a time by default (each has its own cloud, so --jobs N only trades timing realism for speed).
  const runs = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(options.jobs, options.seeds.length) }, async () => {
      while (next < options.seeds.length) {
        const run = await faultRun(options.seeds[next++], options);
        runs.push(run);
        process.stdout.write(`${runLine(run)}\n`);
      }
    }),
  );
  runs.sort((a, b) => a.seed - b.seed);
  const passed = runs.filter((r) => r.passed).length;
  const duplicates = runs.reduce((n, r) => n + r.duplicates, 0);
  const leftovers = runs.reduce((n, r) => n + r.leftovers, 0);
  const faults = runs.reduce((n, r) => n + r.faults.total, 0);
  const byKind = runs.reduce((acc, r) => addKinds(acc, r.faults.byKind), {});
  const killedCount = runs.filter((r) => r.killedAt).length;
  const requests = runs.reduce((n, r) => n + r.requests, 0);
  const onChanges = runs.reduce((n, r) => n + r.faultsOnChanges, 0);
  const summary = `fault runs: ${passed}/${runs.length} passed, duplicates ${duplicates}, leftovers ${leftovers}, faults injected ${faults}`;
  process.stdout.write(`faults by kind: ${Object.entries(byKind).sort().map(([k, n]) => `${k} ${n}`).join(', ')}; ${onChanges} on changing calls (POST / PUT / DELETE); ${requests} requests in all; killed mid-up in ${killedCount}/${runs.length} runs\n`);
  process.stdout.write(`${summary}\n`);
  if (options.jsonOut) await writeFile(options.jsonOut, `${JSON.stringify({ summary, passed, total: runs.length, duplicates, leftovers, faults, byKind, runs }, null, 2)}\n`);
  process.exit(passed === runs.length ? 0 : 1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`fault-runs: ${error?.stack ?? error}\n`);
    process.exit(1);
  });
}
