/**
 * The client's contract, written once and run against every target (sims and real OpenStack).
 * Each run uses unique names and removes everything it created. Nothing here ever connects to a
 * server's own addresses (10.x, 203.0.113.x): only to the cloud's API endpoints on loopback.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFromEnv } from '../client.js';
import type { ClientOptions, OpenStackClient } from '../client.js';
import { IDEMPOTENCY_METADATA_KEY, serverIPv4 } from '../compute/servers/requests.js';
import type { ServerNetwork } from '../compute/servers/types.js';
import { RACKSPACE_PUBLICNET_ID, RACKSPACE_SERVICENET_ID } from '../compute/networksv2/types.js';
import { OpenStackError, isStatus } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PreparedTarget, ReadyTarget } from './targets.js';

/** An OpenSSH ed25519 public key line, made here so no key material is checked in. */
export function sshEd25519PublicKey(comment: string): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const field = (b: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  return `ssh-ed25519 ${Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]).toString('base64')} ${comment}`;
}

class Cleanup {
  readonly #steps: Array<{ what: string; run: () => Promise<unknown> }> = [];
  add(what: string, run: () => Promise<unknown>): void {
    this.#steps.push({ what, run });
  }
  async runAll(): Promise<string[]> {
    const failures: string[] = [];
    for (const step of this.#steps.reverse()) {
      try {
        await step.run();
      } catch (err) {
        failures.push(`${step.what}: ${(err as Error).message}`);
      }
    }
    this.#steps.length = 0;
    return failures;
  }
}

