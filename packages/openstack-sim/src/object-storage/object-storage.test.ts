import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startSim, type Sim } from '../index.js';
import { call, client } from '../testing/harness.js';

let sim: Sim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

async function swiftClient(s: Sim): Promise<{ account: string; req: (method: string, path: string, body?: string, headers?: Record<string, string>) => ReturnType<typeof call> }> {
  const { token, projectId } = await client(s);
  const account = `${s.url}/v1/AUTH_${projectId}`;
  return {
    account,
    req: (method, path, body, headers = {}) =>
      call(`${account}${path}`, { method, headers: { 'x-auth-token': token, ...headers }, ...(body !== undefined ? { body } : {}) }),
  };
}

describe('swift /info', () => {
  it('is at the root and advertises limits, SLO and tempurl like Swift 2.30', async () => {
    sim = await startSim();
    const r = await call(`${sim.url}/info`);
    expect(r.status).toBe(200);
    expect(r.json.swift.max_file_size).toBe(5368709122);
    expect(r.json.slo).toMatchObject({ max_manifest_segments: 1000, min_segment_size: 1 });
    expect(r.json.tempurl.methods).toEqual(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);
    expect(r.json.tempurl.allowed_digests).toEqual(['sha1', 'sha256', 'sha512']);
  });
});

