/**
 * Runs the same requests against the sim and against the real OpenStack all-in-one cloud
 * (/var/tmp/os-aio/aio.env) and compares what matters. Skipped when that cloud is not there.
 * Everything created on the real cloud is deleted again.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, tempUrlSignature, type Sim } from './index.js';
import { call, client, type Reply } from './testing/harness.js';

const ENV_FILE = '/var/tmp/os-aio/aio.env';
const aio: Record<string, string> = {};
if (existsSync(ENV_FILE)) {
  for (const line of readFileSync(ENV_FILE, 'utf8').split('\n')) {
    const m = /^export (\w+)='(.*)'$/.exec(line);
    if (m) aio[m[1] as string] = m[2] as string;
  }
}
const haveCloud = Boolean(aio['OS_AUTH_URL']);

interface Side {
  token: string;
  swift: string; // account URL
  nova: string;
  neutron: string;
  tempKey: string;
}

async function realSide(): Promise<Side> {
  const r = await call(`${aio['OS_AUTH_URL']}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: aio['OS_USERNAME'], domain: { name: aio['OS_USER_DOMAIN_NAME'] }, password: aio['OS_PASSWORD'] } } },
        scope: { project: { name: aio['OS_PROJECT_NAME'], domain: { name: aio['OS_PROJECT_DOMAIN_NAME'] } } },
      },
    }),
  });
  return {
    token: r.headers.get('x-subject-token') as string,
    swift: aio['AIO_SWIFT_URL'] as string,
    nova: aio['AIO_NOVA_URL'] as string,
    neutron: `${aio['AIO_NEUTRON_URL']}/v2.0`,
    tempKey: aio['AIO_SWIFT_TEMP_URL_KEY'] as string,
  };
}

describe.skipIf(!haveCloud)('parity with the real all-in-one cloud', () => {
  let sim: Sim;
  let simSide: Side;
  let real: Side;
  const container = `sim-parity-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    sim = await startSim();
    const c = await client(sim);
    simSide = { token: c.token, swift: `${sim.url}/v1/AUTH_${c.projectId}`, nova: `${sim.url}/v2.1`, neutron: `${sim.url}/v2.0`, tempKey: 'aio-temp-url-key' };
    await call(simSide.swift, { method: 'POST', headers: { 'x-auth-token': c.token, 'X-Account-Meta-Temp-Url-Key': simSide.tempKey } });
    real = await realSide();
    for (const side of [simSide, real]) {
      const h = { 'x-auth-token': side.token };
      await call(`${side.swift}/${container}`, { method: 'PUT', headers: h });
      await call(`${side.swift}/${container}/dir/a.txt`, { method: 'PUT', headers: { ...h, 'content-type': 'text/plain', 'X-Object-Meta-Color': 'blue' }, body: 'hello world' });
    }
  });

  afterAll(async () => {
    const h = { 'x-auth-token': real.token };
    for (const o of ['dir/a.txt', 's1', 's2', 'big']) await call(`${real.swift}/${container}/${o}`, { method: 'DELETE', headers: h });
    await call(`${real.swift}/${container}`, { method: 'DELETE', headers: h });
    await sim.close();
  });

  const both = async (fn: (side: Side) => Promise<Reply>): Promise<[Reply, Reply]> => [await fn(simSide), await fn(real)];

  it('temp URLs: same status and body for valid, HEAD-by-GET, expired, wrong method, bad signature', async () => {
    const exp = Math.floor(Date.now() / 1000) + 300;
    const past = Math.floor(Date.now() / 1000) - 10;
    const url = (side: Side, method: string, expires: number, digest: 'sha1' | 'sha256' | 'sha512', tamper = false): string => {
      const path = new URL(`${side.swift}/${container}/dir/a.txt`).pathname;
      let sig = tempUrlSignature(method, expires, path, side.tempKey, digest);
      if (tamper) sig = sig.replace(/^./, (c) => (c === '0' ? '1' : '0'));
      const base = side.swift.slice(0, side.swift.indexOf('/v1/'));
      return `${base}${path}?temp_url_sig=${sig}&temp_url_expires=${expires}`;
    };
    const cases: Array<[string, string, string, number, 'sha1' | 'sha256' | 'sha512', boolean]> = [
      ['sha1', 'GET', 'GET', exp, 'sha1', false],
      ['sha256', 'GET', 'GET', exp, 'sha256', false],
      ['sha512', 'GET', 'GET', exp, 'sha512', false],
      ['HEAD by GET', 'HEAD', 'GET', exp, 'sha256', false],
      ['expired', 'GET', 'GET', past, 'sha256', false],
      ['PUT sig for GET', 'GET', 'PUT', exp, 'sha256', false],
      ['tampered', 'GET', 'GET', exp, 'sha256', true],
    ];
    for (const [label, method, signed, expires, digest, tamper] of cases) {
      const [s, r] = await both((side) => call(url(side, signed, expires, digest, tamper), { method }));
      expect(s.status, label).toBe(r.status);
      expect(s.text, label).toBe(r.text);
      expect(s.headers.get('content-disposition'), label).toBe(r.headers.get('content-disposition'));
      expect(s.headers.get('x-object-meta-color'), label).toBe(r.headers.get('x-object-meta-color'));
    }
  });

  it('swift: same statuses and bodies for 202/404/409/422 and the same SLO ETag', async () => {
    const [a, b] = await both((side) => call(`${side.swift}/${container}`, { method: 'PUT', headers: { 'x-auth-token': side.token } }));
    expect([a.status, a.text]).toEqual([b.status, b.text]);
    const [c, d] = await both((side) => call(`${side.swift}/${container}/nope`, { headers: { 'x-auth-token': side.token } }));
    expect([c.status, c.text]).toEqual([d.status, d.text]);
    const [e, f] = await both((side) => call(`${side.swift}/${container}`, { method: 'DELETE', headers: { 'x-auth-token': side.token } }));
    expect([e.status, e.text]).toEqual([f.status, f.text]);
    const [g, h] = await both((side) => call(`${side.swift}/${container}/x`, { method: 'PUT', headers: { 'x-auth-token': side.token, ETag: '0'.repeat(32) }, body: 'x' }));
    expect([g.status, g.text]).toEqual([h.status, h.text]);
    const etags = await both(async (side) => {
      const hd = { 'x-auth-token': side.token };
      await call(`${side.swift}/${container}/s1`, { method: 'PUT', headers: hd, body: 'AAAA' });
      await call(`${side.swift}/${container}/s2`, { method: 'PUT', headers: hd, body: 'BBB' });
      return call(`${side.swift}/${container}/big?multipart-manifest=put`, {
        method: 'PUT',
        headers: hd,
        body: JSON.stringify([{ path: `/${container}/s1` }, { path: `/${container}/s2` }]),
      });
    });
    expect(etags[0].headers.get('etag')).toBe(etags[1].headers.get('etag'));
    const heads = await both((side) => call(`${side.swift}/${container}/big`, { method: 'HEAD', headers: { 'x-auth-token': side.token } }));
    expect(heads[0].headers.get('x-static-large-object')).toBe(heads[1].headers.get('x-static-large-object'));
    expect(heads[0].headers.get('content-length')).toBe(heads[1].headers.get('content-length'));
  });

  it('keystone and nova: same 401 bodies and the same keypair fingerprint', async () => {
    const bad = JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: 'wrong' } } } } });
    const s401 = await call(`${sim.url}/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bad });
    const r401 = await call(`${aio['OS_AUTH_URL']}/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bad });
    expect([s401.status, s401.json]).toEqual([r401.status, r401.json]);
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), raw]);
    const key = `ssh-ed25519 ${blob.toString('base64')} parity@test`;
    const name = `sim-parity-${randomBytes(4).toString('hex')}`;
    const [s, r] = await both((side) =>
      call(`${side.nova}/os-keypairs`, { method: 'POST', headers: { 'x-auth-token': side.token, 'content-type': 'application/json' }, body: JSON.stringify({ keypair: { name, public_key: key } }) }),
    );
    await call(`${real.nova}/os-keypairs/${name}`, { method: 'DELETE', headers: { 'x-auth-token': real.token } });
    expect(s.status).toBe(r.status);
    expect(s.json.keypair.fingerprint).toBe(r.json.keypair.fingerprint);
    const [ns, nr] = await both((side) => call(`${side.nova}/servers?marker=00000000-1111-2222-3333-444444444444`, { headers: { 'x-auth-token': side.token } }));
    expect([ns.status, ns.json]).toEqual([nr.status, nr.json]);
  });
});
