import type { coreosLegacy } from '@rax-kube/cloud-config';
import type { ClusterConfig, CloudProfile } from '../config/index.js';

type CloudProviderConfig = coreosLegacy.CloudProviderConfig;

/** Marks values only a real cloud account can supply, in documents rendered without one. */
export const PLACEHOLDER_PREFIX = 'RAX_KUBE_PLACEHOLDER_';

/** Rackspace identity v2.0 (or a Rackspace host) means the rackspace profile; anything else is OpenStack. */
export function cloudProfileFor(config: Pick<ClusterConfig, 'cloudProfile'>, env: Readonly<Record<string, string | undefined>>): CloudProfile {
  if (config.cloudProfile) return config.cloudProfile;
  const authUrl = env.OS_AUTH_URL;
  if (!authUrl) return 'rackspace';
  return /\/v2\.0\/?$|rackspacecloud\.com/.test(authUrl) ? 'rackspace' : 'openstack';
}

/**
 * What the master's cloud provider integration logs in with, from the OS_* variables. Missing
 * values become clearly marked placeholders, listed in `placeholders`, so `render` works with
 * no account at all.
 */
export function cloudProviderFromEnv(
  profile: CloudProfile,
  env: Readonly<Record<string, string | undefined>>,
): { provider: CloudProviderConfig; placeholders: string[] } {
  const placeholders: string[] = [];
  const take = (names: readonly string[]): string => {
    for (const name of names) {
      const value = env[name];
      if (value) return value;
    }
    placeholders.push(names[0] ?? '');
    return `${PLACEHOLDER_PREFIX}${names[0] ?? ''}`;
  };
  const optional = (...names: string[]) => names.map((name) => env[name]).find((value) => value);
  const provider: CloudProviderConfig = {
    name: profile,
    authUrl: take(['OS_AUTH_URL']),
    username: take(['OS_USERNAME']),
    secret: take(profile === 'rackspace' ? ['OS_PASSWORD', 'OS_API_KEY'] : ['OS_PASSWORD']),
    region: take(['OS_REGION_NAME']),
  };
  const tenantName = optional('OS_TENANT_NAME', 'OS_PROJECT_NAME');
  const tenantId = optional('OS_TENANT_ID', 'OS_PROJECT_ID');
  if (tenantName) provider.tenantName = tenantName;
  if (tenantId) provider.tenantId = tenantId;
  if (!tenantName && !tenantId) provider.tenantName = take(['OS_TENANT_NAME']);
  const domainName = optional('OS_USER_DOMAIN_NAME', 'OS_DOMAIN_NAME');
  if (profile === 'openstack' && domainName) provider.domainName = domainName;
  return { provider, placeholders };
}

/** The cloud provider login for the master, from the credentials rax-kube itself uses. */
export function cloudProviderFromCredentials(profile: CloudProfile, credentials: Record<string, unknown>, region: string | undefined): CloudProviderConfig {
  const text = (key: string) => (typeof credentials[key] === 'string' && credentials[key] !== '' ? (credentials[key] as string) : undefined);
  const provider: CloudProviderConfig = {
    name: profile,
    authUrl: text('authUrl') ?? '',
    username: text('username') ?? text('userId') ?? text('applicationCredentialId') ?? '',
    secret: text('apiKey') ?? text('password') ?? text('applicationCredentialSecret') ?? '',
    region: region ?? '',
  };
  const tenantName = text('tenantName') ?? text('projectName');
  const tenantId = text('tenantId') ?? text('projectId');
  const domainName = text('userDomainName');
  if (tenantName) provider.tenantName = tenantName;
  if (tenantId) provider.tenantId = tenantId;
  if (profile === 'openstack' && domainName) provider.domainName = domainName;
  return provider;
}
