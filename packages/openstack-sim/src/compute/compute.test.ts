import { afterEach, describe, expect, it } from 'vitest';
import { COREOS_IMAGE_ID, PUBLIC_NET_ID, SERVICE_NET_ID, startSim, type ServerSnapshot, type Sim } from '../index.js';
import { client, sleep, until } from '../testing/harness.js';

let sim: Sim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

// A key and the fingerprint Nova 26 computed for it on the all-in-one cloud.
const REAL_RSA_KEY =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCiBUrIC7gfXLrh58ImNtbn5OxMSx9K3vpQyAR5ZUevzKidO3vpdz1fhEp2k3jQYwWGz0CknntaFxE+EIMybYgRfuQf01WffYudQxV8j9WoegGB9slHJoWJboX8DTXzDAdshHiwLBdryiVqLIDDxqRPcKpTZWCz/rxdcmFz2Q06Ies5WOkuT2afeDWKADmQLcvueWkIzj1NTouidvAHdaH1ivH+wdw3Is6RX6jfzX8uWfFX6ZPtAYm3yPzDVrYH1+OUwWGnlOhW+QoAHHeL+lpSHg4kMOtIIOZ72xekf7HztLdnHRmzgO24iWCT0QygBji+hysgOf+PjTJEcSn7gvit probe@x';
const REAL_RSA_FP = '28:5d:98:b3:62:11:2e:4d:5b:b7:ba:d5:bf:55:ee:8d';
const REAL_ED_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICSYejnw7+BkJekNgo4O4H8q4HV3u4Z9CxsV2p7+sPtK probe@x';
const REAL_ED_FP = '05:3a:a9:84:4f:92:23:93:89:0b:53:d7:19:f6:75:c8';

type Api = Awaited<ReturnType<typeof client>>['api'];

async function makeNetwork(api: Api, cidr = '192.168.0.0/24', name = 'net1'): Promise<{ net: string; subnet: string }> {
  const n = await api('POST', '/v2.0/networks', { network: { name } });
  const s = await api('POST', '/v2.0/subnets', { subnet: { network_id: n.json.network.id, cidr, ip_version: 4 } });
  return { net: n.json.network.id, subnet: s.json.subnet.id };
}

const serverBody = (extra: Record<string, unknown>): { server: Record<string, unknown> } => ({
  server: { name: 'vm', imageRef: COREOS_IMAGE_ID, flavorRef: '1', ...extra },
});

