import type { SimContext } from '../context.js';
import { InvalidJsonError, isRecord, readJson } from '../http/body.js';
import { empty, json } from '../http/respond.js';
import { Router } from '../http/router.js';
import type { SimRequest, SimResponse } from '../http/types.js';
import type { TokenRecord } from '../state/types.js';
import { isoMicros } from '../util.js';
import { buildCatalog, catalogV2, catalogV3 } from './catalog.js';
import { findUser, issueToken, validToken, type SimUserRecord } from './tokens.js';

// Keystone's 401 body, as observed from Keystone 22 (Zed) for a wrong password and for an unknown project.
export function keystoneUnauthorized(ctx: SimContext): SimResponse {
  return json(
    401,
    { error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } },
    { 'WWW-Authenticate': `Keystone uri="${ctx.publicUrl()}/v3"`, Vary: 'X-Auth-Token' },
  );
}

function keystoneError(code: number, title: string, message: string): SimResponse {
  return json(code, { error: { code, message, title } }, { Vary: 'X-Auth-Token' });
}

const badRequest = (message: string): SimResponse => keystoneError(400, 'Bad Request', message);

function domainMatches(user: SimUserRecord, domain: unknown): boolean {
  if (!isRecord(domain)) return false;
  if (typeof domain['id'] === 'string') return domain['id'] === user.domainId;
  if (typeof domain['name'] === 'string') return domain['name'] === user.domainName;
  return false;
}

/** Finds the user named by a v3 `user` object: by id, or by name within a domain. */
function lookupV3User(ctx: SimContext, userRef: Record<string, unknown>): SimUserRecord | undefined {
  if (typeof userRef['id'] === 'string') return ctx.options.users.find((u) => u.userId === userRef['id']);
  if (typeof userRef['name'] === 'string') {
    return ctx.options.users.find((u) => u.username === userRef['name'] && domainMatches(u, userRef['domain']));
  }
  return undefined;
}

function scopeMatches(user: SimUserRecord, scope: unknown): boolean {
  if (scope === undefined || scope === 'unscoped') return true; // scoped to the default project
  if (!isRecord(scope) || !isRecord(scope['project'])) return false; // domain/system scope: not offered
  const project = scope['project'];
  if (typeof project['id'] === 'string') return project['id'] === user.projectId;
  if (typeof project['name'] === 'string') {
    return project['name'] === user.projectName && isRecord(project['domain']) && (
      (typeof project['domain']['id'] === 'string' && project['domain']['id'] === user.domainId) ||
      (typeof project['domain']['name'] === 'string' && project['domain']['name'] === user.domainName));
  }
  return false;
}

function v3TokenBody(ctx: SimContext, token: TokenRecord, user: SimUserRecord): unknown {
  const domain = { id: user.domainId, name: user.domainName };
  const appCred = token.applicationCredentialId
    ? user.applicationCredentials.find((a) => a.id === token.applicationCredentialId)
    : undefined;
  return {
    token: {
      methods: token.methods,
      user: { domain, id: user.userId, name: user.username, password_expires_at: null },
      audit_ids: [token.auditId],
      expires_at: isoMicros(Date.parse(token.expiresAt)),
      issued_at: isoMicros(Date.parse(token.issuedAt)),
      project: { domain, id: user.projectId, name: user.projectName },
      is_domain: false,
      roles: [
        { id: '0bbb8a728ecd4ee98cba1939a1a4c642', name: 'member' },
        { id: '5ec0c5fceed1450fb9e41bdc22b2f1ce', name: 'reader' },
      ],
      ...(appCred ? { application_credential: { id: appCred.id, name: appCred.name, restricted: true } } : {}),
      catalog: catalogV3(
        buildCatalog(ctx.options.mode, {
          publicBase: ctx.publicUrl(),
          internalBase: ctx.internalUrl(),
          region: ctx.options.region,
          projectId: user.projectId,
        }),
      ),
    },
  };
}

