import { OpenStackError } from '../errors.js';
import type { Credentials, EndpointInterface, IdentityVersion } from '../identity/types.js';
import { detectIdentityVersion, v2UsesApiKey } from './detect.js';

/** The auth fields shared by OS_* variables and clouds.yaml `auth:` (clouds.yaml spelling). */
export interface AuthFields {
  auth_url?: string | undefined;
  username?: string | undefined;
  user_id?: string | undefined;
  password?: string | undefined;
  api_key?: string | undefined;
  project_name?: string | undefined;
  project_id?: string | undefined;
  user_domain_name?: string | undefined;
  user_domain_id?: string | undefined;
  project_domain_name?: string | undefined;
  project_domain_id?: string | undefined;
  domain_name?: string | undefined;
  domain_id?: string | undefined;
  default_domain_name?: string | undefined;
  default_domain_id?: string | undefined;
  application_credential_id?: string | undefined;
  application_credential_name?: string | undefined;
  application_credential_secret?: string | undefined;
  token?: string | undefined;
}

/** Where the client talks to, once credentials are resolved from env or clouds.yaml. */
export interface ResolvedCloudConfig {
  credentials: Credentials;
  region: string | undefined;
  interface: EndpointInterface | undefined;
  /** Human description of where it came from (for messages), e.g. "clouds.yaml cloud aio (/etc/openstack/clouds.yaml)". */
  source: string;
}

export function normaliseInterface(value: string | undefined): EndpointInterface | undefined {
  if (!value) return undefined;
  const v = value.toLowerCase().replace(/url$/, '');
  if (v === 'public' || v === 'internal' || v === 'admin') return v;
  throw new OpenStackError({ code: 'CONFIG', message: `interface "${value}" is not one of public, internal, admin` });
}

function need(value: string | undefined, name: string, source: string): string {
  if (!value) throw new OpenStackError({ code: 'CONFIG', message: `${source}: ${name} is required but not set` });
  return value;
}

const isAppCredType = (t: string): boolean => ['v3applicationcredential', 'applicationcredential', 'application_credential'].includes(t);
const isTokenType = (t: string): boolean => ['token', 'v3token'].includes(t);

/**
 * Builds credentials from auth fields. `names` maps field names to how the source spells them
 * (OS_USERNAME vs auth.username) so errors name what the user must set.
 */
export function credentialsFrom(
  fields: AuthFields,
  opts: { authType?: string | undefined; identityApiVersion?: string | number | undefined; source: string; names: (field: keyof AuthFields) => string },
): { credentials: Credentials; identityVersion: IdentityVersion } {
  const { source, names } = opts;
  const authUrl = need(fields.auth_url, names('auth_url'), source);
  const identityVersion = detectIdentityVersion({ authUrl, authType: opts.authType, identityApiVersion: opts.identityApiVersion });
  const type = (opts.authType ?? '').toLowerCase();

  if (identityVersion === 'v2.0') {
    const username = need(fields.username, names('username'), source);
    const tenant = {
      ...(fields.project_name ? { tenantName: fields.project_name } : {}),
      ...(fields.project_id ? { tenantId: fields.project_id } : {}),
    };
    if (fields.api_key || v2UsesApiKey(opts.authType)) {
      const apiKey = fields.api_key ?? need(fields.password, `${names('password')} (the API key)`, source);
      return { identityVersion, credentials: { kind: 'v2-apikey', authUrl, username, apiKey, ...tenant } };
    }
    return { identityVersion, credentials: { kind: 'v2-password', authUrl, username, password: need(fields.password, names('password'), source), ...tenant } };
  }

  const defaultDomain = { id: fields.default_domain_id, name: fields.default_domain_name };
  const scope = {
    ...(fields.project_id ? { projectId: fields.project_id } : {}),
    ...(fields.project_name ? { projectName: fields.project_name } : {}),
    ...(fields.project_domain_id ?? defaultDomain.id ? { projectDomainId: fields.project_domain_id ?? defaultDomain.id } : {}),
    ...(fields.project_domain_name ?? defaultDomain.name ? { projectDomainName: fields.project_domain_name ?? defaultDomain.name } : {}),
    ...(fields.domain_id ? { domainId: fields.domain_id } : {}),
    ...(fields.domain_name ? { domainName: fields.domain_name } : {}),
  };
  const user = {
    ...(fields.user_id ? { userId: fields.user_id } : {}),
    ...(fields.username ? { username: fields.username } : {}),
    ...(fields.user_domain_id ?? defaultDomain.id ? { userDomainId: fields.user_domain_id ?? defaultDomain.id } : {}),
    ...(fields.user_domain_name ?? defaultDomain.name ? { userDomainName: fields.user_domain_name ?? defaultDomain.name } : {}),
  };

  if (isAppCredType(type) || (!type && fields.application_credential_secret)) {
    const secret = need(fields.application_credential_secret, names('application_credential_secret'), source);
    if (!fields.application_credential_id && !fields.application_credential_name) {
      need(undefined, `${names('application_credential_id')} or ${names('application_credential_name')}`, source);
    }
    return {
      identityVersion,
      credentials: {
        kind: 'v3-application-credential',
        authUrl,
        secret,
        ...(fields.application_credential_id ? { applicationCredentialId: fields.application_credential_id } : {}),
        ...(fields.application_credential_name ? { applicationCredentialName: fields.application_credential_name } : {}),
        ...user,
      },
    };
  }
  if (isTokenType(type) || (!type && fields.token && !fields.password)) {
    return { identityVersion, credentials: { kind: 'v3-token', authUrl, token: need(fields.token, names('token'), source), ...scope } };
  }
  if (!fields.username && !fields.user_id) need(undefined, `${names('username')} or ${names('user_id')}`, source);
  return {
    identityVersion,
    credentials: { kind: 'v3-password', authUrl, password: need(fields.password ?? fields.api_key, names('password'), source), ...user, ...scope },
  };
}
