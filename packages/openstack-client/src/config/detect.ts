import type { IdentityVersion } from '../identity/types.js';

/** Auth types that mean Rackspace's v2.0 API-key login. */
const V2_APIKEY_TYPES = ['rackspace_apikey', 'rax-kskey', 'rax-kskey:apikeycredentials', 'rackspace', 'apikey'];
const V2_TYPES = [...V2_APIKEY_TYPES, 'v2password', 'v2token'];

export const RACKSPACE_IDENTITY_HOSTS = ['identity.api.rackspacecloud.com', 'lon.identity.api.rackspacecloud.com'];

export interface DetectInput {
  authUrl: string;
  authType?: string | undefined;
  /** OS_IDENTITY_API_VERSION / identity_api_version; wins over everything else. */
  identityApiVersion?: string | number | undefined;
}

/**
 * Which identity generation to speak: an explicit version wins; then the auth type (v2 types,
 * RAX-KSKEY → v2.0; v3* → v3); then the URL (…/v2.0 or a Rackspace identity host → v2.0; …/v3 → v3);
 * otherwise v3.
 */
export function detectIdentityVersion(input: DetectInput): IdentityVersion {
  const explicit = input.identityApiVersion === undefined ? '' : String(input.identityApiVersion).trim();
  if (/^2(\.0)?$/.test(explicit)) return 'v2.0';
  if (/^3/.test(explicit)) return 'v3';
  const type = (input.authType ?? '').toLowerCase();
  if (V2_TYPES.includes(type)) return 'v2.0';
  if (type.startsWith('v3')) return 'v3';
  let url: URL | undefined;
  try {
    url = new URL(input.authUrl);
  } catch {
    url = undefined;
  }
  const path = (url?.pathname ?? input.authUrl).replace(/\/+$/, '');
  if (/\/v2(\.0)?$/.test(path)) return 'v2.0';
  if (/\/v3$/.test(path)) return 'v3';
  if (url && RACKSPACE_IDENTITY_HOSTS.includes(url.hostname)) return 'v2.0';
  return 'v3';
}

/** On v2.0, is the secret an API key (Rackspace) rather than a password? */
export function v2UsesApiKey(authType: string | undefined): boolean {
  const type = (authType ?? '').toLowerCase();
  if (V2_APIKEY_TYPES.includes(type)) return true;
  if (type === 'v2password' || type === 'password') return false;
  // No explicit type: v2.0 in this project means Rackspace Cloud Identity, whose OS_PASSWORD is the API key.
  return true;
}
