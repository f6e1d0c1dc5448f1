import { serveUntilSignal } from '@rax-kube/openstack-sim';
import type { FaultKind, SimOptions } from '@rax-kube/openstack-sim';
import type { Argv } from 'yargs';
import { CliError } from '../io.js';
import type { CliIo } from '../io.js';
import type { GlobalArgs } from '../settings.js';

const FAULT_KINDS: readonly FaultKind[] = ['5xx', 'reset', 'timeout', '413', '429', '413-no-retry-after', '429-no-retry-after'];

interface SimArgs extends GlobalArgs {
  port: number;
  mode: 'openstack' | 'rackspace';
  latency?: number;
  'boot-time'?: number;
  seed?: number;
  state?: string;
  'fault-rate'?: number;
  'fault-kinds'?: string[];
  'rate-limit'?: number;
  'token-lifetime'?: number;
}

function nonNegative(name: string, value: number | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value < 0 || value > max) throw new CliError(`--${name}=${value}: must be a number from 0 to ${max}`, 2);
  return value;
}

/** Options for the local cloud from the command line, checked before anything starts. */
export function simOptionsFromArgs(args: SimArgs): SimOptions {
  const port = nonNegative('port', args.port, 65535) ?? 0;
  if (!Number.isInteger(port)) throw new CliError(`--port=${args.port}: must be a whole number from 0 to 65535`, 2);
  const options: SimOptions = { mode: args.mode, port };
  const latency = nonNegative('latency', args.latency);
  const bootTime = nonNegative('boot-time', args['boot-time']);
  const seed = nonNegative('seed', args.seed);
  const tokenLifetime = nonNegative('token-lifetime', args['token-lifetime']);
  const rateLimit = nonNegative('rate-limit', args['rate-limit']);
  const faultRate = nonNegative('fault-rate', args['fault-rate'], 1);
  if (latency !== undefined) options.latencyMs = latency;
  if (bootTime !== undefined) options.bootTimeMs = bootTime;
  if (seed !== undefined) options.seed = seed;
  if (tokenLifetime !== undefined) options.tokenLifetimeSeconds = tokenLifetime;
  if (rateLimit) options.rateLimit = { requestsPerSecond: rateLimit };
  if (args.state) options.stateFile = args.state;
  if (faultRate) {
    const kinds = (args['fault-kinds'] ?? ['5xx', 'reset', '429']).flatMap((k) => k.split(','));
    const unknown = kinds.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k));
    if (unknown.length > 0) throw new CliError(`--fault-kinds=${unknown.join(',')}: must be some of ${FAULT_KINDS.join(', ')}`, 2);
    options.faults = { rate: faultRate, kinds: kinds as FaultKind[] };
  }
  return options;
}

export function simCommand(io: CliIo) {
  return {
    command: 'sim',
    describe: 'Serve a local OpenStack / Rackspace cloud on loopback and print the OS_* variables to use it',
    builder: (yargs: Argv<GlobalArgs>) =>
      yargs
        .option('port', { type: 'number', default: 0, describe: 'port on 127.0.0.1 (0: any free port)' })
        .option('mode', { choices: ['openstack', 'rackspace'] as const, default: 'openstack' as const, describe: 'Keystone v3 catalog, or Rackspace v2.0 API-key identity and catalog' })
        .option('latency', { type: 'number', describe: 'added latency per call, in ms' })
        .option('boot-time', { type: 'number', describe: 'ms a server spends in BUILD' })
        .option('seed', { type: 'number', describe: 'seed for reproducible fault injection' })
        .option('state', { type: 'string', describe: 'JSON file to keep the cloud in between runs' })
        .option('fault-rate', { type: 'number', describe: 'fraction of calls that fail, 0..1' })
        .option('fault-kinds', { type: 'array', string: true, describe: `which faults: ${FAULT_KINDS.join(', ')}` })
        .option('rate-limit', { type: 'number', describe: 'requests per second before 429 (413 in rackspace mode)' })
        .option('token-lifetime', { type: 'number', describe: 'token lifetime in seconds' })
        .example('$0 sim --port 8774', 'serve, then `eval` the printed exports in another shell')
        .example('$0 sim --mode rackspace --latency 50 --fault-rate 0.05 --seed 7', 'a slow, flaky Rackspace-style cloud'),
    handler: async (args: SimArgs) => {
      await serveUntilSignal(simOptionsFromArgs(args), { out: { write: io.stdout } });
    },
  };
}
