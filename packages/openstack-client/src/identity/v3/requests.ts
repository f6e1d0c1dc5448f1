import type { Got } from 'got';
import { OpenStackError } from '../../errors.js';
import type { Redactor } from '../../redact.js';
import { parseExpires } from '../expires.js';
import { authFailure } from '../failure.js';
import type { AuthResult, CatalogService, V3ApplicationCredential, V3PasswordCredentials, V3Scope, V3TokenCredentials } from '../types.js';
import type { V3TokenResponse } from './types.js';
import { v3TokensUrl } from './urls.js';

type V3Credentials = V3PasswordCredentials | V3ApplicationCredential | V3TokenCredentials;

const domainRef = (id: string | undefined, name: string | undefined): Record<string, string> | undefined =>
  id ? { id } : name ? { name } : undefined;

function userRef(c: { userId?: string; username?: string; userDomainId?: string; userDomainName?: string }): Record<string, unknown> {
  if (c.userId) return { id: c.userId };
  if (!c.username) throw new OpenStackError({ code: 'CONFIG', message: 'Keystone v3 needs a user id or a user name' });
  const domain = domainRef(c.userDomainId, c.userDomainName) ?? { id: 'default' };
  return { name: c.username, domain };
}

export function v3Scope(s: V3Scope): Record<string, unknown> | undefined {
  if (s.projectId) return { project: { id: s.projectId } };
  if (s.projectName) {
    const domain = domainRef(s.projectDomainId, s.projectDomainName) ?? { id: 'default' };
    return { project: { name: s.projectName, domain } };
  }
  const domain = domainRef(s.domainId, s.domainName);
  return domain ? { domain } : undefined;
}

export function v3AuthBody(creds: V3Credentials): Record<string, unknown> {
  let identity: Record<string, unknown>;
  let scope: Record<string, unknown> | undefined;
  switch (creds.kind) {
    case 'v3-password':
      identity = { methods: ['password'], password: { user: { ...userRef(creds), password: creds.password } } };
      scope = v3Scope(creds);
      break;
    case 'v3-application-credential': {
      const ac: Record<string, unknown> = { secret: creds.secret };
      if (creds.applicationCredentialId) ac.id = creds.applicationCredentialId;
      else if (creds.applicationCredentialName) {
        ac.name = creds.applicationCredentialName;
        ac.user = userRef(creds);
      } else throw new OpenStackError({ code: 'CONFIG', message: 'an application credential needs an id, or a name with its user' });
      identity = { methods: ['application_credential'], application_credential: ac };
      scope = undefined; // application credentials carry their own scope
      break;
    }
    case 'v3-token':
      identity = { methods: ['token'], token: { id: creds.token } };
      scope = v3Scope(creds);
      break;
  }
  return { auth: scope ? { identity, scope } : { identity } };
}

export function v3CatalogFrom(body: V3TokenResponse): CatalogService[] {
  return (body.token.catalog ?? []).map((s) => ({
    type: s.type,
    name: s.name,
    endpoints: s.endpoints.map((e) => ({ region: e.region_id ?? e.region, interface: e.interface, url: e.url })),
  }));
}

function secretOf(creds: V3Credentials): string {
  return creds.kind === 'v3-password' ? creds.password : creds.kind === 'v3-token' ? creds.token : creds.secret;
}

export async function authenticateV3(http: Got, creds: V3Credentials, redactor: Redactor, now: () => number): Promise<AuthResult> {
  redactor.add(secretOf(creds));
  const who = creds.kind === 'v3-password' ? (creds.username ?? creds.userId ?? '?') : creds.kind === 'v3-token' ? 'existing token' : 'application credential';
  let response;
  try {
    response = await http.post(v3TokensUrl(creds.authUrl), { json: v3AuthBody(creds), context: { skipAuth: true }, responseType: 'json' });
  } catch (err) {
    throw authFailure(err, `Keystone v3 ${creds.kind.slice(3)} as ${who}`);
  }
  const header = response.headers['x-subject-token'];
  const token = Array.isArray(header) ? header[0] : header;
  if (!token) throw new OpenStackError({ code: 'AUTH_FAILED', message: 'Keystone v3 answered without an X-Subject-Token header' });
  redactor.add(token);
  const body = response.body as V3TokenResponse;
  const expiresAt = parseExpires(body.token?.expires_at ?? '');
  if (!expiresAt) throw new OpenStackError({ code: 'AUTH_FAILED', message: 'Keystone v3 token has no readable expires_at' });
  const issuedAt = (body.token.issued_at && parseExpires(body.token.issued_at)) || new Date(now());
  return {
    token,
    expiresAt,
    issuedAt,
    catalog: v3CatalogFrom(body),
    identityVersion: 'v3',
    projectId: body.token.project?.id,
    projectName: body.token.project?.name,
    userId: body.token.user?.id,
  };
}