describe('flavors, images, limits', () => {
  it('seeds m1.* in openstack mode like the all-in-one cloud', async () => {
    sim = await startSim();
    const { api } = await client(sim);
    const list = await api('GET', '/v2.1/flavors');
    expect(list.json.flavors.map((f: { name: string }) => f.name)).toEqual(['m1.tiny', 'm1.small', 'm1.medium', 'm1.large']);
    const detail = await api('GET', '/v2.1/flavors/detail');
    // Fields and values of m1.tiny observed on Nova 26.
    expect(detail.json.flavors[0]).toMatchObject({ id: '1', name: 'm1.tiny', ram: 512, disk: 1, swap: '', vcpus: 1, 'OS-FLV-EXT-DATA:ephemeral': 0, 'os-flavor-access:is_public': true, rxtx_factor: 1 });
    const missing = await api('GET', '/v2.1/flavors/999');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ itemNotFound: { code: 404, message: 'Flavor 999 could not be found.' } });
    expect(missing.headers.get('openstack-api-version')).toBe('compute 2.1');
  });

  it('serves the CoreOS image through /images and Glance /v2/images', async () => {
    sim = await startSim();
    const { api } = await client(sim);
    const img = await api('GET', `/v2.1/images/${COREOS_IMAGE_ID}`);
    expect(img.json.image).toMatchObject({ id: COREOS_IMAGE_ID, status: 'ACTIVE', progress: 100 });
    const glance = await api('GET', '/v2/images?name=CoreOS%20(Stable)');
    expect(glance.json.images).toHaveLength(1);
    expect(glance.json.images[0]).toMatchObject({ id: COREOS_IMAGE_ID, status: 'active', visibility: 'public' });
    // Gone from microversion 2.36 on.
    expect((await api('GET', '/v2.1/images', undefined, { 'OpenStack-API-Version': 'compute 2.36' })).status).toBe(404);
  });

  it('reports absolute limits (maxServerMeta 128 openstack / 40 rackspace) and rate limits', async () => {
    sim = await startSim();
    let { api } = await client(sim);
    let limits = await api('GET', '/v2.1/limits');
    expect(limits.json.limits.absolute).toMatchObject({ maxServerMeta: 128, maxTotalInstances: 10, totalInstancesUsed: 0 });
    expect(limits.json.limits.rate).toEqual([]);
    await sim.close();
    sim = await startSim({ mode: 'rackspace', rateLimit: { requestsPerSecond: 100 } });
    ({ api } = await client(sim));
    limits = await api('GET', '/v2/123456/limits');
    expect(limits.json.limits.absolute.maxServerMeta).toBe(40);
    expect(limits.json.limits.rate[0].limit[0]).toMatchObject({ verb: '*', value: 6000, unit: 'MINUTE' });
  });

  it("reports compute's bucket as it is: whole requests left, and when the next one is allowed", async () => {
    sim = await startSim({ rateLimit: { requestsPerSecond: 0.5, burst: 4 } });
    const { api } = await client(sim);
    const first = (await api('GET', '/v2.1/limits')).json.limits.rate[0].limit[0];
    expect(first).toMatchObject({ verb: '*', value: 30, unit: 'MINUTE', remaining: 3 });
    expect(Date.parse(first['next-available'])).toBeLessThanOrEqual(Date.now());
    await api('GET', '/v2.1/flavors');
    await api('GET', '/v2.1/flavors');
    const drained = (await api('GET', '/v2.1/limits')).json.limits.rate[0].limit[0];
    expect(drained.remaining).toBe(0);
    // At half a request per second the next whole request is up to 2 s away.
    expect(Date.parse(drained['next-available'])).toBeGreaterThan(Date.now());
    // Neutron has its own bucket: compute's being empty does not limit it.
    expect((await api('GET', '/v2.0/networks')).status).toBe(200);
  });

  it('rejects unsupported microversions with 406 as Nova does', async () => {
    sim = await startSim();
    const { api } = await client(sim);
    const r = await api('GET', '/v2.1/servers', undefined, { 'OpenStack-API-Version': 'compute 2.200' });
    expect(r.status).toBe(406);
    expect(r.json.computeFault.message).toBe('Version 2.200 is not supported by the API. Minimum is 2.1 and maximum is 2.79.');
    const latest = await api('GET', '/v2.1/flavors', undefined, { 'OpenStack-API-Version': 'compute latest' });
    expect(latest.headers.get('openstack-api-version')).toBe('compute 2.79');
  });
});