function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const push =
    (level: string) =>
    (m: string, f?: Record<string, unknown>): void => {
      lines.push(`${level} ${m}${f ? ` ${JSON.stringify(f)}` : ''}`);
    };
  return { lines, logger: { debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') } };
}

async function collect<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

/** Registers the contract tests for one target. Call with top-level await from a test file. */
export async function contractSuite(prepared: PreparedTarget, options: { clientOptions?: Partial<ClientOptions> } = {}): Promise<void> {
  if ('skip' in prepared) {
    console.warn(`contract: ${prepared.name} skipped: ${prepared.skip}`);
    describe.skip(`contract: ${prepared.name}`, () => {
      it.skip(`skipped: ${prepared.skip}`, () => undefined);
    });
    return;
  }
  const target: ReadyTarget = prepared;
  const run = `ct${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const cleanup = new Cleanup();
  const { logger, lines } = captureLogger();
  const errorsSeen: unknown[] = [];
  const key2 = `${run}-key2-${randomBytes(8).toString('hex')}`;
  const userData = `#cloud-config\nhostname: ${run}\nwrite_files:\n  - path: /etc/contract\n    content: "secret-${randomBytes(6).toString('hex')}"\n`;
  let client: OpenStackClient;
  let dir: string;

  const make = (extra: Partial<ClientOptions> = {}): OpenStackClient =>
    clientFromEnv(target.env, { logger, timeout: { response: 60_000 }, retry: { limit: 5 }, ...options.clientOptions, ...extra });

  describe(`contract: ${target.name}`, () => {
    beforeAll(() => {
      client = make();
      dir = mkdtempSync(join(tmpdir(), `${run}-`));
    });
    afterAll(async () => {
      const failures = await cleanup.runAll();
      rmSync(dir, { recursive: true, force: true });
      await target.close();
      if (failures.length) throw new Error(`cleanup failed on ${target.name}:\n${failures.join('\n')}`);
    });

    describe('identity', () => {
      it('authenticates and finds compute, network and object-store for the region', async () => {
        const auth = await client.identity.current();
        expect(auth.token.length).toBeGreaterThan(10);
        expect(auth.expiresAt.getTime()).toBeGreaterThan(Date.now());
        expect(auth.identityVersion).toBe(target.profile === 'rackspace' ? 'v2.0' : 'v3');
        expect(await client.identity.profile()).toBe(target.profile);
        for (const type of ['compute', 'network', 'object-store']) {
          expect(await client.identity.endpoint({ type })).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
        }
      });

      it('names what the catalog has when a service is missing', async () => {
        const err = await client.identity.endpoint({ type: 'no-such-service' }).catch((e: unknown) => e as OpenStackError);
        expect(err).toBeInstanceOf(OpenStackError);
        expect(err).toMatchObject({ code: 'CATALOG_NO_ENDPOINT' });
        expect((err as OpenStackError).message).toMatch(/compute/);
      });

      it('refuses wrong credentials with AUTH_FAILED and keeps the secret out of the message', async () => {
        const wrong = `wrong-${randomBytes(8).toString('hex')}`;
        const bad = clientFromEnv({ ...target.env, OS_PASSWORD: wrong }, { logger, retry: { limit: 0 } });
        const err = await bad.identity.token().catch((e: unknown) => e as OpenStackError);
        errorsSeen.push(err);
        expect(err).toMatchObject({ code: 'AUTH_FAILED', status: 401 });
        expect(inspect(err, { depth: 10 })).not.toContain(wrong);
      });

      it('gets a new token, once, after the current one is revoked or expires', async () => {
        const c = make(target.invalidationClientOptions);
        await c.compute.limits();
        const before = c.identity.authentications;
        const oldToken = await c.identity.token();
        await target.invalidateToken(c);
        // Concurrent calls after the revocation share a single re-authentication.
        const results = await Promise.all([target.strictCall(c), target.strictCall(c), target.strictCall(c)]);
        expect(results).toHaveLength(3);
        expect(c.identity.authentications).toBe(before + 1);
        expect(await c.identity.token()).not.toBe(oldToken);
      }, 30_000);
    });

    describe('compute lookups', () => {
      it('finds flavors and images by id and by name; unknown names are RESOURCE_NOT_FOUND', async () => {
        const flavors = await collect(client.compute.flavors.list());
        expect(flavors.length).toBeGreaterThan(0);
        const small = [...flavors].sort((x, y) => x.ram - y.ram)[0];
        if (!small) throw new Error('no flavors');
        expect((await client.compute.flavors.find(small.id)).name).toBe(small.name);
        expect((await client.compute.flavors.find(small.name)).id).toBe(small.id);
        const images = await collect(client.compute.images.list());
        const image = images.find((i) => i.status === 'ACTIVE');
        if (!image) throw new Error('no ACTIVE image');
        expect((await client.compute.images.find(image.id)).name).toBe(image.name);
        if (images.filter((i) => i.name === image.name).length === 1) expect((await client.compute.images.find(image.name)).id).toBe(image.id);
        await expect(client.compute.flavors.find(`${run}-nope`)).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
        await expect(client.compute.images.find(`${run}-nope`)).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
        const limits = await client.compute.limits();
        expect(typeof limits.absolute.maxTotalInstances).toBe('number');
      });

      it('a missing server is HTTP_NOT_FOUND with the API message and a request id', async () => {
        const err = await client.compute.servers.get('00000000-0000-4000-8000-00000000dead').catch((e: unknown) => e as OpenStackError);
        errorsSeen.push(err);
        expect(isStatus(err, 404)).toBe(true);
        expect((err as OpenStackError).apiMessage).toMatch(/could not be found/i);
        expect((err as OpenStackError).requestId).toMatch(/^req-/);
      });

      it('keypairs: import a public key, get, list, delete', async () => {
        const name = `${run}-kp`;
        const pub = sshEd25519PublicKey('contract@rax-kube');
        const kp = await client.compute.keypairs.create(name, pub);
        cleanup.add(`keypair ${name}`, () => client.compute.keypairs.delete(name, { ignoreMissing: true }));
        expect(kp.name).toBe(name);
        expect(kp.fingerprint).toMatch(/\S/);
        expect((await client.compute.keypairs.get(name)).public_key.split(' ').slice(0, 2)).toEqual(pub.split(' ').slice(0, 2));
        expect((await collect(client.compute.keypairs.list())).map((k) => k.name)).toContain(name);
        await expect(client.compute.keypairs.create(name, pub)).rejects.toMatchObject({ code: 'HTTP_CONFLICT' });
      });
    });

    describe('network and servers', () => {
      let networkId = '';
      let subnetId = '';
      let portId = '';
      const fixedIp = '10.213.7.10';

      it('neutron: network, subnet with allocation pools, port with a fixed IP; lookup by name', async () => {
        const net = await client.network.networks.create({ name: `${run}-net`, description: `contract ${run}` });
        cleanup.add(`network ${net.id}`, () => client.network.networks.delete(net.id, { ignoreMissing: true }));
        networkId = net.id;
        const sub = await client.network.subnets.create({
          networkId,
          name: `${run}-sub`,
          cidr: '10.213.7.0/24',
          allocationPools: [{ start: '10.213.7.10', end: '10.213.7.50' }],
          dnsNameservers: ['192.0.2.53'],
        });
        cleanup.add(`subnet ${sub.id}`, () => client.network.subnets.delete(sub.id, { ignoreMissing: true }));
        subnetId = sub.id;
        expect(sub.allocation_pools).toEqual([{ start: '10.213.7.10', end: '10.213.7.50' }]);
        expect(sub.gateway_ip).toBe('10.213.7.1');
        const port = await client.network.ports.create({ networkId, name: `${run}-port`, fixedIps: [{ subnetId, ipAddress: fixedIp }] });
        cleanup.add(`port ${port.id}`, () => client.network.ports.delete(port.id, { ignoreMissing: true }));
        portId = port.id;
        expect(port.fixed_ips).toEqual([{ subnet_id: subnetId, ip_address: fixedIp }]);
        await expect(client.network.ports.create({ networkId, fixedIps: [{ subnetId, ipAddress: fixedIp }] })).rejects.toMatchObject({ code: 'HTTP_CONFLICT' });

        expect((await client.network.networks.find(`${run}-net`)).id).toBe(networkId);
        expect((await collect(client.network.networks.list({ name: `${run}-net` }))).map((n) => n.id)).toEqual([networkId]);
        expect((await collect(client.network.networks.list({ description: `contract ${run}` }))).map((n) => n.id)).toEqual([networkId]);
        expect((await client.network.subnets.find(`${run}-sub`, networkId)).cidr).toBe('10.213.7.0/24');
        expect((await collect(client.network.ports.list({ network_id: networkId }))).map((p) => p.id)).toContain(portId);
        expect((await client.network.ports.get(portId)).name).toBe(`${run}-port`);
        await expect(client.network.networks.find(`${run}-none`)).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
      });

      it('boots a server (user_data, config_drive, metadata, key_name, a port), waits ACTIVE, deletes, waits gone', async () => {
        expect(portId).not.toBe('');
        const keyName = `${run}-srvkp`;
        await client.compute.keypairs.create(keyName, sshEd25519PublicKey('srv@rax-kube'));
        cleanup.add(`keypair ${keyName}`, () => client.compute.keypairs.delete(keyName, { ignoreMissing: true }));
        const flavor = [...(await collect(client.compute.flavors.list()))].sort((a, b) => a.ram - b.ram)[0];
        const image = (await collect(client.compute.images.list())).find((i) => i.status === 'ACTIVE');
        if (!flavor || !image) throw new Error('no flavor or image');
        const networks: ServerNetwork[] =
          target.profile === 'rackspace' ? [{ uuid: RACKSPACE_PUBLICNET_ID }, { uuid: RACKSPACE_SERVICENET_ID }, { port: portId }] : [{ port: portId }];
        const name = `${run}-vm`;
        const created = await client.compute.servers.create({
          name,
          imageRef: image.id,
          flavorRef: flavor.id,
          keyName,
          metadata: { role: 'master', ETCD: run },
          userData,
          configDrive: true,
          networks,
        });
        cleanup.add(`server ${created.id}`, async () => {
          await client.compute.servers.delete(created.id, { ignoreMissing: true });
          await client.compute.servers.waitForDeleted(created.id, { timeoutMs: 60_000 });
        });
        expect(created.metadata).toMatchObject({ role: 'master', ETCD: run });
        expect(created.metadata[IDEMPOTENCY_METADATA_KEY]).toBeTruthy();
        const active = await client.compute.servers.waitForStatus(created.id, 'ACTIVE', { timeoutMs: 90_000, intervalMs: 500 });
        expect(active.key_name).toBe(keyName);
        expect(['True', 'true', true]).toContain(active.config_drive);
        const all = Object.values(active.addresses).flat().map((a) => a.addr);
        expect(all).toContain(fixedIp);
        expect(serverIPv4(active)).toMatch(/^\d+\.\d+\.\d+\.\d+$/); // computed, never connected to
        const withUserData = await client.compute.servers.get(created.id, { microversion: '2.79' });
        expect(withUserData['OS-EXT-SRV-ATTR:user_data']).toBe(Buffer.from(userData).toString('base64'));
        expect((await client.compute.servers.findByName(name)).map((s) => s.id)).toEqual([created.id]);
        expect((await client.network.ports.get(portId)).device_id).toBe(created.id);

        await client.compute.servers.delete(created.id);
        await client.compute.servers.waitForDeleted(created.id, { timeoutMs: 90_000, intervalMs: 500 });
        await expect(client.compute.servers.get(created.id)).rejects.toMatchObject({ code: 'HTTP_NOT_FOUND' });
      }, 180_000);
    });

    describe('object storage', () => {
      const container = `${run}-c`;
      const body = randomBytes(150_000);
      let previousKey2: string | undefined;

      beforeAll(async () => {
        expect(await client.objectStorage.containers.ensure(container)).toBe(true);
        cleanup.add(`container ${container}`, () => client.objectStorage.deleteContainerRecursive(container));
        expect(await client.objectStorage.containers.ensure(container)).toBe(false);
      });

      it('uploads with ETag, HEADs, streams back, lists by prefix, skips unchanged, deletes', async () => {
        const file = join(dir, 'blob.bin');
        writeFileSync(file, body);
        const up = await client.objectStorage.objects.upload(container, 'devel/blob.bin', file, { metadata: { purpose: 'contract' } });
        expect(up).toEqual({ etag: md5(body), uploaded: true, bytes: body.length });
        await client.objectStorage.objects.upload(container, 'devel/small.txt', Buffer.from('hello'), { contentType: 'text/plain' });
        await client.objectStorage.objects.upload(container, 'other/x.txt', Buffer.from('x'));
        const head = await client.objectStorage.objects.head(container, 'devel/blob.bin');
        expect(head).toMatchObject({ etag: md5(body), contentLength: body.length, metadata: { purpose: 'contract' } });
        const { stream } = await client.objectStorage.objects.download(container, 'devel/blob.bin');
        const chunks: Buffer[] = [];
        for await (const c of stream) chunks.push(c as Buffer);
        expect(md5(Buffer.concat(chunks))).toBe(md5(body));
        const listed = await collect(client.objectStorage.objects.list(container, { prefix: 'devel/', limit: 1 }));
        expect(listed.map((o) => ('name' in o ? o.name : o.subdir))).toEqual(['devel/blob.bin', 'devel/small.txt']);
        const dirs = await collect(client.objectStorage.objects.list(container, { delimiter: '/' }));
        expect(dirs).toEqual([{ subdir: 'devel/' }, { subdir: 'other/' }]);
        expect((await client.objectStorage.objects.upload(container, 'devel/blob.bin', file, { skipIfUnchanged: true })).uploaded).toBe(false);
        await client.objectStorage.objects.delete(container, 'other/x.txt');
        expect(await client.objectStorage.objects.find(container, 'other/x.txt')).toBeUndefined();
        await expect(client.objectStorage.objects.delete(container, 'other/x.txt')).rejects.toMatchObject({ code: 'HTTP_NOT_FOUND' });
        expect((await collect(client.objectStorage.containers.list({ prefix: run }))).map((c) => c.name)).toContain(container);
      });

      it('sets and reads account metadata and temp URL key 2', async () => {
        const before = await client.objectStorage.account.get();
        previousKey2 = before.tempUrlKey2;
        cleanup.add('account temp-url-key-2', () => client.objectStorage.account.setMetadata({ 'temp-url-key-2': previousKey2 ?? null }));
        await client.objectStorage.account.setTempUrlKey(key2, 2);
        await client.objectStorage.account.setMetadata({ [`${run}-note`]: 'contract' });
        cleanup.add('account note', () => client.objectStorage.account.setMetadata({ [`${run}-note`]: null }));
        const after = await client.objectStorage.account.get();
        expect(after.tempUrlKey2).toBe(key2);
        expect(after.metadata[`${run}-note`]).toBe('contract');
      });

      it.each(['sha1', 'sha256', 'sha512'] as const)('a %s temp URL returns the same bytes; expired, tampered or other-method use is 401', async (digest) => {
        const url = await client.objectStorage.tempUrl({ container, object: 'devel/blob.bin', method: 'GET', ttlSeconds: 300, digest, key: key2 });
        const ok = await fetch(url);
        expect(ok.status).toBe(200);
        expect(md5(Buffer.from(await ok.arrayBuffer()))).toBe(md5(body));
        const expired = await client.objectStorage.tempUrl({ container, object: 'devel/blob.bin', expiresAt: Math.floor(Date.now() / 1000) - 30, digest, key: key2 });
        expect((await fetch(expired)).status).toBe(401);
        const u = new URL(url);
        const sig = u.searchParams.get('temp_url_sig') as string;
        // Change one character (valid in hex and in base64 alike) well inside the signature.
        const tampered = `${sig.slice(0, 12)}${sig[12] === '0' ? '1' : '0'}${sig.slice(13)}`;
        expect(tampered).not.toBe(sig);
        u.searchParams.set('temp_url_sig', tampered);
        expect((await fetch(u)).status).toBe(401);
        const other = new URL(url);
        other.searchParams.set('temp_url_expires', String(Number(other.searchParams.get('temp_url_expires')) + 1));
        expect((await fetch(other)).status).toBe(401);
        expect((await fetch(url, { method: 'DELETE' })).status).toBe(401);
        expect((await fetch(url, { method: 'PUT', body: 'overwrite' })).status).toBe(401);
        expect((await client.objectStorage.objects.head(container, 'devel/blob.bin')).etag).toBe(md5(body));
      });

      it('a PUT temp URL uploads; a prefix temp URL reads every object under the prefix', async () => {
        const put = await client.objectStorage.tempUrl({ container, object: 'devel/via-tempurl.txt', method: 'PUT', ttlSeconds: 120, key: key2 });
        expect((await fetch(put, { method: 'PUT', body: 'uploaded through a temp URL' })).status).toBe(201);
        expect((await client.objectStorage.objects.getBuffer(container, 'devel/via-tempurl.txt')).toString()).toBe('uploaded through a temp URL');
        const p = await client.objectStorage.prefixTempUrl({ container, prefix: 'devel/', method: 'GET', ttlSeconds: 120, key: key2 });
        const small = await fetch(p.urlFor('devel/small.txt'));
        expect(small.status).toBe(200);
        expect(await small.text()).toBe('hello');
        expect((await fetch(p.urlFor('devel/via-tempurl.txt'))).status).toBe(200);
        const outside = new URL(p.urlFor('devel/small.txt'));
        outside.pathname = outside.pathname.replace('/devel/small.txt', '/other/x.txt');
        expect((await fetch(outside)).status).toBe(401);
      });

      it('uploads a static large object in parallel segments and reads it back whole', async () => {
        const file = join(dir, 'large.bin');
        const data = randomBytes(5 * 64 * 1024 + 123);
        writeFileSync(file, data);
        const r = await client.objectStorage.uploadLargeObject(container, 'devel/large.bin', file, { segmentSize: 64 * 1024, concurrency: 3 });
        expect(r.segments).toHaveLength(6);
        const head = await client.objectStorage.objects.head(container, 'devel/large.bin');
        expect(head.staticLargeObject).toBe(true);
        expect(head.contentLength).toBe(data.length);
        expect(md5(await client.objectStorage.objects.getBuffer(container, 'devel/large.bin'))).toBe(md5(data));
        await client.objectStorage.objects.delete(container, 'devel/large.bin', { withSegments: true });
        const left = await collect(client.objectStorage.objects.list(container, { prefix: 'devel/large.bin' }));
        expect(left).toEqual([]);
      });

      it('reads /info from the proxy root', async () => {
        const info = await client.objectStorage.info();
        expect(info.swift?.max_file_size).toBeGreaterThan(0);
        expect(info.tempurl?.methods).toContain('GET');
        expect(info.slo?.max_manifest_segments).toBeGreaterThan(0);
      });
    });

    if (target.startFaulty) {
      const startFaulty = target.startFaulty;
      describe('under injected faults', () => {
        it(`succeeds where a retry is safe and never creates a duplicate server (${target.rateLimitStatus} rate limits)`, async () => {
          const kinds =
            target.rateLimitStatus === 413 ? ['5xx', 'reset', 'timeout', '413', '413-no-retry-after'] : ['5xx', 'reset', 'timeout', '429', '429-no-retry-after'];
          const faulty = await startFaulty({ rate: 0.25, kinds }, { timeoutHoldMs: 1500 });
          try {
            const c = clientFromEnv(faulty.env, {
              logger,
              timeout: { response: 1000 },
              retry: { limit: 8, baseDelayMs: 20, rateLimitBaseDelayMs: 50, maxDelayMs: 500 },
              createServer: { lookupDelaysMs: [100, 300], maxAttempts: 6 },
            });
            const flavor = [...(await collect(c.compute.flavors.list()))].sort((a, b) => a.ram - b.ram)[0];
            const image = (await collect(c.compute.images.list()))[0];
            if (!flavor || !image) throw new Error('no flavor or image');
            const names = [0, 1, 2, 3].map((i) => `${run}-f${i}`);
            for (const name of names) {
              const created = await c.compute.servers.create({ name, imageRef: image.id, flavorRef: flavor.id, userData });
              expect(created.name).toBe(name);
            }
            await c.objectStorage.containers.ensure(`${run}-fc`);
            for (let i = 0; i < 5; i++) await c.objectStorage.objects.upload(`${run}-fc`, `o${i}`, Buffer.from(`object ${i}`));
            expect((await collect(c.objectStorage.objects.list(`${run}-fc`))).length).toBe(5);
            const all = await collect(c.compute.servers.list());
            for (const name of names) expect(all.filter((s) => s.name === name), `servers named ${name}`).toHaveLength(1);
            // The cloud's own view agrees: exactly one server per name, although faults were injected.
            const inSim = faulty.serverNames();
            for (const name of names) expect(inSim.filter((n) => n === name)).toHaveLength(1);
            expect(faulty.faultsInjected()).toBeGreaterThan(0);
            const limited = lines.filter((l) => /retrying/.test(l));
            expect(limited.length).toBeGreaterThan(0);
          } finally {
            await faulty.close();
          }
        }, 120_000);

        it('a POST that hits a 5xx is not re-sent blindly: the outcome is looked up first', async () => {
          const faulty = await startFaulty({ rate: 1, kinds: ['5xx'] });
          try {
            const c2 = clientFromEnv(faulty.env, { logger, retry: { limit: 1, baseDelayMs: 1 }, createServer: { lookupDelaysMs: [1], maxAttempts: 2 } });
            const err = await c2.compute.servers.create({ name: `${run}-never`, imageRef: 'x', flavorRef: 'y' }).catch((e: unknown) => e as OpenStackError);
            errorsSeen.push(err);
            expect(err).toBeInstanceOf(OpenStackError);
            expect((err as OpenStackError).code).toBe('HTTP_SERVER_ERROR');
            // One POST; then look-ups (which also fail here), and no second POST without a clean look-up.
            expect(faulty.countRequests('POST', /\/servers$/)).toBe(1);
            expect(faulty.countRequests('GET', /\/servers\/detail$/)).toBeGreaterThanOrEqual(1);
          } finally {
            await faulty.close();
          }
        }, 60_000);
      });
    }

    describe('secrets', () => {
      it('no token, password, API key, temp-URL key or signature, or user_data appears in any log line or error', async () => {
        const token = await client.identity.token();
        const secrets = [target.env.OS_PASSWORD ?? '', token, userData, Buffer.from(userData).toString('base64'), key2].filter((s) => s.length >= 6);
        const output = [...lines, ...errorsSeen.map((e) => inspect(e, { depth: 20 }))].join('\n');
        expect(lines.length).toBeGreaterThan(20);
        for (const s of secrets) expect(output.includes(s), `a secret (${s.slice(0, 3)}…) leaked`).toBe(false);
        expect(output).not.toMatch(/temp_url_sig=(?!\[REDACTED\])[0-9a-f]{20}/);
      });
    });
  });
}