async function postV3Tokens(ctx: SimContext, req: SimRequest): Promise<SimResponse> {
  let body: unknown;
  try {
    body = await readJson(req.req);
  } catch (err) {
    if (err instanceof InvalidJsonError) return badRequest('Malformed JSON in request body.');
    throw err;
  }
  const auth = isRecord(body) ? body['auth'] : undefined;
  if (!isRecord(auth)) return badRequest("'auth' is a required property");
  const identity = auth['identity'];
  if (!isRecord(identity)) return badRequest("'identity' is a required property");
  const methods = identity['methods'];
  if (!Array.isArray(methods) || methods.some((m) => typeof m !== 'string')) {
    return badRequest("'methods' is a required property");
  }
  let user: SimUserRecord | undefined;
  let expiresAt: string | undefined;
  let applicationCredentialId: string | undefined;
  const method = methods[0] as string | undefined;
  if (method === 'password') {
    const pw = identity['password'];
    const userRef = isRecord(pw) ? pw['user'] : undefined;
    if (!isRecord(userRef)) return badRequest("'user' is a required property");
    const candidate = lookupV3User(ctx, userRef);
    const password = userRef['password'];
    // Rackspace's Keystone v3 cloud takes the API key as the password.
    if (candidate && typeof password === 'string' && (password === candidate.password || (candidate.apiKey !== undefined && password === candidate.apiKey))) {
      user = candidate;
    }
  } else if (method === 'token') {
    const tok = identity['token'];
    const id = isRecord(tok) && typeof tok['id'] === 'string' ? tok['id'] : undefined;
    if (!id) return badRequest("'id' is a required property");
    const existing = validToken(ctx, id);
    if (existing) {
      user = findUser(ctx, existing.userId);
      // Keystone keeps the original expiry when a token is exchanged for another.
      expiresAt = existing.expiresAt;
    }
  } else if (method === 'application_credential') {
    const ac = identity['application_credential'];
    if (!isRecord(ac) || typeof ac['secret'] !== 'string') return badRequest("'secret' is a required property");
    for (const candidate of ctx.options.users) {
      const match = candidate.applicationCredentials.find((a) =>
        typeof ac['id'] === 'string'
          ? a.id === ac['id']
          : a.name === ac['name'] && isRecord(ac['user']) && lookupV3User(ctx, ac['user'])?.userId === candidate.userId,
      );
      if (match && match.secret === ac['secret']) {
        user = candidate;
        applicationCredentialId = match.id;
      }
    }
    // An application credential is bound to its project; a scope in the request is refused.
    if (user && auth['scope'] !== undefined) return keystoneUnauthorized(ctx);
  } else {
    return keystoneUnauthorized(ctx);
  }
  if (!user || !scopeMatches(user, auth['scope'])) return keystoneUnauthorized(ctx);
  const token = issueToken(ctx, user, methods as string[], {
    ...(expiresAt ? { expiresAt } : {}),
    ...(applicationCredentialId ? { applicationCredentialId } : {}),
  });
  // 201 Created with the token id in X-Subject-Token (observed on Keystone 22).
  return json(201, v3TokenBody(ctx, token, user), { 'X-Subject-Token': token.id, Vary: 'X-Auth-Token' });
}

function checkV3Token(ctx: SimContext, req: SimRequest, withBody: boolean): SimResponse {
  if (!validToken(ctx, req.header('x-auth-token'))) return keystoneUnauthorized(ctx);
  const subjectId = req.header('x-subject-token');
  const subject = validToken(ctx, subjectId);
  const user = subject ? findUser(ctx, subject.userId) : undefined;
  if (!subject || !user) {
    // Observed on Keystone 22 for an unknown subject token.
    return keystoneError(404, 'Not Found', 'Could not recognize Fernet token');
  }
  if (!withBody) return empty(200, { 'X-Subject-Token': subject.id });
  return json(200, v3TokenBody(ctx, subject, user), { 'X-Subject-Token': subject.id, Vary: 'X-Auth-Token' });
}

function revokeV3Token(ctx: SimContext, req: SimRequest): SimResponse {
  if (!validToken(ctx, req.header('x-auth-token'))) return keystoneUnauthorized(ctx);
  const subjectId = req.header('x-subject-token');
  if (!subjectId || !validToken(ctx, subjectId)) return keystoneError(404, 'Not Found', 'Could not recognize Fernet token');
  delete ctx.store.data.tokens[subjectId];
  ctx.store.commit();
  return empty(204);
}

// ---- v2.0 (Rackspace Cloud Identity style) ----

function raxError(code: number, key: string, message: string): SimResponse {
  return json(code, { [key]: { code, message } });
}

