import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../client.js';
import { OpenStackError } from '../errors.js';
import { FAKE_API_KEY, FAKE_PASSWORD, authorised, startFakeCloud } from '../testing/fake-cloud.js';
import type { FakeCloud } from '../testing/fake-cloud.js';
import { sendJson } from '../testing/http-server.js';
import { findEndpoint } from './catalog.js';
import { parseExpires } from './expires.js';
import { ambiguousCatalog, rackspaceCatalog } from './fixtures.js';
import { AuthSession } from './session.js';
import type { AuthResult } from './types.js';
import { v2AuthBody } from './v2/requests.js';
import { v2TokensUrl } from './v2/urls.js';
import { v3AuthBody } from './v3/requests.js';
import { v3TokensUrl } from './v3/urls.js';

describe('parseExpires', () => {
  it.each([
    ['2025-06-01T12:00:00Z', '2025-06-01T12:00:00.000Z'],
    ['2025-06-01T12:00:00.123Z', '2025-06-01T12:00:00.123Z'],
    ['2025-06-01T12:00:00.123456Z', '2025-06-01T12:00:00.123Z'],
    ['2025-06-01T12:00:00.000-06:00', '2025-06-01T18:00:00.000Z'],
    ['2025-06-01T12:00:00+0200', '2025-06-01T10:00:00.000Z'],
    ['2025-06-01T12:00:00', '2025-06-01T12:00:00.000Z'],
    ['2025-06-01T12:00Z', '2025-06-01T12:00:00.000Z'],
  ])('reads %s as UTC %s', (input, iso) => {
    expect(parseExpires(input)?.toISOString()).toBe(iso);
  });
  it.each(['', 'tomorrow', '2025-13-45T99:00:00Z'])('rejects %j', (input) => {
    expect(parseExpires(input)).toBeUndefined();
  });
});

describe('findEndpoint', () => {
  it('picks by type and region, skipping the global first-generation entry', () => {
    expect(findEndpoint(rackspaceCatalog, { type: 'compute', region: 'ORD' })).toBe('https://ord.servers.api.rackspacecloud.com/v2/123');
    expect(findEndpoint(rackspaceCatalog, { type: 'compute', region: 'dfw' })).toBe('https://dfw.servers.api.rackspacecloud.com/v2/123');
  });
  it('uses internalURL (ServiceNet) for interface internal', () => {
    expect(findEndpoint(rackspaceCatalog, { type: 'object-store', region: 'DFW', interface: 'internal' })).toBe('https://snet-storage101.dfw1.clouddrive.com/v1/MossoCloudFS_x');
  });
  it('uses the name as tie-break', () => {
    expect(findEndpoint(rackspaceCatalog, { type: 'compute', name: 'cloudServers' })).toBe('https://servers.api.rackspacecloud.com/v1.0/123');
    expect(findEndpoint(ambiguousCatalog, { type: 'compute', region: 'RegionOne', name: 'nova' })).toBe('http://a/v2.1');
  });
  it('reports ambiguity instead of guessing', () => {
    expect(() => findEndpoint(ambiguousCatalog, { type: 'compute', region: 'RegionOne' })).toThrow(/nova, nova-legacy/);
    try {
      findEndpoint(ambiguousCatalog, { type: 'compute' });
    } catch (err) {
      expect((err as OpenStackError).code).toBe('AMBIGUOUS');
    }
  });
  it('lists what the catalog has when nothing matches', () => {
    let err: OpenStackError | undefined;
    try {
      findEndpoint(rackspaceCatalog, { type: 'network', region: 'LON' });
    } catch (e) {
      err = e as OpenStackError;
    }
    expect(err?.code).toBe('CATALOG_NO_ENDPOINT');
    expect(err?.message).toContain('region "LON"');
    expect(err?.message).toContain('network (cloudNetworks): public in DFW');
    expect(err?.message).toContain('object-store (cloudFiles): public in DFW; internal in DFW');
  });
});

