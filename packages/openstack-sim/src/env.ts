import type { ResolvedOptions } from './options.js';

/** The OS_* variables a client needs to talk to the sim (first configured user). */
export interface SimEnv {
  OS_AUTH_URL: string;
  OS_USERNAME: string;
  OS_PASSWORD: string;
  OS_PROJECT_NAME: string;
  OS_TENANT_NAME: string;
  OS_REGION_NAME: string;
  OS_USER_DOMAIN_NAME: string;
  OS_PROJECT_DOMAIN_NAME: string;
  OS_AUTH_TYPE: 'v3password' | 'rackspace_apikey';
  OS_INTERFACE: 'public';
}

export function buildEnv(opts: ResolvedOptions, url: string): SimEnv {
  const user = opts.users[0];
  if (!user) throw new Error('the sim needs at least one user');
  const rackspace = opts.mode === 'rackspace';
  return {
    OS_AUTH_URL: rackspace ? `${url}/v2.0` : `${url}/v3`,
    OS_USERNAME: user.username,
    // On Rackspace OS_PASSWORD carries the account's API key.
    OS_PASSWORD: rackspace ? (user.apiKey ?? user.password) : user.password,
    OS_PROJECT_NAME: user.projectName,
    OS_TENANT_NAME: user.projectName,
    OS_REGION_NAME: opts.region,
    OS_USER_DOMAIN_NAME: user.domainName,
    OS_PROJECT_DOMAIN_NAME: user.domainName,
    OS_AUTH_TYPE: rackspace && user.apiKey ? 'rackspace_apikey' : 'v3password',
    OS_INTERFACE: 'public',
  };
}

/** Shell-quotes a value for `export NAME='value'`. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `export OS_...='...'` lines, one per variable, ready for `eval`. */
export function formatEnvExports(env: Record<string, string | undefined> | SimEnv): string {
  return (
    Object.entries(env)
      .filter((e): e is [string, string] => typeof e[1] === 'string')
      .map(([k, v]) => `export ${k}=${shellQuote(v)}`)
      .join('\n') + '\n'
  );
}