describe('keypairs', () => {
  it('imports keys with Nova\'s MD5 fingerprint (ssh-rsa, ssh-ed25519)', async () => {
    sim = await startSim();
    const { api } = await client(sim);
    const rsa = await api('POST', '/v2.1/os-keypairs', { keypair: { name: 'k-rsa', public_key: REAL_RSA_KEY } });
    expect(rsa.status).toBe(200); // 200 at 2.1 (observed on Nova 26)
    expect(rsa.json.keypair.fingerprint).toBe(REAL_RSA_FP);
    const ed = await api('POST', '/v2.1/os-keypairs', { keypair: { name: 'k-ed', public_key: REAL_ED_KEY } }, { 'OpenStack-API-Version': 'compute 2.2' });
    expect(ed.status).toBe(201); // 201 from 2.2 (observed on Nova 26)
    expect(ed.json.keypair).toMatchObject({ fingerprint: REAL_ED_FP, type: 'ssh' });
    const list = await api('GET', '/v2.1/os-keypairs');
    expect(list.json.keypairs.map((k: { keypair: { name: string } }) => k.keypair.name)).toEqual(['k-ed', 'k-rsa']);
    expect(Object.keys(list.json.keypairs[0].keypair).sort()).toEqual(['fingerprint', 'name', 'public_key']);
    const get = await api('GET', '/v2.1/os-keypairs/k-rsa');
    expect(get.json.keypair).toMatchObject({ name: 'k-rsa', deleted: false, deleted_at: null, updated_at: null });
  });

  it('answers 409 for a duplicate, 400 for a bad key or name, 404 for a missing one', async () => {
    sim = await startSim();
    const { api } = await client(sim);
    await api('POST', '/v2.1/os-keypairs', { keypair: { name: 'k', public_key: REAL_RSA_KEY } });
    const dup = await api('POST', '/v2.1/os-keypairs', { keypair: { name: 'k', public_key: REAL_RSA_KEY } });
    expect(dup.status).toBe(409);
    expect(dup.json).toEqual({ conflictingRequest: { code: 409, message: "Key pair 'k' already exists." } });
    const bad = await api('POST', '/v2.1/os-keypairs', { keypair: { name: 'b', public_key: 'ssh-rsa AAAAnotvalid x' } });
    expect(bad.status).toBe(400);
    expect(bad.json.badRequest.message).toBe('Keypair data is invalid: failed to generate fingerprint');
    const badName = await api('POST', '/v2.1/os-keypairs', { keypair: { name: 'bad/name', public_key: REAL_RSA_KEY } });
    expect(badName.json.badRequest.message).toBe(
      "An invalid 'name' value was provided. The name must be: Only expected characters: [_- 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ]",
    );
    const missing = await api('GET', '/v2.1/os-keypairs/nope');
    expect(missing.status).toBe(404);
    expect(missing.json.itemNotFound.message).toMatch(/^Keypair nope not found for user /);
    expect((await api('DELETE', '/v2.1/os-keypairs/k')).status).toBe(202); // 202 at 2.1 (observed)
    expect((await api('DELETE', '/v2.1/os-keypairs/k')).status).toBe(404);
  });

  it('generates a keypair when no public key is given', async () => {
    sim = await startSim();
    const { api } = await client(sim);
    const r = await api('POST', '/v2.1/os-keypairs', { keypair: { name: 'gen' } });
    expect(r.json.keypair.private_key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(r.json.keypair.public_key).toMatch(/^ssh-rsa AAAA\S+ Generated-by-Nova$/);
    expect(r.json.keypair.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
  });
});

describe('servers', () => {
  it('creates a server: 202, BUILD, then ACTIVE with addresses, metadata, key, config drive', async () => {
    const active: Array<{ server: ServerSnapshot; userData: string | undefined }> = [];
    sim = await startSim({ bootTimeMs: 100, onServerActive: (server, userData) => void active.push({ server, userData }) });
    const { api } = await client(sim);
    const { net } = await makeNetwork(api);
    await api('POST', '/v2.1/os-keypairs', { keypair: { name: 'k', public_key: REAL_RSA_KEY } });
    const userData = Buffer.from('#cloud-config\nhostname: x\n').toString('base64');
    const created = await api('POST', '/v2.1/servers', serverBody({ key_name: 'k', config_drive: true, metadata: { role: 'master', ETCD: 'abc' }, user_data: userData, networks: [{ uuid: net }] }));
    expect(created.status).toBe(202);
    const id = created.json.server.id;
    expect(created.headers.get('location')).toBe(`${sim.url}/v2.1/servers/${id}`);
    expect(Object.keys(created.json.server).sort()).toEqual(['OS-DCF:diskConfig', 'adminPass', 'id', 'links', 'security_groups']);
    const building = await api('GET', `/v2.1/servers/${id}`);
    expect(building.json.server).toMatchObject({ status: 'BUILD', addresses: {}, 'OS-EXT-STS:vm_state': 'building', config_drive: 'True', key_name: 'k' });
    expect(building.json.server['OS-EXT-SRV-ATTR:user_data']).toBeUndefined(); // only from 2.3
    const server = await until(async () => {
      const r = await api('GET', `/v2.1/servers/${id}`, undefined, { 'X-OpenStack-Nova-API-Version': '2.3' });
      return r.json.server.status === 'ACTIVE' ? r.json.server : undefined;
    });
    expect(server['OS-EXT-STS:vm_state']).toBe('active');
    expect(server['OS-EXT-STS:power_state']).toBe(1);
    expect(server['OS-EXT-SRV-ATTR:user_data']).toBe(userData);
    expect(server.metadata).toEqual({ role: 'master', ETCD: 'abc' });
    expect(server.accessIPv4).toBe(''); // plain OpenStack leaves it empty
    expect(server.addresses.net1).toEqual([
      expect.objectContaining({ version: 4, addr: '192.168.0.2', 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': expect.stringMatching(/^fa:16:3e:/) }),
    ]);
    const ports = await api('GET', `/v2.0/ports?device_id=${id}`);
    expect(ports.json.ports).toHaveLength(1);
    expect(ports.json.ports[0]).toMatchObject({ device_owner: 'compute:nova', status: 'ACTIVE', 'binding:vif_type': 'ovs' });
    await until(async () => active.length === 1);
    expect(active[0]?.userData).toBe('#cloud-config\nhostname: x\n');
    expect(active[0]?.server.addresses['net1']?.[0]?.addr).toBe('192.168.0.2');
  });

  it('shows the microversion-dependent fields (2.47 flavor, 2.9 locked, 2.26 tags)', async () => {
    sim = await startSim({ bootTimeMs: 0 });
    const { api } = await client(sim);
    await makeNetwork(api);
    const id = (await api('POST', '/v2.1/servers', serverBody({}))).json.server.id;
    const old = (await api('GET', `/v2.1/servers/${id}`)).json.server;
    expect(old.flavor).toMatchObject({ id: '1' });
    expect(old.locked).toBeUndefined();
    const now = (await api('GET', `/v2.1/servers/${id}`, undefined, { 'OpenStack-API-Version': 'compute 2.79' })).json.server;
    expect(now.flavor).toEqual({ vcpus: 1, ram: 512, disk: 1, ephemeral: 0, swap: 0, original_name: 'm1.tiny', extra_specs: {} });
    expect(now).toMatchObject({ locked: false, tags: [], description: null, server_groups: [], locked_reason: null });
  });

  it('validates the create request with Nova\'s messages', async () => {
    sim = await startSim();
    const { api } = await client(sim);
    const { net } = await makeNetwork(api);
    const cases: Array<[Record<string, unknown>, number, string]> = [
      // Every message below was observed on Nova 26 (Zed).
      [{ user_data: 'not base64!!', networks: [{ uuid: net }] }, 400, "Invalid input for field/attribute user_data. Value: not base64!!. 'not base64!!' is not a 'base64'"],
      [{ flavorRef: '99', networks: [{ uuid: net }] }, 400, 'Flavor 99 could not be found.'],
      [{ imageRef: '00000000-1111-2222-3333-444444444444', networks: [{ uuid: net }] }, 400, 'Can not find requested image'],
      [{ key_name: 'nokey', networks: [{ uuid: net }] }, 400, 'Invalid key_name provided.'],
      [{ networks: [{ uuid: '00000000-1111-2222-3333-444444444444' }] }, 400, 'Network 00000000-1111-2222-3333-444444444444 could not be found.'],
      [{ networks: [{ port: '00000000-1111-2222-3333-444444444444' }] }, 400, 'Port id 00000000-1111-2222-3333-444444444444 could not be found.'],
      [{ metadata: { k: 1 }, networks: [{ uuid: net }] }, 400, "Invalid input for field/attribute k. Value: 1. 1 is not of type 'string'"],
      [{ metadata: { k: 'v'.repeat(256) }, networks: [{ uuid: net }] }, 400, `Invalid input for field/attribute k. Value: ${'v'.repeat(256)}. '${'v'.repeat(256)}' is too long`],
      [{ metadata: Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`k${i}`, 'v'])), networks: [{ uuid: net }] }, 403, 'Maximum number of metadata items exceeds 128'],
    ];
    for (const [extra, status, message] of cases) {
      const r = await api('POST', '/v2.1/servers', serverBody(extra));
      expect(r.status, message).toBe(status);
      expect(r.json[status === 403 ? 'forbidden' : 'badRequest'].message).toBe(message);
    }
    const tooLong = await api('POST', '/v2.1/servers', serverBody({ user_data: 'A'.repeat(65536), networks: [{ uuid: net }] }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.badRequest.message).toMatch(/^Invalid input for field\/attribute user_data\. Value: A+\. 'A+' is too long$/);
    const okLength = await api('POST', '/v2.1/servers', serverBody({ name: 'ok', user_data: 'A'.repeat(65532), networks: [{ uuid: net }] }));
    expect(okLength.status).toBe(202);
    const longKey = await api('POST', '/v2.1/servers', serverBody({ metadata: { ['k'.repeat(256)]: 'v' }, networks: [{ uuid: net }] }));
    expect(longKey.json.badRequest.message).toMatch(/does not match any of the regexes: '\^\[a-zA-Z0-9-_:\. \]\{1,255\}\$'$/);
    const noName = await api('POST', '/v2.1/servers', { server: { imageRef: COREOS_IMAGE_ID, flavorRef: '1', networks: [{ uuid: net }] } });
    expect(noName.json.badRequest.message).toMatch(/^Invalid input for field\/attribute server\. Value: \{.*\}\. 'name' is a required property$/);
    const drive = await api('POST', '/v2.1/servers', serverBody({ config_drive: 'maybe', networks: [{ uuid: net }] }));
    expect(drive.json.badRequest.message).toMatch(/^Invalid input for field\/attribute config_drive\. Value: maybe\. 'maybe' is not one of \[True, 'True'/);
    // Nothing but the valid one was created, and no port was left behind.
    expect(sim.state.servers()).toHaveLength(1);
    expect(sim.state.ports()).toHaveLength(1);
  });

  it('enforces the metadata quota of the rackspace profile (40)', async () => {
    sim = await startSim({ mode: 'rackspace' });
    const { api } = await client(sim);
    const meta = Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`k${i}`, 'v']));
    const r = await api('POST', '/v2/123456/servers', { server: { name: 'x', imageRef: COREOS_IMAGE_ID, flavorRef: 'general1-1', metadata: meta } });
    expect(r.status).toBe(403);
    expect(r.json.forbidden.message).toBe('Maximum number of metadata items exceeds 40');
  });

  it('attaches a given port, honours fixed_ip, and refuses an address in use', async () => {
    sim = await startSim({ bootTimeMs: 0 });
    const { api } = await client(sim);
    const { net, subnet } = await makeNetwork(api);
    const port = await api('POST', '/v2.0/ports', { port: { network_id: net, fixed_ips: [{ subnet_id: subnet, ip_address: '192.168.0.10' }] } });
    const s1 = await api('POST', '/v2.1/servers', serverBody({ name: 'a', networks: [{ port: port.json.port.id }] }));
    expect(s1.status).toBe(202);
    const p = await api('GET', `/v2.0/ports/${port.json.port.id}`);
    expect(p.json.port.device_id).toBe(s1.json.server.id);
    const inUse = await api('POST', '/v2.1/servers', serverBody({ name: 'b', networks: [{ port: port.json.port.id }] }));
    expect(inUse.status).toBe(409);
    const s2 = await api('POST', '/v2.1/servers', serverBody({ name: 'c', networks: [{ uuid: net, fixed_ip: '192.168.0.20' }] }));
    expect(s2.status).toBe(202);
    const got = await api('GET', `/v2.1/servers/${s2.json.server.id}`);
    expect(got.json.server.addresses.net1[0].addr).toBe('192.168.0.20');
    const taken = await api('POST', '/v2.1/servers', serverBody({ name: 'd', networks: [{ uuid: net, fixed_ip: '192.168.0.10' }] }));
    expect(taken.status).toBe(400);
    expect(taken.json.badRequest.message).toBe('Fixed IP address 192.168.0.10 is already in use on instance .'); // observed
    // Deleting the server detaches the user's port and deletes the one Nova made.
    await api('DELETE', `/v2.1/servers/${s1.json.server.id}`);
    await api('DELETE', `/v2.1/servers/${s2.json.server.id}`);
    await until(async () => sim?.state.servers().length === 0);
    const after = await api('GET', '/v2.0/ports');
    expect(after.json.ports).toHaveLength(1);
    expect(after.json.ports[0]).toMatchObject({ id: port.json.port.id, device_id: '', status: 'DOWN' });
  });

  it('lists newest first with name regex, status filter, limit/marker and servers_links', async () => {
    sim = await startSim({ bootTimeMs: 0 });
    const { api } = await client(sim);
    await makeNetwork(api);
    const ids: string[] = [];
    for (const name of ['kube-master', 'kube-node-1', 'kube-node-2', 'other']) {
      ids.push((await api('POST', '/v2.1/servers', serverBody({ name }))).json.server.id);
      await sleep(2);
    }
    const all = await api('GET', '/v2.1/servers');
    expect(all.json.servers.map((s: { name: string }) => s.name)).toEqual(['other', 'kube-node-2', 'kube-node-1', 'kube-master']);
    expect(all.json.servers_links).toBeUndefined();
    const re = await api('GET', `/v2.1/servers?name=${encodeURIComponent('^kube-node-')}`);
    expect(re.json.servers.map((s: { name: string }) => s.name)).toEqual(['kube-node-2', 'kube-node-1']);
    const sub = await api('GET', '/v2.1/servers?name=node');
    expect(sub.json.servers).toHaveLength(2); // a regex search, not an exact match
    const page1 = await api('GET', '/v2.1/servers/detail?limit=2');
    expect(page1.json.servers).toHaveLength(2);
    const next = page1.json.servers_links[0];
    expect(next.rel).toBe('next');
    expect(next.href).toBe(`${sim.url}/v2.1/servers/detail?limit=2&marker=${ids[2]}`);
    const page2 = await api('GET', next.href);
    expect(page2.json.servers.map((s: { name: string }) => s.name)).toEqual(['kube-node-1', 'kube-master']);
    expect((await api('GET', '/v2.1/servers?status=ACTIVE')).json.servers).toHaveLength(4);
    expect((await api('GET', '/v2.1/servers?status=BOGUS')).json.servers).toEqual([]); // observed: empty list
    const badMarker = await api('GET', '/v2.1/servers?marker=00000000-1111-2222-3333-444444444444');
    expect(badMarker.json).toEqual({ badRequest: { code: 400, message: 'marker [00000000-1111-2222-3333-444444444444] not found' } });
    const meta = await api('GET', '/v2.1/servers?metadata=%7B%7D');
    expect(meta.json).toEqual({ badRequest: { code: 400, message: 'Invalid filter field: metadata.' } });
    const badLimit = await api('GET', '/v2.1/servers?limit=abc');
    expect(badLimit.json.badRequest.message).toBe("Invalid input for query parameters limit. Value: abc. 'abc' does not match '^[0-9]*$'");
  });

  it('deletes: 204, task_state deleting, then 404 with Nova\'s message', async () => {
    sim = await startSim({ bootTimeMs: 0, deleteTimeMs: 150 });
    const { api } = await client(sim);
    await makeNetwork(api);
    const id = (await api('POST', '/v2.1/servers', serverBody({}))).json.server.id;
    const del = await api('DELETE', `/v2.1/servers/${id}`);
    expect(del.status).toBe(204);
    const during = await api('GET', `/v2.1/servers/${id}`);
    expect(during.json.server['OS-EXT-STS:task_state']).toBe('deleting');
    await until(async () => (await api('GET', `/v2.1/servers/${id}`)).status === 404);
    const gone = await api('GET', `/v2.1/servers/${id}`);
    expect(gone.json).toEqual({ itemNotFound: { code: 404, message: `Instance ${id} could not be found.` } });
    expect((await api('DELETE', `/v2.1/servers/${id}`)).status).toBe(404);
  });

  it('refuses ambiguous network choice and honours the instance quota', async () => {
    sim = await startSim({ bootTimeMs: 0, quotas: { maxTotalInstances: 1 } });
    const { api } = await client(sim);
    await makeNetwork(api, '10.1.0.0/24', 'a');
    await makeNetwork(api, '10.2.0.0/24', 'b');
    const ambiguous = await api('POST', '/v2.1/servers', serverBody({}));
    expect(ambiguous.status).toBe(409);
    const net = (await api('GET', '/v2.0/networks?name=a')).json.networks[0].id;
    expect((await api('POST', '/v2.1/servers', serverBody({ networks: [{ uuid: net }] }))).status).toBe(202);
    const quota = await api('POST', '/v2.1/servers', serverBody({ networks: [{ uuid: net }] }));
    expect(quota.status).toBe(403);
    expect(quota.json.forbidden.message).toBe('Quota exceeded for instances: Requested 1, but already used 1 of 1 instances');
    const required = await api('POST', '/v2.1/servers', serverBody({}), { 'OpenStack-API-Version': 'compute 2.37' });
    expect(required.json.badRequest.message).toMatch(/'networks' is a required property$/);
  });

  it('can put a server into ERROR with a fault', async () => {
    sim = await startSim({ bootTimeMs: 0 });
    const { api } = await client(sim);
    await makeNetwork(api);
    const id = (await api('POST', '/v2.1/servers', serverBody({}))).json.server.id;
    sim.control.setServerStatus(id, 'ERROR', { code: 500, message: 'No valid host was found.' });
    const s = (await api('GET', `/v2.1/servers/${id}`)).json.server;
    expect(s.status).toBe('ERROR');
    expect(s['OS-EXT-STS:vm_state']).toBe('error');
    expect(s.fault).toMatchObject({ code: 500, message: 'No valid host was found.' });
  });
});