describe('request bodies and URLs', () => {
  it('v2.0 API key and password bodies', () => {
    expect(v2AuthBody({ kind: 'v2-apikey', authUrl: 'x', username: 'u', apiKey: 'k' })).toEqual({ auth: { 'RAX-KSKEY:apiKeyCredentials': { username: 'u', apiKey: 'k' } } });
    expect(v2AuthBody({ kind: 'v2-password', authUrl: 'x', username: 'u', password: 'p', tenantName: 't' })).toEqual({
      auth: { passwordCredentials: { username: 'u', password: 'p' }, tenantName: 't' },
    });
    expect(v2TokensUrl('https://identity.api.rackspacecloud.com/v2.0/')).toBe('https://identity.api.rackspacecloud.com/v2.0/tokens');
    expect(v2TokensUrl('https://identity.api.rackspacecloud.com')).toBe('https://identity.api.rackspacecloud.com/v2.0/tokens');
  });
  it('v3 password with domains by name or id, application credentials, token', () => {
    expect(
      v3AuthBody({ kind: 'v3-password', authUrl: 'x', username: 'u', userDomainName: 'rackspace_cloud_domain', password: 'p', projectName: 'pr', projectDomainId: 'd1' }),
    ).toEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'u', domain: { name: 'rackspace_cloud_domain' }, password: 'p' } } },
        scope: { project: { name: 'pr', domain: { id: 'd1' } } },
      },
    });
    expect(v3AuthBody({ kind: 'v3-password', authUrl: 'x', userId: 'uid', password: 'p', projectId: 'pid' })).toEqual({
      auth: { identity: { methods: ['password'], password: { user: { id: 'uid', password: 'p' } } }, scope: { project: { id: 'pid' } } },
    });
    expect(v3AuthBody({ kind: 'v3-application-credential', authUrl: 'x', applicationCredentialId: 'ac', secret: 's' })).toEqual({
      auth: { identity: { methods: ['application_credential'], application_credential: { id: 'ac', secret: 's' } } },
    });
    expect(v3AuthBody({ kind: 'v3-application-credential', authUrl: 'x', applicationCredentialName: 'n', username: 'u', userDomainName: 'D', secret: 's' })).toMatchObject({
      auth: { identity: { application_credential: { name: 'n', user: { name: 'u', domain: { name: 'D' } } } } },
    });
    expect(v3AuthBody({ kind: 'v3-token', authUrl: 'x', token: 't', domainName: 'Default' })).toEqual({
      auth: { identity: { methods: ['token'], token: { id: 't' } }, scope: { domain: { name: 'Default' } } },
    });
    expect(v3TokensUrl('http://k:5000/v3/')).toBe('http://k:5000/v3/auth/tokens');
    expect(v3TokensUrl('http://k:5000')).toBe('http://k:5000/v3/auth/tokens');
  });
});

function fakeResult(token: string, now: number, lifetimeMs: number): AuthResult {
  return { token, issuedAt: new Date(now), expiresAt: new Date(now + lifetimeMs), catalog: [], identityVersion: 'v3', projectId: 'p', projectName: 'p', userId: 'u' };
}

describe('AuthSession', () => {
  it('caches the token and refreshes it shortly before expiry', async () => {
    let clock = 1_000_000;
    let n = 0;
    const session = new AuthSession(async () => fakeResult(`t${++n}`, clock, 3_600_000), { now: () => clock, refreshMarginMs: 300_000 });
    expect(await session.token()).toBe('t1');
    clock += 3_000_000;
    expect(await session.token()).toBe('t1');
    clock += 400_000; // within 5 minutes of expiry
    expect(await session.token()).toBe('t2');
    expect(session.authentications).toBe(2);
  });

  it('bounds the margin to a quarter of a short token lifetime', async () => {
    let clock = 0;
    let n = 0;
    const session = new AuthSession(async () => fakeResult(`t${++n}`, clock, 8_000), { now: () => clock });
    await session.token();
    clock = 5_000;
    expect(await session.token()).toBe('t1');
    clock = 6_001;
    expect(await session.token()).toBe('t2');
  });

  it('shares one refresh among concurrent 401s and does not refresh for an already-replaced token', async () => {
    let n = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const session = new AuthSession(async () => {
      n += 1;
      if (n > 1) await gate;
      return fakeResult(`t${n}`, Date.now(), 3_600_000);
    });
    await session.token();
    const waits = Array.from({ length: 10 }, () => session.reauthenticate('t1'));
    release();
    expect(new Set(await Promise.all(waits))).toEqual(new Set(['t2']));
    expect(n).toBe(2);
    expect(await session.reauthenticate('t1')).toBe('t2');
    expect(n).toBe(2);
  });

  it('lets the next call retry after a failed refresh', async () => {
    let n = 0;
    const session = new AuthSession(async () => {
      n += 1;
      if (n === 1) throw new Error('identity down');
      return fakeResult('ok', Date.now(), 3_600_000);
    });
    await expect(session.token()).rejects.toThrow('identity down');
    expect(await session.token()).toBe('ok');
  });
});