describe('swift containers and objects', () => {
  it('PUTs a container (201, then 202 with Swift\'s page), HEADs and lists it', async () => {
    sim = await startSim();
    const { req } = await swiftClient(sim);
    const first = await req('PUT', '/c');
    expect(first.status).toBe(201);
    expect(first.headers.get('x-trans-id')).toMatch(/^tx[0-9a-f]{21}-[0-9a-f]{10}$/);
    const again = await req('PUT', '/c');
    expect(again.status).toBe(202);
    expect(again.text).toBe('<html><h1>Accepted</h1><p>The request is accepted for processing.</p></html>'); // observed
    const head = await req('HEAD', '/c');
    expect(head.status).toBe(204);
    expect(head.headers.get('x-container-object-count')).toBe('0');
    const empty = await req('GET', '/c');
    expect(empty.status).toBe(204); // plain listing of an empty container: 204 (observed)
    const emptyJson = await req('GET', '/c?format=json');
    expect(emptyJson.status).toBe(200);
    expect(emptyJson.text).toBe('[]');
    const missing = await req('GET', '/nope?format=json');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('<html><h1>Not Found</h1><p>The resource could not be found.</p></html>');
  });

  it('stores objects with MD5 ETags, checks a sent ETag (422), serves HEAD/GET/Range and metadata', async () => {
    sim = await startSim();
    const { req } = await swiftClient(sim);
    await req('PUT', '/c');
    const put = await req('PUT', '/c/dir/a.txt', 'hello world', { 'X-Object-Meta-Color': 'blue', 'Content-Type': 'text/plain' });
    expect(put.status).toBe(201);
    expect(put.headers.get('etag')).toBe('5eb63bbbe01eeed093cb22bb8f5acdc3'); // observed for "hello world"
    const bad = await req('PUT', '/c/b.txt', 'hello world', { ETag: '00000000000000000000000000000000' });
    expect(bad.status).toBe(422);
    expect(bad.text).toBe('<html><h1>Unprocessable Entity</h1><p>Unable to process the contained instructions</p></html>');
    expect((await req('HEAD', '/c/b.txt')).status).toBe(404);
    expect((await req('PUT', '/c/b.txt', 'hello', { ETag: md5('hello') })).status).toBe(201);
    const head = await req('HEAD', '/c/dir/a.txt');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('11');
    expect(head.headers.get('x-object-meta-color')).toBe('blue');
    expect(head.headers.get('content-type')).toBe('text/plain');
    expect(head.headers.get('x-timestamp')).toMatch(/^\d+\.\d{5}$/);
    const get = await req('GET', '/c/dir/a.txt');
    expect(get.text).toBe('hello world');
    const range = await req('GET', '/c/dir/a.txt', undefined, { Range: 'bytes=0-4' });
    expect(range.status).toBe(206);
    expect(range.text).toBe('hello');
    expect(range.headers.get('content-range')).toBe('bytes 0-4/11');
    const suffix = await req('GET', '/c/dir/a.txt', undefined, { Range: 'bytes=-5' });
    expect(suffix.text).toBe('world');
    const unsatisfiable = await req('GET', '/c/dir/a.txt', undefined, { Range: 'bytes=100-200' });
    expect(unsatisfiable.status).toBe(416);
    expect(unsatisfiable.headers.get('content-range')).toBe('bytes */11');
    const notModified = await req('GET', '/c/dir/a.txt', undefined, { 'If-None-Match': '"5eb63bbbe01eeed093cb22bb8f5acdc3"' });
    expect(notModified.status).toBe(304);
    const post = await req('POST', '/c/dir/a.txt', undefined, { 'X-Object-Meta-Shape': 'round' });
    expect(post.status).toBe(202);
    const after = await req('HEAD', '/c/dir/a.txt');
    expect(after.headers.get('x-object-meta-shape')).toBe('round');
    expect(after.headers.get('x-object-meta-color')).toBeNull(); // POST replaces all metadata
    expect((await req('PUT', '/nope/x', 'x')).status).toBe(404);
    const ifNone = await req('PUT', '/c/b.txt', 'new', { 'If-None-Match': '*' });
    expect(ifNone.status).toBe(412);
  });

  it('lists with format=json, prefix, marker, limit, delimiter, and counts in the account', async () => {
    sim = await startSim();
    const { req } = await swiftClient(sim);
    await req('PUT', '/c');
    for (const name of ['b.txt', 'dir/a.txt', 'dir/b.txt', 'z']) await req('PUT', `/c/${name}`, name);
    const all = await req('GET', '/c?format=json');
    expect(all.json.map((o: { name: string }) => o.name)).toEqual(['b.txt', 'dir/a.txt', 'dir/b.txt', 'z']);
    expect(Object.keys(all.json[0])).toEqual(['bytes', 'hash', 'name', 'content_type', 'last_modified']);
    expect(all.json[0].last_modified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect((await req('GET', '/c?format=json&prefix=dir/&limit=1')).json.map((o: { name: string }) => o.name)).toEqual(['dir/a.txt']);
    expect((await req('GET', '/c?format=json&marker=dir/a.txt')).json.map((o: { name: string }) => o.name)).toEqual(['dir/b.txt', 'z']);
    expect((await req('GET', '/c?format=json&delimiter=/')).json).toEqual([
      expect.objectContaining({ name: 'b.txt' }),
      { subdir: 'dir/' },
      expect.objectContaining({ name: 'z' }),
    ]);
    expect((await req('GET', '/c')).text).toBe('b.txt\ndir/a.txt\ndir/b.txt\nz\n');
    expect((await req('GET', '/c?limit=10001')).status).toBe(412);
    const account = await req('GET', '?format=json');
    expect(account.json).toEqual([expect.objectContaining({ name: 'c', count: 4 })]);
    expect(account.headers.get('x-account-object-count')).toBe('4');
    const conflict = await req('DELETE', '/c');
    expect(conflict.status).toBe(409);
    expect(conflict.text).toBe('<html><h1>Conflict</h1><p>There was a conflict when trying to complete your request.</p></html>');
    for (const name of ['b.txt', 'dir/a.txt', 'dir/b.txt', 'z']) expect((await req('DELETE', `/c/${name}`)).status).toBe(204);
    expect((await req('DELETE', '/c/z')).status).toBe(404);
    expect((await req('DELETE', '/c')).status).toBe(204);
    expect((await req('DELETE', '/c')).status).toBe(404);
  });

  it('keeps account metadata, including the temp URL keys', async () => {
    sim = await startSim();
    const { req } = await swiftClient(sim);
    expect((await req('POST', '', undefined, { 'X-Account-Meta-Temp-Url-Key': 'k1', 'X-Account-Meta-Temp-Url-Key-2': 'k2' })).status).toBe(204);
    const head = await req('HEAD', '');
    expect(head.status).toBe(204);
    expect(head.headers.get('x-account-meta-temp-url-key')).toBe('k1');
    expect(head.headers.get('x-account-meta-temp-url-key-2')).toBe('k2');
    await req('POST', '', undefined, { 'X-Remove-Account-Meta-Temp-Url-Key-2': 'x' });
    expect((await req('HEAD', '')).headers.get('x-account-meta-temp-url-key-2')).toBeNull();
  });

  it('refuses another project\'s account with 403', async () => {
    sim = await startSim({ users: [{ username: 'a', password: 'a', projectId: 'pa' }, { username: 'b', password: 'b', projectId: 'pb' }] });
    const { token } = await client(sim);
    const r = await call(`${sim.url}/v1/AUTH_pb`, { headers: { 'x-auth-token': token } });
    expect(r.status).toBe(403);
  });
});

describe('static large objects', () => {
  it('assembles segments; ETag is the quoted MD5 of the segment ETags (values observed on Swift 2.30)', async () => {
    sim = await startSim();
    const { req } = await swiftClient(sim);
    await req('PUT', '/c');
    await req('PUT', '/c/seg/1', 'AAAA');
    await req('PUT', '/c/seg/2', 'BBB');
    const manifest = JSON.stringify([
      { path: '/c/seg/1', etag: '098890dde069e9abad63f19a0d9e1f32', size_bytes: 4 },
      { path: 'c/seg/2', etag: null, size_bytes: null },
    ]);
    const put = await req('PUT', '/c/big?multipart-manifest=put', manifest, { 'Content-Type': 'application/x-tar' });
    expect(put.status).toBe(201);
    expect(put.headers.get('etag')).toBe('"2b73142d2f5236e7304cc7b613002a45"');
    const head = await req('HEAD', '/c/big');
    expect(head.headers.get('x-static-large-object')).toBe('True');
    expect(head.headers.get('etag')).toBe('"2b73142d2f5236e7304cc7b613002a45"');
    expect(head.headers.get('content-length')).toBe('7');
    expect(head.headers.get('content-type')).toBe('application/x-tar');
    const get = await req('GET', '/c/big');
    expect(get.text).toBe('AAAABBB');
    const range = await req('GET', '/c/big', undefined, { Range: 'bytes=2-5' });
    expect(range.status).toBe(206);
    expect(range.text).toBe('AABB'); // observed
    const raw = await req('GET', '/c/big?multipart-manifest=get');
    expect(raw.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(raw.json.map((s: { name: string; bytes: number; hash: string }) => [s.name, s.bytes, s.hash])).toEqual([
      ['/c/seg/1', 4, '098890dde069e9abad63f19a0d9e1f32'],
      ['/c/seg/2', 3, '2bb225f0ba9a58930757a868ed57d9a3'],
    ]);
    // X-Manifest-Etag is the MD5 of the stored manifest text, which is what multipart-manifest=get returns.
    expect(head.headers.get('x-manifest-etag')).toBe(md5(raw.text));
    expect(raw.text.startsWith('[{"name": "/c/seg/1", "bytes": 4, "hash": ')).toBe(true);
    const listing = await req('GET', '/c?format=json&prefix=big');
    expect(listing.json[0]).toMatchObject({ bytes: 7, hash: md5(raw.text), slo_etag: '"2b73142d2f5236e7304cc7b613002a45"' });
    const rawFormat = await req('GET', '/c/big?multipart-manifest=get&format=raw');
    expect(rawFormat.json).toEqual([
      { etag: '098890dde069e9abad63f19a0d9e1f32', path: '/c/seg/1', size_bytes: 4 },
      { etag: '2bb225f0ba9a58930757a868ed57d9a3', path: '/c/seg/2', size_bytes: 3 },
    ]);
  });

  it('validates segments with Swift\'s error report', async () => {
    sim = await startSim();
    const { req } = await swiftClient(sim);
    await req('PUT', '/c');
    await req('PUT', '/c/seg/1', 'AAAA');
    const bad = await req('PUT', '/c/big2?multipart-manifest=put', JSON.stringify([{ path: '/c/seg/1', etag: '0000', size_bytes: 4 }, { path: '/c/seg/404' }]));
    expect(bad.status).toBe(400);
    expect(bad.text).toBe('Errors:\n/c/seg/1, Etag Mismatch\n/c/seg/404, 404 Not Found\n'); // same layout as observed
    const size = await req('PUT', '/c/big2?multipart-manifest=put', JSON.stringify([{ path: '/c/seg/1', size_bytes: 5 }]));
    expect(size.text).toBe('Errors:\n/c/seg/1, Size Mismatch\n');
    const json = await req('PUT', '/c/big2?multipart-manifest=put', 'nope');
    expect(json.status).toBe(400);
    expect(json.text).toBe('Manifest must be valid JSON.\n');
    const etag = await req('PUT', '/c/big2?multipart-manifest=put', JSON.stringify([{ path: '/c/seg/1' }]), { ETag: '0123' });
    expect(etag.status).toBe(422);
    expect((await req('HEAD', '/c/big2')).status).toBe(404);
  });

  it('deletes the manifest and its segments with multipart-manifest=delete', async () => {
    sim = await startSim();
    const { req } = await swiftClient(sim);
    await req('PUT', '/c');
    await req('PUT', '/c/seg/1', 'AAAA');
    await req('PUT', '/c/seg/2', 'BBB');
    await req('PUT', '/c/plain', 'x');
    await req('PUT', '/c/big?multipart-manifest=put', JSON.stringify([{ path: '/c/seg/1' }, { path: '/c/seg/2' }]));
    const del = await req('DELETE', '/c/big?multipart-manifest=delete');
    expect(del.status).toBe(200);
    expect(del.text).toBe('Number Deleted: 3\nNumber Not Found: 0\nResponse Body: \nResponse Status: 200 OK\nErrors:\n'); // observed
    expect((await req('GET', '/c?format=json')).json.map((o: { name: string }) => o.name)).toEqual(['plain']);
    const notSlo = await req('DELETE', '/c/plain?multipart-manifest=delete', undefined, { Accept: 'application/json' });
    expect(notSlo.json).toEqual({ 'Response Status': '400 Bad Request', 'Response Body': '', 'Number Deleted': 0, 'Number Not Found': 0, Errors: [['/c/plain', 'Not an SLO manifest']] });
  });

  it('answers 409 when a segment vanished', async () => {
    sim = await startSim();
    const { req } = await swiftClient(sim);
    await req('PUT', '/c');
    await req('PUT', '/c/s1', 'AAAA');
    await req('PUT', '/c/big?multipart-manifest=put', JSON.stringify([{ path: '/c/s1' }]));
    await req('DELETE', '/c/s1');
    expect((await req('GET', '/c/big')).status).toBe(409);
  });
});
