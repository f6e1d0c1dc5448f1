import { configFromEnv, createClient, loadCloudsYaml, optionsFromConfig } from '@rax-kube/openstack-client';
import type { ClientOptions, Credentials, OpenStackClient, ResolvedCloudConfig } from '@rax-kube/openstack-client';

export interface CloudConnection {
  client: OpenStackClient;
  credentials: Credentials;
  /** Where the credentials came from, for messages (never the secrets themselves). */
  source: string;
  region: string | undefined;
}

/**
 * A client from `clouds.yaml` (`--cloud` / `OS_CLOUD`) or the `OS_*` variables. Missing or bad
 * credentials throw the client's `CONFIG` error, which names the variable to set.
 */
export function connect(env: Readonly<Record<string, string | undefined>>, cloud?: string, overrides: Partial<ClientOptions> = {}): CloudConnection {
  const cloudName = cloud ?? env.OS_CLOUD;
  const resolved: ResolvedCloudConfig = cloudName ? loadCloudsYaml({ env: { ...env }, cloud: cloudName }) : configFromEnv({ ...env });
  const regionOverride = cloudName && env.OS_REGION_NAME && !overrides.region ? { region: env.OS_REGION_NAME } : {};
  const region = overrides.region ?? (regionOverride.region || resolved.region);
  return { client: createClient(optionsFromConfig(resolved, { ...overrides, ...regionOverride })), credentials: resolved.credentials, source: resolved.source, region };
}

/** Who owns the release container (`kubernetes-releases-<user>`): the user name, else the user or project id. */
export function releaseOwner(credentials: Credentials): string {
  const record = credentials as unknown as Record<string, unknown>;
  for (const key of ['username', 'userId', 'applicationCredentialName', 'projectName', 'projectId', 'tenantName', 'tenantId']) {
    const value = record[key];
    if (typeof value === 'string' && value !== '') return value.replace(/[^A-Za-z0-9_.-]/g, '-');
  }
  return 'rax-kube';
}
