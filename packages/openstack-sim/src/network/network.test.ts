import { afterEach, describe, expect, it } from 'vitest';
import { startSim, type Sim } from '../index.js';
import { client } from '../testing/harness.js';
import { defaultGatewayAndPool, firstFree, formatIp, parseCidr, parseIp } from './ipam.js';

let sim: Sim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('ipam', () => {
  it('parses and formats IPv4 and IPv6', () => {
    expect(formatIp(4, parseIp('10.1.2.3')?.value ?? 0n)).toBe('10.1.2.3');
    expect(formatIp(6, parseIp('2001:db8:0:0:0:0:0:1')?.value ?? 0n)).toBe('2001:db8::1');
    expect(parseIp('300.1.1.1')).toBeUndefined();
    expect(parseCidr('192.168.50.7/24')).toMatchObject({ version: 4, prefix: 24 });
  });

  it('uses Neutron defaults: gateway .1, pool .2–.254 (observed for 192.168.50.0/24)', () => {
    const c = parseCidr('192.168.50.0/24');
    expect(c && defaultGatewayAndPool(c)).toEqual({ gateway: '192.168.50.1', pool: { start: '192.168.50.2', end: '192.168.50.254' } });
    expect(firstFree([{ start: '10.0.0.2', end: '10.0.0.3' }], 4, new Set(['10.0.0.2']))).toBe('10.0.0.3');
    expect(firstFree([{ start: '10.0.0.2', end: '10.0.0.3' }], 4, new Set(['10.0.0.2', '10.0.0.3']))).toBeUndefined();
  });
});

