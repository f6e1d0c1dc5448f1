import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../client.js';
import type { OpenStackClient } from '../client.js';
import type { OpenStackError } from '../errors.js';
import { FAKE_PASSWORD, authorised, startFakeCloud } from '../testing/fake-cloud.js';
import type { FakeCloud } from '../testing/fake-cloud.js';
import { recordingSleep, sendJson, sendText } from '../testing/http-server.js';
import { TEMP_URL_VECTORS as V } from './fixtures.js';
import { planSegments } from './slo/requests.js';
import { makePrefixTempUrl, makeTempUrl, tempUrlSignature } from './tempurl/tempurl.js';
import { accountPathOf, encodeObjectName, infoUrl } from './urls.js';

describe('temp URL signatures', () => {
  it.each(['sha1', 'sha256', 'sha512'] as const)('%s matches an independent HMAC', (digest) => {
    expect(tempUrlSignature({ key: V.key, method: 'GET', expires: V.expires, path: V.path, digest })).toBe(V[digest]);
  });
  it('signs the decoded path and encodes the URL', () => {
    const url = makeTempUrl({ storageUrl: 'https://swift.example/v1/AUTH_abc', container: 'c', object: 'dir/o bj.txt', method: 'GET', key: V.key, expiresAt: V.expires, digest: 'sha512' });
    const u = new URL(url);
    expect(u.pathname).toBe('/v1/AUTH_abc/c/dir/o%20bj.txt');
    expect(u.searchParams.get('temp_url_sig')).toBe(V.sha512);
    expect(u.searchParams.get('temp_url_expires')).toBe(String(V.expires));
  });
  it('computes expiry from ttl and an injected clock', () => {
    const url = makeTempUrl({ storageUrl: 'http://s/v1/AUTH_abc', container: 'c', object: 'o', method: 'GET', key: 'k', ttlSeconds: 60, now: () => 1_000_000_500 });
    expect(new URL(url).searchParams.get('temp_url_expires')).toBe('1000060');
    expect(() => makeTempUrl({ storageUrl: 'http://s/v1/A', container: 'c', object: 'o', method: 'GET', key: 'k' })).toThrow(/expiresAt or a positive ttlSeconds/);
  });
  it('prefix temp URLs sign "prefix:<path>" and carry temp_url_prefix', () => {
    const p = makePrefixTempUrl({ storageUrl: 'http://s/v1/AUTH_abc', container: 'c', prefix: 'dev/', method: 'PUT', key: V.key, expiresAt: V.expires });
    const u = new URL(p.urlFor('dev/a/b.tar.gz'));
    expect(u.pathname).toBe('/v1/AUTH_abc/c/dev/a/b.tar.gz');
    expect(u.searchParams.get('temp_url_sig')).toBe(V.prefixSha256);
    expect(u.searchParams.get('temp_url_prefix')).toBe('dev/');
    expect(() => p.urlFor('prod/x')).toThrow(/not under the temp URL prefix/);
  });
});

describe('storage URLs', () => {
  it('/info is at the proxy root', () => {
    expect(infoUrl('http://127.0.0.1:8080/v1/AUTH_abc')).toBe('http://127.0.0.1:8080/info');
    expect(infoUrl('https://proxy.example/swift/v1/MossoCloudFS_x/')).toBe('https://proxy.example/swift/info');
  });
  it('object names keep their slashes', () => {
    expect(encodeObjectName('devel/kubernetes server#1.tar.gz')).toBe('devel/kubernetes%20server%231.tar.gz');
    expect(accountPathOf('http://x/v1/AUTH_a%20b/')).toBe('/v1/AUTH_a b');
  });
  it('plans segments with inclusive ends', () => {
    expect(planSegments(10, 4)).toEqual([
      { index: 0, start: 0, end: 3, bytes: 4 },
      { index: 1, start: 4, end: 7, bytes: 4 },
      { index: 2, start: 8, end: 9, bytes: 2 },
    ]);
    expect(planSegments(8, 4)).toHaveLength(2);
  });
});