describe('identity against a fake cloud', () => {
  let cloud: FakeCloud | undefined;
  afterEach(async () => {
    await cloud?.close();
    cloud = undefined;
  });

  it('v2.0 API key: token, tenant, Rackspace catalog, ServiceNet', async () => {
    cloud = await startFakeCloud({ rackspace: true });
    const client = createClient({ credentials: { kind: 'v2-apikey', authUrl: `${cloud.url}/v2.0`, username: 'demo', apiKey: FAKE_API_KEY }, region: 'RegionOne' });
    const r = await client.identity.current();
    expect(r.identityVersion).toBe('v2.0');
    expect(r.projectId).toBe('123456');
    expect(r.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(await client.identity.profile()).toBe('rackspace');
    expect(await client.identity.endpoint({ type: 'compute' })).toBe(`${cloud.url}/v2/123456`);
    expect(await client.identity.endpoint({ type: 'object-store', interface: 'internal' })).toBe(`${cloud.url}/snet/v1/MossoCloudFS_abc`);
  });

  it('v3 password: X-Subject-Token and catalog; network URL gets /v2.0', async () => {
    cloud = await startFakeCloud();
    cloud.on('GET', /^\/neutron\/v2\.0\/networks$/, (req, res) => authorised(cloud as FakeCloud, req, res) && sendJson(res, 200, { networks: [] }));
    const client = createClient({
      credentials: { kind: 'v3-password', authUrl: `${cloud.url}/v3`, username: 'demo', userDomainName: 'Default', password: FAKE_PASSWORD, projectName: 'demo', projectDomainName: 'Default' },
    });
    expect(await client.identity.token()).toBe(cloud.issued[0]);
    expect(await client.identity.profile()).toBe('openstack');
    const all = [];
    for await (const n of client.network.networks.list()) all.push(n);
    expect(all).toEqual([]);
    expect(cloud.apiRequests()[0]?.headers['x-auth-token']).toBe(cloud.issued[0]);
  });

  it('wrong credentials give AUTH_FAILED with the API message and no secret', async () => {
    cloud = await startFakeCloud();
    const client = createClient({ credentials: { kind: 'v3-password', authUrl: `${cloud.url}/v3`, username: 'demo', password: 'wrong-password-123', projectName: 'demo' } });
    const err = await client.identity.token().catch((e: unknown) => e as OpenStackError);
    expect(err).toBeInstanceOf(OpenStackError);
    expect(err).toMatchObject({ code: 'AUTH_FAILED', status: 401 });
    expect((err as OpenStackError).message).toContain('requires authentication');
    expect((err as OpenStackError).message).not.toContain('wrong-password-123');
  });

  it('re-issues the token once when the API says 401 mid-run', async () => {
    cloud = await startFakeCloud();
    const c = cloud;
    c.on('GET', /^\/compute\/v2\.1\/limits$/, (req, res) => authorised(c, req, res) && sendJson(res, 200, { limits: { absolute: { maxTotalInstances: 10 }, rate: [] } }));
    const client = createClient({ credentials: { kind: 'v3-password', authUrl: `${c.url}/v3`, username: 'demo', password: FAKE_PASSWORD, projectName: 'demo' } });
    await client.compute.limits();
    c.issued.push('revoked-elsewhere'); // the server now only accepts a newer token
    const limits = await Promise.all([client.compute.limits(), client.compute.limits(), client.compute.limits()]);
    expect(limits.map((l) => l.absolute.maxTotalInstances)).toEqual([10, 10, 10]);
    expect(client.identity.authentications).toBe(2);
  });
});
