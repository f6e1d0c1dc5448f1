import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startSim, tempUrlSignature, type Sim } from '../index.js';
import { call, client } from '../testing/harness.js';
import { checkTempUrl, parseExpires, parseSignature } from './tempurl.js';

let sim: Sim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('tempUrlSignature', () => {
  it('matches signatures computed independently with Python\'s hmac', () => {
    // python3: hmac.new(b'aio-temp-url-key', b'GET\n1700000000\n/v1/AUTH_x/c/o', hashlib.sha1/sha256)
    expect(tempUrlSignature('GET', 1700000000, '/v1/AUTH_x/c/o', 'aio-temp-url-key', 'sha1')).toBe('1d566c4e90b1082183885a101cfc219a25d0c8d5');
    expect(tempUrlSignature('GET', 1700000000, '/v1/AUTH_x/c/o', 'aio-temp-url-key', 'sha256')).toBe('d90a649d3574914dd3ed97d7493b955d103eafca3cbaf85d3c1979ca654abec4');
    expect(tempUrlSignature('GET', 1700000000, 'prefix:/v1/AUTH_x/c/dir/', 'aio-temp-url-key', 'sha256')).toBe('09a5f5c7992deb29f55188183c12da9c3ddb0840467b3574ba6f6c9227d140df');
  });
});

describe('checkTempUrl', () => {
  const base = { method: 'GET', path: '/v1/AUTH_x/c/o', keys: [{ key: 'aio-temp-url-key', scope: 'account' as const }], nowMs: 1_600_000_000_000, clientIp: '127.0.0.1' };
  const q = (o: Record<string, string>): URLSearchParams => new URLSearchParams(o);

  it('accepts the sha512 base64 form (url-safe, as python computed it)', () => {
    const sig = 'sha512:fy4ciKgIuc2KLU6R5hhGvHn8p4f06gFKGI475IPBDwhY5xgDgIk5WyXB_Y6sl2n9gxYiJpjscHBolm4rL9mClQ==';
    expect(checkTempUrl({ ...base, query: q({ temp_url_sig: sig, temp_url_expires: '1700000000' }) }).kind).toBe('valid');
    const std = `sha512:${Buffer.from(createHmac('sha512', 'aio-temp-url-key').update('GET\n1700000000\n/v1/AUTH_x/c/o').digest()).toString('base64')}`;
    expect(checkTempUrl({ ...base, query: q({ temp_url_sig: std, temp_url_expires: '1700000000' }) }).kind).toBe('valid');
  });

  it('is absent without both parameters, invalid with only one', () => {
    expect(checkTempUrl({ ...base, query: q({}) }).kind).toBe('absent');
    expect(checkTempUrl({ ...base, query: q({ temp_url_expires: '1700000000' }) }).kind).toBe('invalid');
    expect(checkTempUrl({ ...base, query: q({ temp_url_sig: 'ab' }) }).kind).toBe('invalid');
  });

  it('parses signatures and expiry as Swift does', () => {
    expect(parseSignature('a'.repeat(40))?.digest).toBe('sha1');
    expect(parseSignature('a'.repeat(32))).toBeUndefined(); // md5 length: no digest
    expect(parseExpires('1700000000')).toBe(1700000000);
    expect(parseExpires('2023-11-14T22:13:20Z')).toBe(1700000000);
    expect(parseExpires('2023-11-14T22:13:20+00:00')).toBeUndefined();
  });
});

