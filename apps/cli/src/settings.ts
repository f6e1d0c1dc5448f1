import { flagName, loadConfig, VARIABLES } from '@rax-kube/cluster-up';
import type { ClusterConfig, RawSettings, VariableName } from '@rax-kube/cluster-up';
import type { Argv } from 'yargs';
import type { CliIo } from './io.js';

/** Options every command shares. */
export interface GlobalArgs {
  cluster?: string;
  config?: string;
  cloud?: string;
  verbose: number;
}

/** One flag per setting (NUM_NODES -> --num-nodes), grouped so `--help` stays readable. */
export function withSettingFlags<T>(yargs: Argv<T>): Argv<T> {
  let result = yargs;
  for (const variable of VARIABLES) {
    result = result.option(flagName(variable.name), {
      type: 'string',
      group: 'Cluster settings (also from the environment or --config):',
      describe: `${variable.description} [${variable.name}${'default' in variable ? `, default ${variable.default}` : ''}]`,
    }) as Argv<T>;
  }
  return result;
}

/** Settings given as flags; `--cluster` is INSTANCE_PREFIX. */
export function flagSettings(args: Readonly<Record<string, unknown>>): RawSettings {
  const settings: RawSettings = {};
  for (const variable of VARIABLES) {
    const value = args[flagName(variable.name)];
    if (typeof value === 'string') settings[variable.name as VariableName] = value;
  }
  if (typeof args.cluster === 'string') settings.INSTANCE_PREFIX = args.cluster;
  return settings;
}

export function loadClusterConfig(args: GlobalArgs & Record<string, unknown>, io: CliIo): Promise<ClusterConfig> {
  return loadConfig({ env: io.env, flags: flagSettings(args), ...(args.config ? { configPath: args.config } : {}) });
}
