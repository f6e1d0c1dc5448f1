/**
 * clouds.yaml (+ secure.yaml) resolved the way openstacksdk does: OS_CLIENT_CONFIG_FILE first,
 * then ./, the user config dir (~/.config/openstack, or $XDG_CONFIG_HOME/openstack), then
 * /etc/openstack; the first file found is used. secure.yaml is found the same way
 * (OS_CLIENT_SECURE_FILE first) and deep-merged over it, so secrets can live apart.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { OpenStackError } from '../errors.js';
import type { AuthFields, ResolvedCloudConfig } from './credentials.js';
import { credentialsFrom, normaliseInterface } from './credentials.js';
import type { Env } from './env.js';

export interface LoadCloudsYamlOptions {
  /** Cloud name; default OS_CLOUD, or the only cloud in the file. */
  cloud?: string;
  env?: Env;
  cwd?: string;
  homeDir?: string;
  /** Replace the search list (tests). */
  configFiles?: string[];
  secureFiles?: string[];
  /** Region to use when the cloud lists several (`region_name` list). */
  region?: string;
}

interface CloudEntry {
  auth?: AuthFields & Record<string, unknown>;
  auth_type?: string;
  region_name?: string | Array<string | { name: string }>;
  regions?: Array<string | { name: string }>;
  interface?: string;
  endpoint_type?: string;
  identity_api_version?: string | number;
  profile?: string;
  [key: string]: unknown;
}

interface CloudsFile {
  clouds?: Record<string, CloudEntry>;
}

function searchList(name: string, envVar: string | undefined, o: LoadCloudsYamlOptions): string[] {
  const env = o.env ?? process.env;
  const home = o.homeDir ?? homedir();
  const cwd = o.cwd ?? process.cwd();
  const userDir = env.XDG_CONFIG_HOME ? join(env.XDG_CONFIG_HOME, 'openstack') : join(home, '.config', 'openstack');
  const dirs = [cwd, userDir, join(home, '.config', 'openstack'), '/etc/openstack'];
  const files = dirs.flatMap((d) => [join(d, `${name}.yaml`), join(d, `${name}.yml`)]);
  return [...(envVar ? [resolve(cwd, envVar)] : []), ...new Set(files)];
}

function readYaml(path: string): CloudsFile {
  let parsed: unknown;
  try {
    parsed = load(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new OpenStackError({ code: 'CONFIG', message: `cannot read ${path}: ${(err as Error).message}`, cause: err });
  }
  if (parsed === undefined || parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new OpenStackError({ code: 'CONFIG', message: `${path} is not a YAML mapping` });
  return parsed as CloudsFile;
}

function deepMerge<T>(base: T, over: unknown): T {
  if (typeof base !== 'object' || base === null || typeof over !== 'object' || over === null || Array.isArray(over)) return (over ?? base) as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out as T;
}

const regionName = (r: string | { name: string }): string => (typeof r === 'string' ? r : r.name);

/** Finds and parses clouds.yaml/secure.yaml and resolves one cloud to credentials. */
export function loadCloudsYaml(options: LoadCloudsYamlOptions = {}): ResolvedCloudConfig {
  const env = options.env ?? process.env;
  const configFiles = options.configFiles ?? searchList('clouds', env.OS_CLIENT_CONFIG_FILE, options);
  const secureFiles = options.secureFiles ?? searchList('secure', env.OS_CLIENT_SECURE_FILE, options);
  const configPath = configFiles.find((f) => existsSync(f));
  if (!configPath) {
    throw new OpenStackError({ code: 'CONFIG', message: `no clouds.yaml found; looked in: ${configFiles.join(', ')}` });
  }
  let doc = readYaml(configPath);
  const securePath = secureFiles.find((f) => existsSync(f));
  if (securePath) doc = deepMerge(doc, readYaml(securePath));

  const clouds = doc.clouds ?? {};
  const names = Object.keys(clouds);
  const cloudName = options.cloud ?? env.OS_CLOUD ?? (names.length === 1 ? names[0] : undefined);
  if (!cloudName) {
    throw new OpenStackError({ code: 'CONFIG', message: `${configPath} defines ${names.length} clouds (${names.join(', ')}); set OS_CLOUD or pass a cloud name` });
  }
  const entry = clouds[cloudName];
  if (!entry) {
    throw new OpenStackError({ code: 'CONFIG', message: `cloud "${cloudName}" is not in ${configPath}${securePath ? ` / ${securePath}` : ''}; it has: ${names.join(', ') || 'none'}` });
  }
  if (entry.profile) {
    throw new OpenStackError({ code: 'CONFIG', message: `cloud "${cloudName}" uses profile "${entry.profile}": vendor profiles (clouds-public.yaml) are not supported; spell out auth_url instead` });
  }
  const source = `clouds.yaml cloud "${cloudName}" (${configPath}${securePath ? ` + ${securePath}` : ''})`;
  const auth = { ...entry.auth };
  // openstacksdk accepts these at the cloud's top level too
  for (const k of ['project_name', 'project_id', 'tenant_name', 'tenant_id'] as const) {
    if (entry[k] !== undefined && auth[k as keyof AuthFields] === undefined) (auth as Record<string, unknown>)[k] = entry[k];
  }
  if (auth.project_name === undefined && typeof auth.tenant_name === 'string') auth.project_name = auth.tenant_name;
  if (auth.project_id === undefined && typeof auth.tenant_id === 'string') auth.project_id = auth.tenant_id;
  const fields: AuthFields = {};
  for (const [k, v] of Object.entries(auth)) if (typeof v === 'string' || typeof v === 'number') (fields as Record<string, string>)[k] = String(v);

  const { credentials } = credentialsFrom(fields, {
    authType: entry.auth_type,
    identityApiVersion: entry.identity_api_version,
    source,
    names: (f) => `auth.${f}`,
  });

  const regionList = entry.region_name ?? entry.regions;
  let region: string | undefined;
  if (typeof regionList === 'string') region = regionList;
  else if (Array.isArray(regionList) && regionList.length > 0) {
    const all = regionList.map(regionName);
    if (options.region && !all.includes(options.region)) {
      throw new OpenStackError({ code: 'CONFIG', message: `${source} has regions ${all.join(', ')}, not "${options.region}"` });
    }
    region = options.region ?? all[0];
  }
  if (options.region) region = options.region;
  return { credentials, region, interface: normaliseInterface(entry.interface ?? entry.endpoint_type), source };
}
