import { afterEach, describe, expect, it } from 'vitest';
import { startSim, type Sim } from '../index.js';
import { call, sleep, tokenFor } from '../testing/harness.js';

let sim: Sim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const v3Password = (user: Record<string, unknown>, scope?: unknown): string =>
  JSON.stringify({ auth: { identity: { methods: ['password'], password: { user } }, ...(scope !== undefined ? { scope } : {}) } });

describe('identity v3', () => {
  it('issues a token with 201, X-Subject-Token and an OpenStack catalog', async () => {
    sim = await startSim();
    const r = await call(`${sim.env.OS_AUTH_URL}/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: v3Password({ name: 'admin', domain: { name: 'Default' }, password: 'secret' }, { project: { name: 'admin', domain: { name: 'Default' } } }),
    });
    // Keystone 22 answered 201 Created with the token id in X-Subject-Token.
    expect(r.status).toBe(201);
    expect(r.headers.get('x-subject-token')).toMatch(/^gAAAAA/);
    const token = r.json.token;
    expect(token.methods).toEqual(['password']);
    expect(token.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(token.project).toMatchObject({ name: 'admin', domain: { id: 'default', name: 'Default' } });
    const types = token.catalog.map((s: { type: string }) => s.type).sort();
    expect(types).toEqual(['compute', 'identity', 'image', 'network', 'object-store']);
    const compute = token.catalog.find((s: { type: string }) => s.type === 'compute');
    expect(compute.endpoints.map((e: { interface: string }) => e.interface).sort()).toEqual(['admin', 'internal', 'public']);
    expect(compute.endpoints[0]).toMatchObject({ region_id: 'RegionOne', region: 'RegionOne', url: `${sim.url}/v2.1` });
    const swift = token.catalog.find((s: { type: string }) => s.type === 'object-store');
    expect(swift.endpoints[0].url).toBe(`${sim.url}/v1/AUTH_${token.project.id}`);
  });

  it('accepts user and project by id and domain by id', async () => {
    sim = await startSim();
    const { body } = await tokenFor(sim);
    const user = body.token.user;
    const r = await call(`${sim.url}/v3/auth/tokens`, {
      method: 'POST',
      body: v3Password({ id: user.id, password: 'secret' }, { project: { id: body.token.project.id } }),
    });
    expect(r.status).toBe(201);
    const r2 = await call(`${sim.url}/v3/auth/tokens`, {
      method: 'POST',
      body: v3Password({ name: 'admin', domain: { id: 'default' }, password: 'secret' }, { project: { name: 'admin', domain: { id: 'default' } } }),
    });
    expect(r2.status).toBe(201);
  });

  it('answers 401 with Keystone\'s body for a wrong password, user domain or project', async () => {
    sim = await startSim();
    // Body and header observed from Keystone 22 for a wrong password and for an unknown project.
    const expected = { error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } };
    for (const body of [
      v3Password({ name: 'admin', domain: { name: 'Default' }, password: 'wrong' }),
      v3Password({ name: 'admin', domain: { name: 'Other' }, password: 'secret' }),
      v3Password({ name: 'admin', domain: { name: 'Default' }, password: 'secret' }, { project: { name: 'nope', domain: { name: 'Default' } } }),
    ]) {
      const r = await call(`${sim.url}/v3/auth/tokens`, { method: 'POST', body });
      expect(r.status).toBe(401);
      expect(r.json).toEqual(expected);
      expect(r.headers.get('www-authenticate')).toBe(`Keystone uri="${sim.url}/v3"`);
    }
  });

  it('answers 400 when identity is missing', async () => {
    sim = await startSim();
    const r = await call(`${sim.url}/v3/auth/tokens`, { method: 'POST', body: '{"auth":{}}' });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain("'identity' is a required property"); // Keystone 22's message starts so
  });

  it('re-issues by token keeping the original expiry, validates and revokes', async () => {
    sim = await startSim();
    const { token, body } = await tokenFor(sim);
    const r = await call(`${sim.url}/v3/auth/tokens`, {
      method: 'POST',
      body: JSON.stringify({ auth: { identity: { methods: ['token'], token: { id: token } } } }),
    });
    expect(r.status).toBe(201);
    expect(r.json.token.expires_at).toBe(body.token.expires_at);
    const other = r.headers.get('x-subject-token') as string;
    const v = await call(`${sim.url}/v3/auth/tokens`, { headers: { 'x-auth-token': token, 'x-subject-token': other } });
    expect(v.status).toBe(200);
    expect(v.headers.get('x-subject-token')).toBe(other);
    // Observed on Keystone 22 for an unknown subject token.
    const bad = await call(`${sim.url}/v3/auth/tokens`, { headers: { 'x-auth-token': token, 'x-subject-token': 'gAAAAAbogus' } });
    expect(bad.status).toBe(404);
    expect(bad.json).toEqual({ error: { code: 404, message: 'Could not recognize Fernet token', title: 'Not Found' } });
    const del = await call(`${sim.url}/v3/auth/tokens`, { method: 'DELETE', headers: { 'x-auth-token': token, 'x-subject-token': other } });
    expect(del.status).toBe(204);
    const gone = await call(`${sim.url}/v2.1/flavors`, { headers: { 'x-auth-token': other } });
    expect(gone.status).toBe(401);
  });

  it('authenticates an application credential by id and by name, and refuses a scope', async () => {
    sim = await startSim({
      users: [{ username: 'alice', password: 'pw', projectName: 'p1', applicationCredentials: [{ id: 'ac1', name: 'deploy', secret: 's3cret' }] }],
    });
    const byId = await call(`${sim.url}/v3/auth/tokens`, {
      method: 'POST',
      body: JSON.stringify({ auth: { identity: { methods: ['application_credential'], application_credential: { id: 'ac1', secret: 's3cret' } } } }),
    });
    expect(byId.status).toBe(201);
    expect(byId.json.token.application_credential).toEqual({ id: 'ac1', name: 'deploy', restricted: true });
    expect(byId.json.token.project.name).toBe('p1');
    const byName = await call(`${sim.url}/v3/auth/tokens`, {
      method: 'POST',
      body: JSON.stringify({
        auth: { identity: { methods: ['application_credential'], application_credential: { name: 'deploy', secret: 's3cret', user: { name: 'alice', domain: { name: 'Default' } } } } },
      }),
    });
    expect(byName.status).toBe(201);
    const wrong = await call(`${sim.url}/v3/auth/tokens`, {
      method: 'POST',
      body: JSON.stringify({ auth: { identity: { methods: ['application_credential'], application_credential: { id: 'ac1', secret: 'nope' } } } }),
    });
    expect(wrong.status).toBe(401);
  });

  it('expires tokens after tokenLifetimeSeconds: 401 on every service', async () => {
    sim = await startSim({ tokenLifetimeSeconds: 1 });
    const { token, body } = await tokenFor(sim);
    const h = { 'x-auth-token': token };
    expect((await call(`${sim.url}/v2.1/flavors`, { headers: h })).status).toBe(200);
    await sleep(1100);
    const nova = await call(`${sim.url}/v2.1/flavors`, { headers: h });
    expect(nova.status).toBe(401);
    // Nova and Neutron (keystonemiddleware) answered with this body on Zed.
    expect(nova.json).toEqual({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
    expect((await call(`${sim.url}/v2.0/networks`, { headers: h })).status).toBe(401);
    expect((await call(`${sim.url}/v2/images`, { headers: h })).status).toBe(401);
    const swift = await call(`${sim.url}/v1/AUTH_${body.token.project.id}`, { headers: h });
    expect(swift.status).toBe(401);
    // Swift 2.30's page for a 401.
    expect(swift.text).toBe('<html><h1>Unauthorized</h1><p>This server could not verify that you are authorized to access the document you requested.</p></html>');
    expect(swift.headers.get('content-type')).toBe('text/html; charset=UTF-8');
  });

  it('answers 401 for a missing or unknown token', async () => {
    sim = await startSim();
    expect((await call(`${sim.url}/v2.1/servers`)).status).toBe(401);
    expect((await call(`${sim.url}/v2.1/servers`, { headers: { 'x-auth-token': 'bogus' } })).status).toBe(401);
  });
});

describe('identity v2.0 (Rackspace)', () => {
  const apiKeyAuth = (username: string, apiKey: string): string =>
    JSON.stringify({ auth: { 'RAX-KSKEY:apiKeyCredentials': { username, apiKey } } });

  it('logs in with an API key and returns a Rackspace catalog', async () => {
    sim = await startSim({ mode: 'rackspace' });
    expect(sim.env.OS_AUTH_URL).toBe(`${sim.url}/v2.0`);
    expect(sim.env.OS_AUTH_TYPE).toBe('rackspace_apikey');
    const r = await call(`${sim.env.OS_AUTH_URL}/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: apiKeyAuth(sim.env.OS_USERNAME, sim.env.OS_PASSWORD) });
    expect(r.status).toBe(200);
    const access = r.json.access;
    expect(access.token.id).toBeTruthy();
    expect(access.token.expires).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(access.token.tenant).toEqual({ id: '123456', name: '123456' });
    expect(access.user.name).toBe('raxuser');
    const byName = Object.fromEntries(access.serviceCatalog.map((s: { name: string }) => [s.name, s]));
    expect(byName['cloudServersOpenStack'].type).toBe('compute');
    expect(byName['cloudServersOpenStack'].endpoints[0]).toMatchObject({ region: 'ORD', tenantId: '123456', publicURL: `${sim.url}/v2/123456` });
    expect(byName['cloudServers'].type).toBe('compute');
    expect(byName['cloudServers'].endpoints[0].region).toBeUndefined();
    expect(byName['cloudNetworks']).toMatchObject({ type: 'network' });
    expect(byName['cloudNetworks'].endpoints[0].publicURL).toBe(`${sim.url}/v2.0`);
    const files = byName['cloudFiles'].endpoints[0];
    expect(byName['cloudFiles'].type).toBe('object-store');
    expect(files.publicURL).toBe(`${sim.url}/v1/MossoCloudFS_123456`);
    expect(files.internalURL).toBe(`${sim.serviceNetUrl}/v1/MossoCloudFS_123456`);
    // The ServiceNet URL works for object storage.
    const head = await call(files.internalURL, { method: 'HEAD', headers: { 'x-auth-token': access.token.id } });
    expect(head.status).toBe(204);
    expect(sim.state.requests().some((e) => e.serviceNet && e.service === 'object-store')).toBe(true);
    // And the compute endpoint answers with the token.
    const flavors = await call(`${byName['cloudServersOpenStack'].endpoints[0].publicURL}/flavors`, { headers: { 'x-auth-token': access.token.id } });
    expect(flavors.status).toBe(200);
    expect(flavors.json.flavors.map((f: { id: string }) => f.id)).toContain('general1-1');
  });

  it('logs in with passwordCredentials and rejects bad credentials with 401', async () => {
    sim = await startSim({ mode: 'rackspace' });
    const ok = await call(`${sim.url}/v2.0/tokens`, { method: 'POST', body: JSON.stringify({ auth: { passwordCredentials: { username: 'raxuser', password: 'rax-password' } } }) });
    expect(ok.status).toBe(200);
    expect(ok.json.access.token['RAX-AUTH:authenticatedBy']).toEqual(['PASSWORD']);
    const bad = await call(`${sim.url}/v2.0/tokens`, { method: 'POST', body: apiKeyAuth('raxuser', 'wrong') });
    expect(bad.status).toBe(401);
    expect(bad.json).toEqual({ unauthorized: { code: 401, message: 'Username or api key is invalid.' } });
    const wrongTenant = await call(`${sim.url}/v2.0/tokens`, {
      method: 'POST',
      body: JSON.stringify({ auth: { 'RAX-KSKEY:apiKeyCredentials': { username: 'raxuser', apiKey: sim.env.OS_PASSWORD }, tenantId: '999' } }),
    });
    expect(wrongTenant.status).toBe(401);
  });

  it('v3 works in rackspace mode with the API key as password (rackspace_cloud_domain)', async () => {
    sim = await startSim({ mode: 'rackspace' });
    const r = await call(`${sim.url}/v3/auth/tokens`, {
      method: 'POST',
      body: v3Password({ name: 'raxuser', domain: { name: 'rackspace_cloud_domain' }, password: sim.env.OS_PASSWORD }),
    });
    expect(r.status).toBe(201);
    expect(r.json.token.catalog.map((s: { name: string }) => s.name)).toContain('cloudFiles');
  });
});