describe('object storage against a fake Swift', () => {
  let cloud: FakeCloud;
  let client: OpenStackClient;
  let dir: string;
  let sleeps: number[];
  const store = new Map<string, Buffer>();
  const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

  beforeEach(async () => {
    cloud = await startFakeCloud();
    dir = mkdtempSync(join(tmpdir(), 'os-'));
    store.clear();
    const rs = recordingSleep();
    sleeps = rs.calls;
    client = createClient({ credentials: { kind: 'v3-password', authUrl: `${cloud.url}/v3`, username: 'demo', password: FAKE_PASSWORD, projectName: 'demo' }, sleep: rs.sleep });
    cloud.on('PUT', /^\/v1\/AUTH_p1\/([^/]+)\/(.+)$/, (q, res, m) => {
      if (!authorised(cloud, q, res)) return;
      const etag = md5(q.body);
      if (q.headers.etag && q.headers.etag !== etag) return sendText(res, 422, 'Unprocessable Entity');
      store.set(`${m[1]}/${decodeURIComponent(m[2] as string)}`, q.body);
      res.writeHead(201, { etag }).end();
    });
    cloud.on('HEAD', /^\/v1\/AUTH_p1\/([^/]+)\/(.+)$/, (_q, res, m) => {
      const b = store.get(`${m[1]}/${decodeURIComponent(m[2] as string)}`);
      if (!b) return void res.writeHead(404).end();
      res.writeHead(200, { etag: md5(b), 'content-length': b.length, 'x-object-meta-color': 'blue' }).end();
    });
    cloud.on('GET', /^\/v1\/AUTH_p1\/([^/]+)\/(.+)$/, (q, res, m) => {
      if (!authorised(cloud, q, res)) return;
      const b = store.get(`${m[1]}/${decodeURIComponent(m[2] as string)}`);
      if (!b) return sendText(res, 404, '<html><h1>Not Found</h1><p>The resource could not be found.</p></html>', { 'x-trans-id': 'tx123' });
      res.writeHead(200, { etag: md5(b), 'content-length': b.length }).end(b);
    });
  });
  afterEach(async () => {
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads a file with its ETag, replays it after a 503, and skips an unchanged upload', async () => {
    const file = join(dir, 'f.bin');
    writeFileSync(file, Buffer.alloc(100_000, 7));
    let failures = 1;
    cloud.on('PUT', /^\/v1\/AUTH_p1\/c\/flaky$/, (q, res) => {
      if (failures-- > 0) return sendText(res, 503, 'Service Unavailable');
      store.set('c/flaky', q.body);
      res.writeHead(201, { etag: md5(q.body) }).end();
    });
    const r = await client.objectStorage.objects.upload('c', 'flaky', file);
    expect(r).toEqual({ etag: md5(Buffer.alloc(100_000, 7)), uploaded: true, bytes: 100_000 });
    expect(store.get('c/flaky')?.length).toBe(100_000);
    expect(sleeps).toHaveLength(1);
    const puts = cloud.apiRequests().filter((q) => q.method === 'PUT');
    expect(puts.every((q) => q.headers.etag === r.etag)).toBe(true);

    await client.objectStorage.objects.upload('c', 'same', file);
    const again = await client.objectStorage.objects.upload('c', 'same', file, { skipIfUnchanged: true });
    expect(again.uploaded).toBe(false);
  });

  it('streams a Readable once and checks the returned ETag', async () => {
    const r = await client.objectStorage.objects.upload('c', 'stream', Readable.from([Buffer.from('abc'), Buffer.from('def')]));
    expect(r.etag).toBe(md5(Buffer.from('abcdef')));
    cloud.on('PUT', /^\/v1\/AUTH_p1\/c\/liar$/, (_q, res) => void res.writeHead(201, { etag: '00000000000000000000000000000000' }).end());
    await expect(client.objectStorage.objects.upload('c', 'liar', Readable.from([Buffer.from('x')]))).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
  });

  it('downloads as a stream, re-authenticating once on 401 and retrying a 503', async () => {
    store.set('c/o', Buffer.from('payload'));
    await client.identity.token();
    cloud.issued.push('rotated'); // the cached token is no longer accepted
    let flaky = 1;
    const original = cloud.server.handler;
    cloud.server.handler = (q, res) => (q.method === 'GET' && q.path.endsWith('/c/o') && q.headers['x-auth-token'] !== 'rotated' && cloud.issued.length > 2 && flaky-- > 0 ? sendText(res, 503, 'busy') : original(q, res));
    const buf = await client.objectStorage.objects.getBuffer('c', 'o');
    expect(buf.toString()).toBe('payload');
    expect(client.identity.authentications).toBe(2);
  });

  it('a missing object is HTTP_NOT_FOUND with Swift text message and trans id', async () => {
    const err = await client.objectStorage.objects.getBuffer('c', 'nope').catch((e: unknown) => e as OpenStackError);
    expect(err).toMatchObject({ code: 'HTTP_NOT_FOUND', status: 404, requestId: 'tx123', apiMessage: 'Not Found: The resource could not be found.' });
    expect(await client.objectStorage.objects.find('c', 'nope')).toBeUndefined();
  });

  it('lists with markers until a short page', async () => {
    const names = Array.from({ length: 5 }, (_, i) => `devel/o${i}`);
    cloud.on('GET', /^\/v1\/AUTH_p1\/c$/, (q, res) => {
      const marker = q.query.get('marker') ?? '';
      const limit = Number(q.query.get('limit'));
      const page = names.filter((n) => n > marker && n.startsWith(q.query.get('prefix') ?? '')).slice(0, limit);
      sendJson(res, 200, page.map((name) => ({ name, hash: 'h', bytes: 1, content_type: 'x', last_modified: 't' })));
    });
    const got: string[] = [];
    for await (const o of client.objectStorage.objects.list('c', { prefix: 'devel/', limit: 2 })) if ('name' in o) got.push(o.name);
    expect(got).toEqual(names);
    expect(cloud.apiRequests().filter((q) => q.path === '/v1/AUTH_p1/c').map((q) => q.query.get('marker'))).toEqual([null, 'devel/o1', 'devel/o3']);
  });

  it('uploads a static large object: bounded parallel segments, then the manifest', async () => {
    const file = join(dir, 'big.bin');
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    writeFileSync(file, data);
    let inFlight = 0;
    let maxInFlight = 0;
    let manifest: unknown;
    cloud.on('PUT', /^\/v1\/AUTH_p1\/c\/(.+)$/, async (q, res, m) => {
      if (q.query.get('multipart-manifest') === 'put') {
        manifest = q.json();
        return void res.writeHead(201, { etag: '"slo-etag"' }).end();
      }
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
      store.set(`c/${decodeURIComponent(m[1] as string)}`, q.body);
      res.writeHead(201, { etag: md5(q.body) }).end();
    });
    const r = await client.objectStorage.uploadLargeObject('c', 'big.bin', file, { segmentSize: 100, concurrency: 3, segmentPrefix: 'big.bin.seg/' });
    expect(r.segments).toHaveLength(10);
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(r.etag).toBe('slo-etag');
    expect(manifest).toEqual(r.segments);
    expect(r.segments[3]).toEqual({ path: '/c/big.bin.seg/000003', etag: md5(data.subarray(300, 400)), size_bytes: 100 });
    expect(Buffer.concat(r.segments.map((s) => store.get(s.path.slice(1)) as Buffer))).toEqual(data);
  });

  it('reads and writes account metadata and the temp URL keys', async () => {
    cloud.on('POST', /^\/v1\/AUTH_p1$/, (_q, res) => void res.writeHead(204).end());
    cloud.on('HEAD', /^\/v1\/AUTH_p1$/, (_q, res) =>
      void res.writeHead(204, { 'x-account-container-count': '2', 'x-account-object-count': '5', 'x-account-bytes-used': '99', 'x-account-meta-temp-url-key': 'k1-secret', 'x-account-meta-temp-url-key-2': 'k2-secret' }).end(),
    );
    await client.objectStorage.account.setTempUrlKey('k2-secret', 2);
    await client.objectStorage.account.setMetadata({ owner: 'me', old: null });
    const posts = cloud.apiRequests().filter((q) => q.method === 'POST');
    expect(posts[0]?.headers['x-account-meta-temp-url-key-2']).toBe('k2-secret');
    expect(posts[1]?.headers['x-account-meta-owner']).toBe('me');
    expect(posts[1]?.headers['x-remove-account-meta-old']).toBeDefined();
    const a = await client.objectStorage.account.get();
    expect(a).toMatchObject({ containerCount: 2, objectCount: 5, bytesUsed: 99, tempUrlKey: 'k1-secret', tempUrlKey2: 'k2-secret' });
    const url = await client.objectStorage.tempUrl({ container: 'c', object: 'o', ttlSeconds: 60 });
    expect(url).toContain(`${cloud.url}/v1/AUTH_p1/c/o?temp_url_sig=`);
    expect(client.redact(`see ${url} and k1-secret`)).not.toMatch(/k1-secret|temp_url_sig=[0-9a-f]{8}/);
  });
});