describe('neutron', () => {
  it('creates networks, subnets and ports with the fields Neutron 21 returns', async () => {
    sim = await startSim();
    const { api, projectId } = await client(sim);
    const n = await api('POST', '/v2.0/networks', { network: { name: 'net', description: 'd' } });
    expect(n.status).toBe(201);
    expect(n.json.network).toMatchObject({ name: 'net', description: 'd', status: 'ACTIVE', subnets: [], tenant_id: projectId, project_id: projectId, admin_state_up: true, shared: false });
    const s = await api('POST', '/v2.0/subnets', { subnet: { name: 'sub', network_id: n.json.network.id, ip_version: 4, cidr: '192.168.50.0/24' } });
    expect(s.status).toBe(201);
    expect(s.json.subnet).toMatchObject({ gateway_ip: '192.168.50.1', allocation_pools: [{ start: '192.168.50.2', end: '192.168.50.254' }], enable_dhcp: true, ip_version: 4 });
    const p = await api('POST', '/v2.0/ports', { port: { name: 'p1', network_id: n.json.network.id, fixed_ips: [{ subnet_id: s.json.subnet.id, ip_address: '192.168.50.10' }] } });
    expect(p.status).toBe(201);
    expect(p.json.port).toMatchObject({ status: 'DOWN', device_id: '', device_owner: '', fixed_ips: [{ subnet_id: s.json.subnet.id, ip_address: '192.168.50.10' }], 'binding:vif_type': 'unbound' });
    expect(p.json.port.mac_address).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
    const auto = await api('POST', '/v2.0/ports', { port: { network_id: n.json.network.id } });
    expect(auto.json.port.fixed_ips[0].ip_address).toBe('192.168.50.2');
    const net = await api('GET', `/v2.0/networks/${n.json.network.id}`);
    expect(net.json.network.subnets).toEqual([s.json.subnet.id]);
  });

  it('answers Neutron\'s errors: IpAddressAlreadyAllocated, InvalidIpForSubnet, NetworkInUse, NotFound', async () => {
    sim = await startSim();
    const { api } = await client(sim);
    const net = (await api('POST', '/v2.0/networks', { network: { name: 'n' } })).json.network.id;
    const sub = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net, cidr: '192.168.50.0/24', ip_version: 4 } })).json.subnet.id;
    const p1 = (await api('POST', '/v2.0/ports', { port: { network_id: net, fixed_ips: [{ subnet_id: sub, ip_address: '192.168.50.10' }] } })).json.port.id;
    // Bodies observed on Neutron 21.
    const dup = await api('POST', '/v2.0/ports', { port: { network_id: net, fixed_ips: [{ subnet_id: sub, ip_address: '192.168.50.10' }] } });
    expect(dup.status).toBe(409);
    expect(dup.json).toEqual({ NeutronError: { type: 'IpAddressAlreadyAllocated', message: `IP address 192.168.50.10 already allocated in subnet ${sub}`, detail: '' } });
    const outside = await api('POST', '/v2.0/ports', { port: { network_id: net, fixed_ips: [{ subnet_id: sub, ip_address: '10.0.0.5' }] } });
    expect(outside.status).toBe(400);
    expect(outside.json).toEqual({ NeutronError: { type: 'InvalidIpForSubnet', message: 'IP address 10.0.0.5 is not a valid IP for the specified subnet.', detail: '' } });
    const p2 = (await api('POST', '/v2.0/ports', { port: { network_id: net } })).json.port.id;
    const inUse = await api('DELETE', `/v2.0/networks/${net}`);
    expect(inUse.status).toBe(409);
    expect(inUse.json).toEqual({
      NeutronError: {
        type: 'NetworkInUse',
        message: `Unable to complete operation on network ${net}. There are one or more ports still in use on the network, id for these ports is: ${p2},${p1}.`,
        detail: '',
      },
    });
    const subInUse = await api('DELETE', `/v2.0/subnets/${sub}`);
    expect(subInUse.status).toBe(409);
    expect(subInUse.json.NeutronError.type).toBe('SubnetInUse');
    const missing = await api('GET', '/v2.0/networks/00000000-1111-2222-3333-444444444444');
    expect(missing.json).toEqual({ NeutronError: { type: 'NetworkNotFound', message: 'Network 00000000-1111-2222-3333-444444444444 could not be found.', detail: '' } });
    const missingPort = await api('GET', '/v2.0/ports/00000000-1111-2222-3333-444444444444');
    expect(missingPort.json.NeutronError.type).toBe('PortNotFound');
    expect((await api('DELETE', `/v2.0/ports/${p1}`)).status).toBe(204);
    expect((await api('DELETE', `/v2.0/ports/${p2}`)).status).toBe(204);
    expect((await api('DELETE', `/v2.0/networks/${net}`)).status).toBe(204);
    expect((await api('GET', '/v2.0/subnets')).json.subnets).toEqual([]);
  });

  it('filters by name, id, network_id, device_id and fixed_ips; paginates with limit/marker; picks fields', async () => {
    sim = await startSim();
    const { api } = await client(sim);
    const a = (await api('POST', '/v2.0/networks', { network: { name: 'a' } })).json.network.id;
    const b = (await api('POST', '/v2.0/networks', { network: { name: 'b' } })).json.network.id;
    await api('POST', '/v2.0/subnets', { subnet: { network_id: a, cidr: '10.0.0.0/24' } });
    const port = (await api('POST', '/v2.0/ports', { port: { network_id: a, device_id: 'dev-1' } })).json.port;
    expect((await api('GET', '/v2.0/networks?name=b')).json.networks.map((n: { id: string }) => n.id)).toEqual([b]);
    expect((await api('GET', `/v2.0/networks?id=${a}&id=${b}`)).json.networks).toHaveLength(2);
    expect((await api('GET', `/v2.0/ports?network_id=${b}`)).json.ports).toEqual([]);
    expect((await api('GET', '/v2.0/ports?device_id=dev-1')).json.ports[0].id).toBe(port.id);
    expect((await api('GET', `/v2.0/ports?fixed_ips=ip_address%3D${port.fixed_ips[0].ip_address}`)).json.ports).toHaveLength(1);
    const page = await api('GET', '/v2.0/networks?limit=1');
    expect(page.json.networks).toHaveLength(1);
    expect(page.json.networks_links[0].href).toContain(`marker=${a}`);
    const fields = await api('GET', '/v2.0/networks?fields=id&fields=name');
    expect(Object.keys(fields.json.networks[0]).sort()).toEqual(['id', 'name']);
    const updated = await api('PUT', `/v2.0/networks/${b}`, { network: { description: 'now described' } });
    expect(updated.json.network).toMatchObject({ description: 'now described', revision_number: 2 });
  });

  it('shows PublicNet and ServiceNet in rackspace mode and protects them', async () => {
    sim = await startSim({ mode: 'rackspace' });
    const { api } = await client(sim);
    const nets = (await api('GET', '/v2.0/networks')).json.networks;
    expect(nets.map((n: { id: string; name: string }) => [n.id, n.name])).toEqual([
      ['00000000-0000-0000-0000-000000000000', 'public'],
      ['11111111-1111-1111-1111-111111111111', 'private'],
    ]);
    expect((await api('DELETE', '/v2.0/networks/00000000-0000-0000-0000-000000000000')).status).toBe(403);
  });
});
