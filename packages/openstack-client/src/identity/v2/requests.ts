import type { Got } from 'got';
import { OpenStackError } from '../../errors.js';
import type { Redactor } from '../../redact.js';
import { parseExpires } from '../expires.js';
import type { AuthResult, CatalogService, V2ApiKeyCredentials, V2PasswordCredentials } from '../types.js';
import type { V2AccessResponse } from './types.js';
import { v2TokensUrl } from './urls.js';
import { authFailure } from '../failure.js';

export function v2AuthBody(creds: V2ApiKeyCredentials | V2PasswordCredentials): Record<string, unknown> {
  const auth: Record<string, unknown> =
    creds.kind === 'v2-apikey'
      ? { 'RAX-KSKEY:apiKeyCredentials': { username: creds.username, apiKey: creds.apiKey } }
      : { passwordCredentials: { username: creds.username, password: creds.password } };
  if (creds.tenantId) auth.tenantId = creds.tenantId;
  else if (creds.tenantName) auth.tenantName = creds.tenantName;
  return { auth };
}

export function v2CatalogFrom(body: V2AccessResponse): CatalogService[] {
  return (body.access.serviceCatalog ?? []).map((s) => ({
    type: s.type,
    name: s.name,
    endpoints: s.endpoints.flatMap((e) => {
      const base = { region: e.region, ...(e.tenantId ? { tenantId: e.tenantId } : {}) };
      const out: CatalogService['endpoints'] = [];
      if (e.publicURL) out.push({ ...base, interface: 'public', url: e.publicURL });
      if (e.internalURL) out.push({ ...base, interface: 'internal', url: e.internalURL });
      if (e.adminURL) out.push({ ...base, interface: 'admin', url: e.adminURL });
      return out;
    }),
  }));
}

export async function authenticateV2(
  http: Got,
  creds: V2ApiKeyCredentials | V2PasswordCredentials,
  redactor: Redactor,
  now: () => number,
): Promise<AuthResult> {
  redactor.add(creds.kind === 'v2-apikey' ? creds.apiKey : creds.password);
  let body: V2AccessResponse;
  try {
    body = await http.post(v2TokensUrl(creds.authUrl), { json: v2AuthBody(creds), context: { skipAuth: true } }).json<V2AccessResponse>();
  } catch (err) {
    throw authFailure(err, `identity v2.0 (${creds.kind === 'v2-apikey' ? 'API key' : 'password'}) as ${creds.username}`);
  }
  const token = body.access?.token;
  if (!token?.id) throw new OpenStackError({ code: 'AUTH_FAILED', message: 'identity v2.0 answered without access.token.id' });
  redactor.add(token.id);
  const expiresAt = parseExpires(token.expires);
  if (!expiresAt) throw new OpenStackError({ code: 'AUTH_FAILED', message: `identity v2.0 token has an unreadable expiry "${token.expires}"` });
  const issuedAt = (token.issued_at && parseExpires(token.issued_at)) || new Date(now());
  return {
    token: token.id,
    expiresAt,
    issuedAt,
    catalog: v2CatalogFrom(body),
    identityVersion: 'v2.0',
    projectId: token.tenant?.id,
    projectName: token.tenant?.name,
    userId: body.access.user?.id,
  };
}