describe('rackspace networking', () => {
  it('gives PublicNet + ServiceNet without a list and only the listed networks with one', async () => {
    sim = await startSim({ mode: 'rackspace', bootTimeMs: 0 });
    const { api } = await client(sim);
    const base = '/v2/123456';
    const net = await api('POST', `${base}/os-networksv2`, { network: { cidr: '192.168.0.0/24', label: 'kubernetes-pool-net' } });
    expect(net.status).toBe(200);
    expect(net.json.network).toMatchObject({ cidr: '192.168.0.0/24', label: 'kubernetes-pool-net' });
    const list = await api('GET', `${base}/os-networksv2`);
    expect(list.json.networks).toEqual(
      expect.arrayContaining([{ id: PUBLIC_NET_ID, label: 'public' }, { id: SERVICE_NET_ID, label: 'private' }, net.json.network]),
    );
    const plain = await api('POST', `${base}/servers`, { server: { name: 'plain', imageRef: COREOS_IMAGE_ID, flavorRef: 'general1-1' } });
    const onlyPool = await api('POST', `${base}/servers`, { server: { name: 'pool', imageRef: COREOS_IMAGE_ID, flavorRef: 'general1-1', networks: [{ uuid: net.json.network.id }] } });
    const all = await api('POST', `${base}/servers`, {
      server: { name: 'all', imageRef: COREOS_IMAGE_ID, flavorRef: 'general1-1', networks: [{ uuid: PUBLIC_NET_ID }, { uuid: SERVICE_NET_ID }, { uuid: net.json.network.id }] },
    });
    const get = async (id: string): Promise<Record<string, unknown>> => (await api('GET', `${base}/servers/${id}`)).json.server;
    const p = await get(plain.json.server.id);
    expect(Object.keys(p['addresses'] as object).sort()).toEqual(['private', 'public']);
    expect(p['accessIPv4']).toMatch(/^198\.1[89]\.\d+\.\d+$/);
    const o = await get(onlyPool.json.server.id);
    expect(Object.keys(o['addresses'] as object)).toEqual(['kubernetes-pool-net']);
    expect(o['accessIPv4']).toBe('');
    const a = await get(all.json.server.id);
    expect(Object.keys(a['addresses'] as object).sort()).toEqual(['kubernetes-pool-net', 'private', 'public']);
    const publicAddrs = (a['addresses'] as Record<string, Array<{ version: number }>>)['public'] ?? [];
    expect(publicAddrs.map((x) => x.version).sort()).toEqual([4, 6]);
    // The network is in use now.
    expect((await api('DELETE', `${base}/os-networksv2/${net.json.network.id}`)).status).toBe(409);
  });

  it('adds PublicNet and ServiceNet to an explicit list when the quirk is off', async () => {
    sim = await startSim({ mode: 'rackspace', bootTimeMs: 0, quirks: { explicitNetworksOnly: false } });
    const { api } = await client(sim);
    const net = await api('POST', '/v2/123456/os-networksv2', { network: { cidr: '192.168.3.0/24', label: 'pool' } });
    const s = await api('POST', '/v2/123456/servers', { server: { name: 'x', imageRef: COREOS_IMAGE_ID, flavorRef: 'general1-1', networks: [{ uuid: net.json.network.id }] } });
    const got = await api('GET', `/v2/123456/servers/${s.json.server.id}`);
    expect(Object.keys(got.json.server.addresses).sort()).toEqual(['pool', 'private', 'public']);
    expect((await api('DELETE', `/v2/123456/servers/${s.json.server.id}`)).status).toBe(204);
  });

  it('has no os-networksv2 in openstack mode', async () => {
    sim = await startSim();
    const { api } = await client(sim);
    expect((await api('GET', '/v2.1/os-networksv2')).status).toBe(404);
  });

  it('refuses a compute URL for another tenant', async () => {
    sim = await startSim({ mode: 'rackspace' });
    const { api } = await client(sim);
    const r = await api('GET', '/v2/999/servers');
    expect(r.status).toBe(400);
  });
});