describe('temp URLs over HTTP (behaviour compared with Swift 2.30 on :8080)', () => {
  async function setup(): Promise<{ s: Sim; path: string; url: (p: string, q: Record<string, string>) => string; req: (m: string, p: string, b?: string, h?: Record<string, string>) => ReturnType<typeof call> }> {
    const s = await startSim();
    const { token, projectId } = await client(s);
    const path = `/v1/AUTH_${projectId}`;
    const req = (m: string, p: string, b?: string, h: Record<string, string> = {}): ReturnType<typeof call> =>
      call(`${s.url}${path}${p}`, { method: m, headers: { 'x-auth-token': token, ...h }, ...(b !== undefined ? { body: b } : {}) });
    await req('POST', '', undefined, { 'X-Account-Meta-Temp-Url-Key': 'key-one', 'X-Account-Meta-Temp-Url-Key-2': 'key-two' });
    await req('PUT', '/c');
    await req('PUT', '/c/dir/a.txt', 'hello world', { 'X-Object-Meta-Color': 'blue', 'X-Object-Meta-Public-Tag': 'ok', 'Content-Type': 'text/plain' });
    const url = (p: string, query: Record<string, string>): string => `${s.url}${p}?${new URLSearchParams(query).toString()}`;
    return { s, path, url, req };
  }
  const future = (): number => Math.floor(Date.now() / 1000) + 300;

  it('serves GET with sha1, sha256, sha512 hex signatures and strips private metadata', async () => {
    const { s, path, url } = await setup();
    sim = s;
    const obj = `${path}/c/dir/a.txt`;
    const exp = future();
    for (const digest of ['sha1', 'sha256', 'sha512'] as const) {
      const r = await call(url(obj, { temp_url_sig: tempUrlSignature('GET', exp, obj, 'key-one', digest), temp_url_expires: String(exp) }));
      expect(r.status, digest).toBe(200);
      expect(r.text).toBe('hello world');
      // Swift's tempurl removes x-object-meta-* but keeps x-object-meta-public-*, and adds these two.
      expect(r.headers.get('x-object-meta-color')).toBeNull();
      expect(r.headers.get('x-object-meta-public-tag')).toBe('ok');
      expect(r.headers.get('content-disposition')).toBe(`attachment; filename="a.txt"; filename*=UTF-8''a.txt`);
      expect(r.headers.get('expires')).toBe(new Date(exp * 1000).toUTCString());
    }
    const inline = await call(url(obj, { temp_url_sig: tempUrlSignature('GET', exp, obj, 'key-one'), temp_url_expires: String(exp), inline: '' }));
    expect(inline.headers.get('content-disposition')).toBe('inline');
    const named = await call(url(obj, { temp_url_sig: tempUrlSignature('GET', exp, obj, 'key-one'), temp_url_expires: String(exp), filename: 'x.txt' }));
    expect(named.headers.get('content-disposition')).toBe(`attachment; filename="x.txt"; filename*=UTF-8''x.txt`);
  });

  it('refuses expired, tampered, wrong-method, uppercase-hex and wrong-key URLs with Swift\'s 401', async () => {
    const { s, path, url } = await setup();
    sim = s;
    const obj = `${path}/c/dir/a.txt`;
    const exp = future();
    const past = Math.floor(Date.now() / 1000) - 10;
    const good = tempUrlSignature('GET', exp, obj, 'key-one');
    const cases: Array<[string, string, string]> = [
      ['expired', url(obj, { temp_url_sig: tempUrlSignature('GET', past, obj, 'key-one'), temp_url_expires: String(past) }), 'GET'],
      ['tampered', url(obj, { temp_url_sig: `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`, temp_url_expires: String(exp) }), 'GET'],
      ['other expiry', url(obj, { temp_url_sig: good, temp_url_expires: String(exp + 1) }), 'GET'],
      ['other object', url(`${path}/c/dir/b.txt`, { temp_url_sig: good, temp_url_expires: String(exp) }), 'GET'],
      ['PUT signature used for GET', url(obj, { temp_url_sig: tempUrlSignature('PUT', exp, obj, 'key-one'), temp_url_expires: String(exp) }), 'GET'],
      ['GET signature used for DELETE', url(obj, { temp_url_sig: good, temp_url_expires: String(exp) }), 'DELETE'],
      ['uppercase hex', url(obj, { temp_url_sig: good.toUpperCase(), temp_url_expires: String(exp) }), 'GET'],
      ['unknown key', url(obj, { temp_url_sig: tempUrlSignature('GET', exp, obj, 'nope'), temp_url_expires: String(exp) }), 'GET'],
      ['bad expires', url(obj, { temp_url_sig: good, temp_url_expires: 'abc' }), 'GET'],
      ['container path', url(`${path}/c`, { temp_url_sig: tempUrlSignature('GET', exp, `${path}/c`, 'key-one'), temp_url_expires: String(exp) }), 'GET'],
    ];
    for (const [label, u, method] of cases) {
      const r = await call(u, { method });
      expect(r.status, label).toBe(401);
      expect(r.text, label).toBe('401 Unauthorized: Temp URL invalid\n');
      expect(r.headers.get('www-authenticate'), label).toBe('Swift realm="unknown"');
    }
    const head = await call(url(obj, { temp_url_sig: '0'.repeat(64), temp_url_expires: String(exp) }), { method: 'HEAD' });
    expect(head.status).toBe(401);
    expect(head.headers.get('content-length')).toBe('0');
  });

  it('lets a GET (or PUT) signature authorise HEAD, and accepts key 2 and container keys', async () => {
    const { s, path, url, req } = await setup();
    sim = s;
    const obj = `${path}/c/dir/a.txt`;
    const exp = future();
    const head = await call(url(obj, { temp_url_sig: tempUrlSignature('GET', exp, obj, 'key-one'), temp_url_expires: String(exp) }), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('11');
    const headByPut = await call(url(obj, { temp_url_sig: tempUrlSignature('PUT', exp, obj, 'key-one'), temp_url_expires: String(exp) }), { method: 'HEAD' });
    expect(headByPut.status).toBe(200);
    const key2 = await call(url(obj, { temp_url_sig: tempUrlSignature('GET', exp, obj, 'key-two'), temp_url_expires: String(exp) }));
    expect(key2.status).toBe(200);
    await req('POST', '/c', undefined, { 'X-Container-Meta-Temp-Url-Key': 'ckey' });
    const ckey = await call(url(obj, { temp_url_sig: tempUrlSignature('GET', exp, obj, 'ckey'), temp_url_expires: String(exp) }));
    expect(ckey.status).toBe(200);
  });

  it('supports prefix URLs, ISO 8601 expiry (signed over the unix time) and PUT', async () => {
    const { s, path, url, req } = await setup();
    sim = s;
    const obj = `${path}/c/dir/a.txt`;
    const exp = future();
    const psig = tempUrlSignature('GET', exp, `prefix:${path}/c/dir/`, 'key-one');
    expect((await call(url(obj, { temp_url_sig: psig, temp_url_expires: String(exp), temp_url_prefix: 'dir/' }))).status).toBe(200);
    await req('PUT', '/c/b.txt', 'x');
    expect((await call(url(`${path}/c/b.txt`, { temp_url_sig: psig, temp_url_expires: String(exp), temp_url_prefix: 'dir/' }))).status).toBe(401);
    const iso = new Date(exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    // Observed on Swift 2.30: an ISO 8601 expiry works when the HMAC covers the unix time, not the ISO text.
    expect((await call(url(obj, { temp_url_sig: tempUrlSignature('GET', exp, obj, 'key-one'), temp_url_expires: iso }))).status).toBe(200);
    const isoSig = createHmac('sha256', 'key-one').update(`GET\n${iso}\n${obj}`).digest('hex');
    expect((await call(url(obj, { temp_url_sig: isoSig, temp_url_expires: iso }))).status).toBe(401);
    const putPath = `${path}/c/put.txt`;
    const put = await call(url(putPath, { temp_url_sig: tempUrlSignature('PUT', exp, putPath, 'key-one'), temp_url_expires: String(exp) }), { method: 'PUT', body: 'abc' });
    expect(put.status).toBe(201);
    expect(put.headers.get('etag')).toBe('900150983cd24fb0d6963f7d28e17f72'); // observed for "abc"
    expect((await req('GET', '/c/put.txt')).text).toBe('abc');
  });

  it('serves the assembled SLO through a temp URL even with multipart-manifest=get', async () => {
    const { s, path, url, req } = await setup();
    sim = s;
    await req('PUT', '/c/s1', 'AAAA');
    await req('PUT', '/c/s2', 'BBB');
    await req('PUT', '/c/big?multipart-manifest=put', JSON.stringify([{ path: '/c/s1' }, { path: '/c/s2' }]));
    const obj = `${path}/c/big`;
    const exp = future();
    const r = await call(url(obj, { temp_url_sig: tempUrlSignature('GET', exp, obj, 'key-one'), temp_url_expires: String(exp), 'multipart-manifest': 'get' }));
    expect(r.text).toBe('AAAABBB');
  });
});