async function postV2Tokens(ctx: SimContext, req: SimRequest): Promise<SimResponse> {
  let body: unknown;
  try {
    body = await readJson(req.req);
  } catch (err) {
    if (err instanceof InvalidJsonError) return raxError(400, 'badRequest', 'Invalid json request body');
    throw err;
  }
  const auth = isRecord(body) ? body['auth'] : undefined;
  if (!isRecord(auth)) return raxError(400, 'badRequest', 'Invalid json request body');
  let user: SimUserRecord | undefined;
  let authenticatedBy: string;
  let failure: string;
  const apiKeyCreds = auth['RAX-KSKEY:apiKeyCredentials'];
  const passwordCreds = auth['passwordCredentials'];
  const tokenCreds = auth['token'];
  if (isRecord(apiKeyCreds)) {
    authenticatedBy = 'APIKEY';
    failure = 'Username or api key is invalid.';
    user = ctx.options.users.find((u) => u.username === apiKeyCreds['username'] && u.apiKey !== undefined && u.apiKey === apiKeyCreds['apiKey']);
  } else if (isRecord(passwordCreds)) {
    authenticatedBy = 'PASSWORD';
    failure = 'Unable to authenticate user with credentials provided.';
    user = ctx.options.users.find((u) => u.username === passwordCreds['username'] && u.password === passwordCreds['password']);
  } else if (isRecord(tokenCreds)) {
    authenticatedBy = 'TOKEN';
    failure = 'Token not authenticated';
    const existing = validToken(ctx, typeof tokenCreds['id'] === 'string' ? tokenCreds['id'] : undefined);
    user = existing ? findUser(ctx, existing.userId) : undefined;
  } else {
    return raxError(400, 'badRequest', 'Invalid json request body');
  }
  if (!user) return raxError(401, 'unauthorized', failure);
  const tenantId = auth['tenantId'];
  const tenantName = auth['tenantName'];
  if (tenantId !== undefined && tenantName !== undefined) {
    return raxError(400, 'badRequest', 'Invalid request. Specify tenantId OR tenantName, not both.');
  }
  if ((tenantId !== undefined && tenantId !== user.projectId) || (tenantName !== undefined && tenantName !== user.projectName)) {
    return raxError(401, 'unauthorized', `Token doesn't belong to Tenant with Id/Name: '${String(tenantId ?? tenantName)}'`);
  }
  const token = issueToken(ctx, user, [authenticatedBy.toLowerCase()]);
  const services = buildCatalog(ctx.options.mode, {
    publicBase: ctx.publicUrl(),
    internalBase: ctx.internalUrl(),
    region: ctx.options.region,
    projectId: user.projectId,
  });
  return json(200, {
    access: {
      token: {
        id: token.id,
        // Rackspace answers with milliseconds and a Z: 2014-11-24T22:05:39.115Z
        expires: new Date(Date.parse(token.expiresAt)).toISOString(),
        tenant: { id: user.projectId, name: user.projectName },
        'RAX-AUTH:authenticatedBy': [authenticatedBy],
      },
      serviceCatalog: catalogV2(services),
      user: {
        id: user.userId,
        name: user.username,
        roles: [{ id: '3', name: 'identity:default', description: 'Default Role.' }],
        'RAX-AUTH:defaultRegion': ctx.options.region,
      },
    },
  });
}

function versionV3(ctx: SimContext): SimResponse {
  return json(200, {
    version: {
      id: 'v3.14',
      status: 'stable',
      updated: '2020-04-07T00:00:00Z',
      links: [{ rel: 'self', href: `${ctx.publicUrl()}/v3/` }],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
    },
  });
}

export function identityRouter(ctx: SimContext): Router {
  return new Router()
    .on('POST', '/v2.0/tokens', (req) => postV2Tokens(ctx, req))
    .on('POST', '/v3/auth/tokens', (req) => postV3Tokens(ctx, req))
    .on('GET', '/v3/auth/tokens', async (req) => checkV3Token(ctx, req, true))
    .on('HEAD', '/v3/auth/tokens', async (req) => checkV3Token(ctx, req, false))
    .on('DELETE', '/v3/auth/tokens', async (req) => revokeV3Token(ctx, req))
    .on('GET', '/v3', async () => versionV3(ctx));
}

/** True for the requests that ask for a token (exempt from faults unless configured). */
export function isTokenRequest(method: string, path: string): boolean {
  return method === 'POST' && (/^\/v2\.0\/tokens\/?$/.test(path) || /^\/v3\/auth\/tokens\/?$/.test(path));
}
