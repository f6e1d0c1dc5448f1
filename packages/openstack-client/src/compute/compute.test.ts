import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../client.js';
import type { OpenStackClient } from '../client.js';
import type { OpenStackError } from '../errors.js';
import { FAKE_API_KEY, startFakeCloud } from '../testing/fake-cloud.js';
import type { FakeCloud } from '../testing/fake-cloud.js';
import { sendJson } from '../testing/http-server.js';

// Rackspace flavour of the fake cloud: compute lives at /v2/123456.
let cloud: FakeCloud;
let client: OpenStackClient;
beforeEach(async () => {
  cloud = await startFakeCloud({ rackspace: true });
  client = createClient({ credentials: { kind: 'v2-apikey', authUrl: `${cloud.url}/v2.0`, username: 'demo', apiKey: FAKE_API_KEY }, region: 'RegionOne' });
});
afterEach(async () => cloud.close());

describe('keypairs', () => {
  it('lists, finds, imports a public key and deletes', async () => {
    cloud.on('GET', /^\/v2\/123456\/os-keypairs$/, (_q, res) => sendJson(res, 200, { keypairs: [{ keypair: { name: 'a', public_key: 'ssh-ed25519 AAAA', fingerprint: 'f' } }] }));
    cloud.on('GET', /^\/v2\/123456\/os-keypairs\/missing$/, (_q, res) => sendJson(res, 404, { itemNotFound: { message: 'Keypair missing not found for user u', code: 404 } }));
    cloud.on('POST', /^\/v2\/123456\/os-keypairs$/, (q, res) => sendJson(res, 200, { keypair: { ...q.json<{ keypair: object }>().keypair, fingerprint: 'ff' } }));
    cloud.on('DELETE', /^\/v2\/123456\/os-keypairs\/id_kubernetes$/, (_q, res) => void res.writeHead(202).end());
    const names = [];
    for await (const k of client.compute.keypairs.list()) names.push(k.name);
    expect(names).toEqual(['a']);
    expect(await client.compute.keypairs.find('missing')).toBeUndefined();
    const k = await client.compute.keypairs.create('id_kubernetes', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA me@host\n');
    expect(k).toMatchObject({ name: 'id_kubernetes', public_key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA me@host', fingerprint: 'ff' });
    await client.compute.keypairs.delete('id_kubernetes');
    await expect(client.compute.keypairs.create('x', 'not a key')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('flavors and images by name or id', () => {
  beforeEach(() => {
    cloud.on('GET', /^\/v2\/123456\/flavors\/detail$/, (q, res) =>
      q.query.get('marker')
        ? sendJson(res, 200, { flavors: [{ id: 'general1-2', name: '2 GB General Purpose v1', ram: 2048, vcpus: 2, disk: 40 }] })
        : sendJson(res, 200, {
            flavors: [
              { id: 'general1-1', name: '1 GB General Purpose v1', ram: 1024, vcpus: 1, disk: 20 },
              { id: 'dup-a', name: 'dup', ram: 1, vcpus: 1, disk: 1 },
              { id: 'dup-b', name: 'dup', ram: 1, vcpus: 1, disk: 1 },
            ],
            flavors_links: [{ rel: 'next', href: 'https://elsewhere/v2/123456/flavors/detail?marker=dup-b' }],
          }),
    );
    cloud.on('GET', /^\/v2\/123456\/images\/detail$/, (q, res) => {
      const all = [
        { id: '11111111-2222-4333-8444-555555555555', name: 'CoreOS (Stable)', status: 'ACTIVE' },
        { id: 'aaaaaaaa-2222-4333-8444-555555555555', name: 'twin', status: 'ACTIVE' },
        { id: 'bbbbbbbb-2222-4333-8444-555555555555', name: 'twin', status: 'ACTIVE' },
      ];
      const name = q.query.get('name');
      sendJson(res, 200, { images: name ? all.filter((i) => i.name === name) : all });
    });
    cloud.on('GET', /^\/v2\/123456\/images\/([0-9a-f-]{36})$/, (_q, res, m) =>
      m[1] === '11111111-2222-4333-8444-555555555555'
        ? sendJson(res, 200, { image: { id: m[1], name: 'CoreOS (Stable)', status: 'ACTIVE' } })
        : sendJson(res, 404, { itemNotFound: { message: 'Image not found.', code: 404 } }),
    );
  });

  it('finds flavors by id or name across pages, and refuses ambiguity', async () => {
    expect((await client.compute.flavors.find('general1-1')).name).toBe('1 GB General Purpose v1');
    expect((await client.compute.flavors.find('2 GB General Purpose v1')).id).toBe('general1-2');
    await expect(client.compute.flavors.find('dup')).rejects.toMatchObject({ code: 'AMBIGUOUS' });
    const err = await client.compute.flavors.find('huge').catch((e: unknown) => e as OpenStackError);
    expect(err).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    expect((err as OpenStackError).message).toContain('1 GB General Purpose v1 (general1-1)');
  });

  it('finds images by id or name, and refuses ambiguity', async () => {
    expect((await client.compute.images.find('11111111-2222-4333-8444-555555555555')).name).toBe('CoreOS (Stable)');
    expect((await client.compute.images.find('CoreOS (Stable)')).id).toBe('11111111-2222-4333-8444-555555555555');
    await expect(client.compute.images.find('twin')).rejects.toMatchObject({ code: 'AMBIGUOUS' });
    await expect(client.compute.images.find('aaaaaaaa-0000-4333-8444-555555555555')).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
  });
});

describe('limits and os-networksv2', () => {
  it('reads absolute limits', async () => {
    cloud.on('GET', /^\/v2\/123456\/limits$/, (_q, res) => sendJson(res, 200, { limits: { absolute: { maxTotalInstances: 100, totalInstancesUsed: 3 }, rate: [] } }));
    expect((await client.compute.limits()).absolute).toEqual({ maxTotalInstances: 100, totalInstancesUsed: 3 });
  });

  it('reads published rate limits (Rackspace / legacy Nova), flattened and typed; skips entries it cannot use', async () => {
    cloud.on('GET', /^\/v2\/123456\/limits$/, (_q, res) =>
      sendJson(res, 200, {
        limits: {
          absolute: {},
          rate: [
            { uri: '*', regex: '.*', limit: [{ verb: 'POST', value: 10, unit: 'MINUTE', remaining: 7, 'next-available': '2026-11-23T10:00:00Z' }, { verb: 'GET', value: 'many', unit: 'MINUTE' }] },
            { uri: '*/servers', regex: '^/servers', limit: [{ verb: 'post', value: 50, unit: 'day' }, { verb: 'POST', value: 5, unit: 'FORTNIGHT' }] },
            'junk',
          ],
        },
      }),
    );
    expect((await client.compute.limits()).rate).toEqual([
      { verb: 'POST', uri: '*', regex: '.*', value: 10, unit: 'MINUTE', remaining: 7, nextAvailable: new Date('2026-11-23T10:00:00Z') },
      { verb: 'POST', uri: '*/servers', regex: '^/servers', value: 50, unit: 'DAY' },
    ]);
  });

  it('speaks the Rackspace os-networksv2 extension ({"network":{"cidr","label"}})', async () => {
    cloud.on('POST', /^\/v2\/123456\/os-networksv2$/, (q, res) => sendJson(res, 200, { network: { id: 'n1', ...q.json<{ network: object }>().network } }));
    cloud.on('GET', /^\/v2\/123456\/os-networksv2$/, (_q, res) => sendJson(res, 200, { networks: [{ id: 'n1', label: 'kubernetes-pool-net', cidr: '192.168.0.0/24' }] }));
    const n = await client.network.networksV2.create('kubernetes-pool-net', '192.168.0.0/24');
    expect(n).toEqual({ id: 'n1', cidr: '192.168.0.0/24', label: 'kubernetes-pool-net' });
    expect(cloud.apiRequests().at(-1)?.json()).toEqual({ network: { cidr: '192.168.0.0/24', label: 'kubernetes-pool-net' } });
    const labels = [];
    for await (const x of client.network.networksV2.list()) labels.push(x.label);
    expect(labels).toEqual(['kubernetes-pool-net']);
    expect(await client.network.kind()).toBe('neutron'); // this fake catalog has cloudNetworks
  });
});

describe('network service detection', () => {
  it('falls back to os-networksv2 when the catalog has no network service (legacy Rackspace)', async () => {
    const legacy = await startFakeCloud({ rackspace: true, withoutNetworkService: true });
    try {
      const c = createClient({ credentials: { kind: 'v2-apikey', authUrl: `${legacy.url}/v2.0`, username: 'demo', apiKey: FAKE_API_KEY }, region: 'RegionOne' });
      expect(await c.network.kind()).toBe('os-networksv2');
      await expect(c.network.networks.list().next()).rejects.toMatchObject({ code: 'CATALOG_NO_ENDPOINT' });
    } finally {
      await legacy.close();
    }
  });
});
