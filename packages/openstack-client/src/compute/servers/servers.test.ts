import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../client.js';
import type { OpenStackClient } from '../../client.js';
import { OpenStackError } from '../../errors.js';
import { FAKE_PASSWORD, authorised, startFakeCloud } from '../../testing/fake-cloud.js';
import type { FakeCloud } from '../../testing/fake-cloud.js';
import { recordingSleep, sendJson } from '../../testing/http-server.js';
import { addressesOpenStack, addressesRackspace, serverFixture } from './fixtures.js';
import { IDEMPOTENCY_METADATA_KEY, buildCreateServerBody, serverIPv4 } from './requests.js';
import type { Server } from './types.js';

describe('buildCreateServerBody', () => {
  it('encodes user_data, keeps config_drive, key_name, metadata and NICs by uuid or port', () => {
    const { body, microversion } = buildCreateServerBody(
      {
        name: 'm',
        imageRef: 'img',
        flavorRef: 'general1-1',
        keyName: 'id_kubernetes',
        metadata: { ETCD: 'abc' },
        userData: '#cloud-config\nhostname: m\n',
        configDrive: true,
        networks: [{ uuid: '00000000-0000-0000-0000-000000000000' }, { uuid: 'net', fixedIp: '192.168.0.10' }, { port: 'port-1' }],
      },
      'tok',
    );
    expect(microversion).toBeUndefined();
    expect(body).toEqual({
      server: {
        name: 'm',
        imageRef: 'img',
        flavorRef: 'general1-1',
        key_name: 'id_kubernetes',
        metadata: { ETCD: 'abc', [IDEMPOTENCY_METADATA_KEY]: 'tok' },
        user_data: Buffer.from('#cloud-config\nhostname: m\n').toString('base64'),
        config_drive: true,
        networks: [{ uuid: '00000000-0000-0000-0000-000000000000' }, { uuid: 'net', fixed_ip: '192.168.0.10' }, { port: 'port-1' }],
      },
    });
  });

  it('asks for microversion 2.37 only for networks auto/none', () => {
    expect(buildCreateServerBody({ name: 'a', imageRef: 'i', flavorRef: 'f', networks: 'none' }, 't').microversion).toBe('2.37');
  });

  it.each([
    ['too many metadata items', { metadata: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'v'])) }, /41 items; the limit is 40/],
    ['a metadata value over 255 bytes', { metadata: { k: 'é'.repeat(128) } }, /256 bytes; the limit is 255/],
    ['user_data over 65535 bytes encoded', { userData: Buffer.alloc(49200) }, /65600 bytes once base64-encoded/],
    ['no name', { name: '' }, /needs a name/],
  ])('rejects %s', (_what, over, message) => {
    expect(() => buildCreateServerBody({ name: 'a', imageRef: 'i', flavorRef: 'f', ...over }, 't')).toThrow(message);
  });
});

describe('serverIPv4', () => {
  it('prefers accessIPv4, then a floating address, then public, then any IPv4', () => {
    expect(serverIPv4(serverFixture({ accessIPv4: '198.51.100.1', addresses: addressesRackspace }))).toBe('198.51.100.1');
    expect(serverIPv4(serverFixture({ addresses: addressesRackspace }))).toBe('198.51.100.7');
    expect(serverIPv4(serverFixture({ addresses: addressesOpenStack }))).toBe('203.0.113.9');
    expect(serverIPv4(serverFixture({ addresses: addressesOpenStack }), 'kubernetes-pool-net')).toBe('192.168.0.5');
    expect(serverIPv4(serverFixture({ addresses: { private: [{ addr: '10.0.0.7', version: 4 }] } }))).toBe('10.0.0.7');
    expect(serverIPv4(serverFixture())).toBeUndefined();
  });
});

