import { readFile } from 'node:fs/promises';
import { ConfigError } from './errors.js';
import { resolveConfig } from './resolve.js';
import type { ClusterConfig } from './resolve.js';
import type { RawSettings } from './sources.js';

export interface LoadConfigOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** `--config`; else `KUBE_CONFIG_FILE` from the environment, as the original allowed. */
  configPath?: string;
  flags?: RawSettings;
}

/** Reads the config file (if any) and resolves the configuration; see {@link resolveConfig}. */
export async function loadConfig(options: LoadConfigOptions): Promise<ClusterConfig> {
  const path = options.configPath ?? options.env.KUBE_CONFIG_FILE;
  let configFile: { text: string; name: string } | undefined;
  if (path) {
    try {
      configFile = { text: await readFile(path, 'utf8'), name: path };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const variable = options.configPath ? '--config' : 'KUBE_CONFIG_FILE';
      throw new ConfigError([{ variable, value: path, source: options.configPath ? 'flag' : 'environment', message: `cannot be read (${code ?? 'error'}): give the path of a YAML or KEY=value file` }]);
    }
  }
  return resolveConfig({ env: options.env, ...(configFile ? { configFile } : {}), ...(options.flags ? { flags: options.flags } : {}) });
}
