import type { ResolvedCloudConfig } from './credentials.js';
import type { AuthFields } from './credentials.js';
import { credentialsFrom, normaliseInterface } from './credentials.js';

export type Env = Record<string, string | undefined>;

/** OS_* variable for each auth field (first one set wins). */
const ENV_NAMES: Record<keyof AuthFields, string[]> = {
  auth_url: ['OS_AUTH_URL'],
  username: ['OS_USERNAME'],
  user_id: ['OS_USER_ID'],
  password: ['OS_PASSWORD'],
  api_key: ['OS_API_KEY', 'OS_RAX_API_KEY'],
  project_name: ['OS_PROJECT_NAME', 'OS_TENANT_NAME'],
  project_id: ['OS_PROJECT_ID', 'OS_TENANT_ID'],
  user_domain_name: ['OS_USER_DOMAIN_NAME'],
  user_domain_id: ['OS_USER_DOMAIN_ID'],
  project_domain_name: ['OS_PROJECT_DOMAIN_NAME'],
  project_domain_id: ['OS_PROJECT_DOMAIN_ID'],
  domain_name: ['OS_DOMAIN_NAME'],
  domain_id: ['OS_DOMAIN_ID'],
  default_domain_name: ['OS_DEFAULT_DOMAIN_NAME'],
  default_domain_id: ['OS_DEFAULT_DOMAIN_ID', 'OS_DEFAULT_DOMAIN'],
  application_credential_id: ['OS_APPLICATION_CREDENTIAL_ID'],
  application_credential_name: ['OS_APPLICATION_CREDENTIAL_NAME'],
  application_credential_secret: ['OS_APPLICATION_CREDENTIAL_SECRET'],
  token: ['OS_TOKEN', 'OS_AUTH_TOKEN'],
};

/** Reads credentials, region and interface from OS_* variables (not OS_CLOUD: see clientFromEnv). */
export function configFromEnv(env: Env): ResolvedCloudConfig {
  const fields: AuthFields = {};
  for (const [field, names] of Object.entries(ENV_NAMES) as Array<[keyof AuthFields, string[]]>) {
    const v = names.map((n) => env[n]).find((x) => x !== undefined && x !== '');
    if (v !== undefined) fields[field] = v;
  }
  const { credentials } = credentialsFrom(fields, {
    authType: env.OS_AUTH_TYPE,
    identityApiVersion: env.OS_IDENTITY_API_VERSION,
    source: 'environment',
    names: (f) => ENV_NAMES[f].join(' / '),
  });
  return {
    credentials,
    region: env.OS_REGION_NAME || undefined,
    interface: normaliseInterface(env.OS_INTERFACE || env.OS_ENDPOINT_TYPE),
    source: 'OS_* environment variables',
  };
}
