import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COREOS_IMAGE_ID, startSim, type Sim } from '../index.js';
import { call, client, until } from '../testing/harness.js';

let sim: Sim | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('stateFile', () => {
  it('persists servers, networks, keypairs, tokens and object bodies across a restart', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sim-state-'));
    const stateFile = join(dir, 'cloud.json');
    sim = await startSim({ stateFile, bootTimeMs: 0 });
    const { api, token, projectId } = await client(sim);
    const net = (await api('POST', '/v2.0/networks', { network: { name: 'kubernetes-pool-net' } })).json.network.id;
    await api('POST', '/v2.0/subnets', { subnet: { network_id: net, cidr: '192.168.0.0/24' } });
    await api('POST', '/v2.1/os-keypairs', { keypair: { name: 'id_kubernetes' } });
    const server = (await api('POST', '/v2.1/servers', { server: { name: 'kubernetes-master', imageRef: COREOS_IMAGE_ID, flavorRef: '1', networks: [{ uuid: net }] } })).json.server.id;
    await until(async () => sim?.state.servers()[0]?.status === 'ACTIVE');
    const account = `/v1/AUTH_${projectId}`;
    await api('PUT', `${account}/releases`);
    await api('PUT', `${account}/releases/devel/k.tar.gz`, 'tarball-bytes');
    expect(existsSync(stateFile)).toBe(true);
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).servers).toHaveLength(1);
    await sim.close();

    sim = await startSim({ stateFile });
    const again = (path: string, init: RequestInit = {}): ReturnType<typeof call> =>
      call(`${sim?.url}${path}`, { ...init, headers: { 'x-auth-token': token, ...(init.headers as Record<string, string>) } });
    const got = await again(`/v2.1/servers/${server}`);
    expect(got.status).toBe(200); // the token survived as well
    expect(got.json.server).toMatchObject({ name: 'kubernetes-master', status: 'ACTIVE' });
    expect(got.json.server.addresses['kubernetes-pool-net'][0].addr).toBe('192.168.0.2');
    expect((await again('/v2.0/networks?name=kubernetes-pool-net')).json.networks).toHaveLength(1);
    expect((await again('/v2.1/os-keypairs/id_kubernetes')).status).toBe(200);
    const obj = await again(`${account}/releases/devel/k.tar.gz`);
    expect(obj.text).toBe('tarball-bytes');
    // The seeded flavors were not duplicated.
    expect((await again('/v2.1/flavors')).json.flavors).toHaveLength(4);
  });

  it('resumes a BUILD server after a restart and refuses a state file of the other mode', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sim-state-'));
    const stateFile = join(dir, 'cloud.json');
    sim = await startSim({ stateFile, bootTimeMs: 300 });
    const { api } = await client(sim);
    await api('POST', '/v2.1/servers', { server: { name: 'n', imageRef: COREOS_IMAGE_ID, flavorRef: '1' } });
    expect(sim.state.servers()[0]?.status).toBe('BUILD');
    await sim.close();
    sim = await startSim({ stateFile, bootTimeMs: 300 });
    await until(async () => sim?.state.servers()[0]?.status === 'ACTIVE', 3000);
    await sim.close();
    sim = undefined;
    await expect(startSim({ stateFile, mode: 'rackspace' })).rejects.toThrow(/openstack sim/);
  });
});