describe('servers against a fake Nova', () => {
  let cloud: FakeCloud;
  let client: OpenStackClient;
  let sleeps: number[];
  const servers = new Map<string, Server>();

  async function setup(): Promise<void> {
    cloud = await startFakeCloud();
    servers.clear();
    const rs = recordingSleep();
    sleeps = rs.calls;
    client = createClient({
      credentials: { kind: 'v3-password', authUrl: `${cloud.url}/v3`, username: 'demo', password: FAKE_PASSWORD, projectName: 'demo' },
      sleep: rs.sleep,
      timeout: { response: 300 },
    });
    cloud.on('GET', /^\/compute\/v2\.1\/servers\/([^/]+)$/, (req, res, m) => {
      const s = servers.get(decodeURIComponent(m[1] as string));
      return s ? sendJson(res, 200, { server: s }) : sendJson(res, 404, { itemNotFound: { message: `Instance ${m[1]} could not be found.`, code: 404 } });
    });
    cloud.on('DELETE', /^\/compute\/v2\.1\/servers\/([^/]+)$/, (_req, res, m) => {
      servers.delete(m[1] as string);
      res.writeHead(204).end();
    });
    // registered last: routes added later win, and /servers/detail must beat /servers/{id}
    cloud.on('GET', /^\/compute\/v2\.1\/servers\/detail$/, (req, res) => {
      if (!authorised(cloud, req, res)) return;
      const nameRe = req.query.get('name');
      let list = [...servers.values()].filter((s) => !nameRe || new RegExp(nameRe).test(s.name));
      const marker = req.query.get('marker');
      if (marker) list = list.slice(list.findIndex((s) => s.id === marker) + 1);
      const limit = Number(req.query.get('limit') ?? 2);
      const page = list.slice(0, limit);
      const links = list.length > limit ? [{ rel: 'next', href: `http://nova.internal:8774/v2.1/servers/detail?limit=${limit}&marker=${page[page.length - 1]?.id}` }] : [];
      sendJson(res, 200, { servers: page, servers_links: links });
    });
  }
  afterEach(async () => cloud.close());

  function acceptCreate(n: number): Server {
    const s = serverFixture({ id: `srv-${n}`, name: 'node-1' });
    return s;
  }

  it('lists across pages by following servers_links (rebased on our endpoint)', async () => {
    await setup();
    for (let i = 0; i < 5; i++) servers.set(`s${i}`, serverFixture({ id: `s${i}`, name: `n${i}` }));
    const names: string[] = [];
    for await (const s of client.compute.servers.list()) names.push(s.name);
    expect(names).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
    expect(cloud.apiRequests().filter((r) => r.path.endsWith('/servers/detail'))).toHaveLength(3);
  });

  it('filters by exact name even though Nova matches a regex', async () => {
    await setup();
    servers.set('a', serverFixture({ id: 'a', name: 'node-1' }));
    servers.set('b', serverFixture({ id: 'b', name: 'node-10' }));
    servers.set('c', serverFixture({ id: 'c', name: 'node.1' }));
    const found = await client.compute.servers.findByName('node.1');
    expect(found.map((s) => s.id)).toEqual(['c']);
    expect(cloud.apiRequests().at(-1)?.query.get('name')).toBe('^node\\.1$');
  });

  it('creates once, sending base64 user_data, and returns the server as GET shows it', async () => {
    await setup();
    let n = 0;
    cloud.on('POST', /^\/compute\/v2\.1\/servers$/, (req, res) => {
      const body = req.json<{ server: { name: string; metadata: Record<string, string>; user_data: string } }>();
      const s = { ...acceptCreate(++n), name: body.server.name, metadata: body.server.metadata };
      servers.set(s.id, s);
      sendJson(res, 202, { server: { id: s.id, adminPass: 'should-never-be-logged' } });
    });
    const s = await client.compute.servers.create({ name: 'node-1', imageRef: 'i', flavorRef: 'f', userData: 'hello' });
    expect(s.id).toBe('srv-1');
    expect(s.metadata[IDEMPOTENCY_METADATA_KEY]).toMatch(/^[0-9a-f-]{36}$/);
    const post = cloud.apiRequests().find((r) => r.method === 'POST');
    expect(post?.json<{ server: { user_data: string } }>().server.user_data).toBe('aGVsbG8=');
  });

  it('after a connection reset on create, finds the server by its create token and does not re-send', async () => {
    await setup();
    cloud.on('POST', /^\/compute\/v2\.1\/servers$/, (req) => {
      const body = req.json<{ server: { name: string; metadata: Record<string, string> } }>();
      const s = { ...acceptCreate(1), metadata: body.server.metadata };
      servers.set(s.id, s); // the server was created...
      req.reset(); // ...but the answer was lost
    });
    const s = await client.compute.servers.create({ name: 'node-1', imageRef: 'i', flavorRef: 'f' });
    expect(s.id).toBe('srv-1');
    expect(cloud.apiRequests().filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(servers.size).toBe(1);
  });

  it('after a timeout with nothing created, re-sends once and creates exactly one server', async () => {
    await setup();
    let posts = 0;
    cloud.on('POST', /^\/compute\/v2\.1\/servers$/, (req, res) => {
      posts += 1;
      if (posts === 1) return; // swallowed: never processed, never answered
      const body = req.json<{ server: { name: string; metadata: Record<string, string> } }>();
      const s = { ...acceptCreate(posts), metadata: body.server.metadata };
      servers.set(s.id, s);
      sendJson(res, 202, { server: { id: s.id } });
    });
    const s = await client.compute.servers.create({ name: 'node-1', imageRef: 'i', flavorRef: 'f' });
    expect(s.id).toBe('srv-2');
    expect(posts).toBe(2);
    expect(servers.size).toBe(1);
    expect(sleeps.slice(0, 2)).toEqual([1000, 3000]);
  });

  it('gives up with the original typed error when the outcome stays unknown', async () => {
    await setup();
    cloud.on('POST', /^\/compute\/v2\.1\/servers$/, (req) => req.reset());
    const err = await client.compute.servers.create({ name: 'node-1', imageRef: 'i', flavorRef: 'f' }).catch((e: unknown) => e as OpenStackError);
    expect(err).toBeInstanceOf(OpenStackError);
    expect((err as OpenStackError).code).toBe('CONNECTION');
    expect(cloud.apiRequests().filter((r) => r.method === 'POST')).toHaveLength(3);
  });

  it('does not look up or re-send on a 400', async () => {
    await setup();
    cloud.on('POST', /^\/compute\/v2\.1\/servers$/, (_req, res) => sendJson(res, 400, { badRequest: { message: "Invalid flavorRef provided.", code: 400 } }));
    const err = await client.compute.servers.create({ name: 'node-1', imageRef: 'i', flavorRef: 'nope' }).catch((e: unknown) => e as OpenStackError);
    expect(err).toMatchObject({ code: 'HTTP_BAD_REQUEST', apiMessage: 'Invalid flavorRef provided.' });
    expect(cloud.apiRequests().filter((r) => r.method === 'GET')).toHaveLength(0);
  });

  it('waits for ACTIVE with growing intervals', async () => {
    await setup();
    let polls = 0;
    cloud.on('GET', /^\/compute\/v2\.1\/servers\/w$/, (_req, res) => sendJson(res, 200, { server: serverFixture({ id: 'w', status: ++polls < 4 ? 'BUILD' : 'ACTIVE' }) }));
    const s = await client.compute.servers.waitForStatus('w', 'ACTIVE', { intervalMs: 100 });
    expect(s.status).toBe('ACTIVE');
    expect(sleeps).toEqual([100, 150, 225]);
  });

  it('fails fast on ERROR with the fault message', async () => {
    await setup();
    cloud.on('GET', /^\/compute\/v2\.1\/servers\/e$/, (_req, res) =>
      sendJson(res, 200, { server: serverFixture({ id: 'e', status: 'ERROR', fault: { code: 500, message: 'No valid host was found. There are not enough hosts available.' } }) }),
    );
    const err = await client.compute.servers.waitForStatus('e').catch((x: unknown) => x as OpenStackError);
    expect(err).toMatchObject({ code: 'SERVER_ERROR_STATE' });
    expect((err as OpenStackError).message).toContain('No valid host was found');
  });

  it('times out waiting with TIMEOUT and the last status', async () => {
    await setup();
    let clock = 0;
    const c2 = createClient({
      credentials: { kind: 'v3-password', authUrl: `${cloud.url}/v3`, username: 'demo', password: FAKE_PASSWORD, projectName: 'demo' },
      sleep: async (ms) => {
        clock += ms;
      },
      now: () => Date.now() + clock,
    });
    cloud.on('GET', /^\/compute\/v2\.1\/servers\/slow$/, (_req, res) => sendJson(res, 200, { server: serverFixture({ id: 'slow', status: 'BUILD' }) }));
    const err = await c2.compute.servers.waitForStatus('slow', 'ACTIVE', { timeoutMs: 5000 }).catch((x: unknown) => x as OpenStackError);
    expect(err).toMatchObject({ code: 'TIMEOUT' });
    expect((err as OpenStackError).message).toContain('still BUILD');
  });

  it('waits for deletion until 404', async () => {
    await setup();
    servers.set('d', serverFixture({ id: 'd', status: 'ACTIVE' }));
    let polls = 0;
    cloud.on('GET', /^\/compute\/v2\.1\/servers\/d$/, (_req, res) =>
      ++polls < 3 ? sendJson(res, 200, { server: serverFixture({ id: 'd', status: 'ACTIVE', 'OS-EXT-STS:task_state': 'deleting' }) }) : sendJson(res, 404, { itemNotFound: { message: 'gone', code: 404 } }),
    );
    await client.compute.servers.delete('d');
    await client.compute.servers.waitForDeleted('d', { intervalMs: 10 });
    expect(polls).toBe(3);
    await expect(client.compute.servers.delete('d', { ignoreMissing: true })).resolves.toBeUndefined();
  });
});
