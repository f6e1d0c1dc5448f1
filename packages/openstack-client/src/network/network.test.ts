import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../client.js';
import type { OpenStackClient } from '../client.js';
import { FAKE_PASSWORD, startFakeCloud } from '../testing/fake-cloud.js';
import type { FakeCloud } from '../testing/fake-cloud.js';
import { sendJson } from '../testing/http-server.js';
import { neutronParams } from './filters.js';
import { buildCreatePortBody } from './ports/requests.js';
import { buildCreateSubnetBody } from './subnets/requests.js';

let cloud: FakeCloud;
let client: OpenStackClient;
beforeEach(async () => {
  cloud = await startFakeCloud();
  client = createClient({ credentials: { kind: 'v3-password', authUrl: `${cloud.url}/v3`, username: 'demo', password: FAKE_PASSWORD, projectName: 'demo' } });
});
afterEach(async () => cloud.close());

describe('request building', () => {
  it('maps tag filters to Neutron query names', () => {
    expect(neutronParams({ name: 'n', description: 'd', tags: ['a', 'b'], tagsAny: ['c'], notTags: ['x'], limit: 10 })).toEqual({
      name: 'n',
      description: 'd',
      tags: 'a,b',
      'tags-any': 'c',
      'not-tags': 'x',
      limit: 10,
    });
  });
  it('subnet with allocation pools and no gateway; port with fixed IPs', () => {
    expect(buildCreateSubnetBody({ networkId: 'n', cidr: '192.168.0.0/24', name: 's', gatewayIp: null, allocationPools: [{ start: '192.168.0.10', end: '192.168.0.99' }] })).toEqual({
      subnet: { network_id: 'n', cidr: '192.168.0.0/24', ip_version: 4, name: 's', gateway_ip: null, allocation_pools: [{ start: '192.168.0.10', end: '192.168.0.99' }] },
    });
    expect(buildCreatePortBody({ networkId: 'n', name: 'p', fixedIps: [{ subnetId: 's', ipAddress: '192.168.0.10' }, { subnetId: 's2' }] })).toEqual({
      port: { network_id: 'n', name: 'p', fixed_ips: [{ subnet_id: 's', ip_address: '192.168.0.10' }, { subnet_id: 's2' }] },
    });
  });
});

describe('neutron against a fake', () => {
  it('lists networks across networks_links pages with filters, finds by name, refuses ambiguity', async () => {
    cloud.on('GET', /^\/neutron\/v2\.0\/networks$/, (q, res) => {
      const all = [
        { id: 'n1', name: 'kubernetes-pool-net' },
        { id: 'n2', name: 'dup' },
        { id: 'n3', name: 'dup' },
      ].filter((n) => !q.query.get('name') || n.name === q.query.get('name'));
      const marker = q.query.get('marker');
      const rest = marker ? all.slice(all.findIndex((n) => n.id === marker) + 1) : all;
      const page = rest.slice(0, 1);
      sendJson(res, 200, { networks: page, networks_links: rest.length > 1 ? [{ rel: 'next', href: `http://neutron:9696/v2.0/networks?limit=1&marker=${page[0]?.id}` }] : [] });
    });
    const ids = [];
    for await (const n of client.network.networks.list({ limit: 1 })) ids.push(n.id);
    expect(ids).toEqual(['n1', 'n2', 'n3']);
    expect((await client.network.networks.find('kubernetes-pool-net')).id).toBe('n1');
    await expect(client.network.networks.find('dup')).rejects.toMatchObject({ code: 'AMBIGUOUS' });
    expect(cloud.apiRequests().some((r) => r.url.includes('tags') === false && r.query.get('name') === 'dup')).toBe(true);
  });

  it('creates, gets and deletes network, subnet and port; parses NeutronError', async () => {
    cloud.on('POST', /^\/neutron\/v2\.0\/networks$/, (q, res) => sendJson(res, 201, { network: { id: 'n', ...q.json<{ network: object }>().network } }));
    cloud.on('POST', /^\/neutron\/v2\.0\/subnets$/, (q, res) => sendJson(res, 201, { subnet: { id: 's', ...q.json<{ subnet: object }>().subnet } }));
    cloud.on('POST', /^\/neutron\/v2\.0\/ports$/, (_q, res) =>
      sendJson(res, 409, { NeutronError: { type: 'IpAddressAlreadyAllocated', message: 'IP address 192.168.0.10 already allocated in subnet s', detail: '' } }),
    );
    cloud.on('DELETE', /^\/neutron\/v2\.0\/networks\/n$/, (_q, res) => void res.writeHead(204).end());
    const n = await client.network.networks.create({ name: 'net' });
    expect(n).toMatchObject({ id: 'n', name: 'net', admin_state_up: true });
    const s = await client.network.subnets.create({ networkId: 'n', cidr: '192.168.0.0/24' });
    expect(s).toMatchObject({ id: 's', network_id: 'n', ip_version: 4 });
    await expect(client.network.ports.create({ networkId: 'n', fixedIps: [{ ipAddress: '192.168.0.10' }] })).rejects.toMatchObject({
      code: 'HTTP_CONFLICT',
      apiMessage: 'IP address 192.168.0.10 already allocated in subnet s',
    });
    await client.network.networks.delete('n');
    await expect(client.network.networks.delete('gone', { ignoreMissing: true })).resolves.toBeUndefined();
  });
});
