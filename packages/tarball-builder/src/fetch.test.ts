import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TarballError } from './errors.js';
import { fetchRelease, parseSha512File, releaseUrls, validateReleaseVersion } from './fetch.js';
import type { TransferProgress } from './progress.js';

const TARBALL = 'kubernetes-server-linux-amd64.tar.gz';
const body = randomBytes(300_000);
const sha512 = createHash('sha512').update(body).digest('hex');

interface Behaviour {
  digest: string;
  tarballStatus: number;
  truncate: boolean;
}
let behaviour: Behaviour;
let requests: string[];
let server: Server;
let baseUrl: string;
let home: string;

beforeEach(async () => {
  behaviour = { digest: `${sha512}\n`, tarballStatus: 200, truncate: false };
  requests = [];
  home = await mkdtemp(join(tmpdir(), 'fetch-test-'));
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.url === `/release/v1.2.3/${TARBALL}.sha512`) {
      res.end(behaviour.digest);
    } else if (req.url === `/release/v1.2.3/${TARBALL}`) {
      if (behaviour.tarballStatus !== 200) {
        res.writeHead(behaviour.tarballStatus).end('nope');
      } else if (behaviour.truncate) {
        res.writeHead(200, { 'content-length': String(body.length) });
        res.write(body.subarray(0, 100_000), () => res.destroy());
      } else {
        res.writeHead(200, { 'content-length': String(body.length) }).end(body);
      }
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/release/`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(home, { recursive: true, force: true });
});

const cacheDir = (): string => join(home, 'releases', 'v1.2.3');
const failure = async (promise: Promise<unknown>): Promise<TarballError> => (await promise.then(() => new Error('expected a failure'), (e: unknown) => e)) as TarballError;

describe('release versions and URLs', () => {
  it('accepts v1.x.y and pre-releases, rejects everything else', () => {
    for (const good of ['v1.0.0', 'v1.30.2', 'v1.31.0-rc.1', 'v1.2.3-alpha.0']) expect(validateReleaseVersion(good)).toBe(good);
    for (const bad of ['1.30.2', 'v1.30', 'v2.0.0', 'v1.30.2-foo', 'v1.030.1', 'v1.2.3/../x', 'latest', '']) {
      expect(() => validateReleaseVersion(bad)).toThrow(/not of the form v1\.MINOR\.PATCH/u);
    }
  });

  it('builds the dl.k8s.io layout, whatever trailing slashes the base has', () => {
    expect(releaseUrls('v1.30.2')).toEqual({
      tarball: `https://dl.k8s.io/release/v1.30.2/${TARBALL}`,
      sha512: `https://dl.k8s.io/release/v1.30.2/${TARBALL}.sha512`,
    });
    expect(releaseUrls('v1.30.2', 'http://mirror.example/k8s//').tarball).toBe(`http://mirror.example/k8s/v1.30.2/${TARBALL}`);
    expect(() => releaseUrls('v1.30.2', 'ftp://x')).toThrow(/http\(s\)/u);
  });

  it('reads a bare digest or a sha512sum line', () => {
    expect(parseSha512File(`${sha512.toUpperCase()}\n`, 'u')).toBe(sha512);
    expect(parseSha512File(`${sha512}  ${TARBALL}\n`, 'u')).toBe(sha512);
    expect(() => parseSha512File('<html>not found</html>', 'u')).toThrow(/does not contain a SHA-512/u);
  });
});

describe('fetchRelease against a local server', () => {
  it('downloads, verifies against the published .sha512 and caches under RAX_KUBE_HOME/releases/<version>', async () => {
    const seen: TransferProgress[] = [];
    const result = await fetchRelease({ version: 'v1.2.3', baseUrl, env: { RAX_KUBE_HOME: home }, onProgress: (p) => seen.push(p) });
    expect(result).toEqual({ version: 'v1.2.3', path: join(cacheDir(), TARBALL), size: body.length, sha512, fromCache: false, url: `${baseUrl}v1.2.3/${TARBALL}` });
    expect((await readFile(result.path)).equals(body)).toBe(true);
    expect((await readdir(cacheDir())).sort()).toEqual([TARBALL, `${TARBALL}.sha512`]);
    expect(seen.at(-1)).toMatchObject({ bytesDone: body.length, bytesTotal: body.length, done: true });
  });

  it('reuses a verified cached file without any network access', async () => {
    await fetchRelease({ version: 'v1.2.3', baseUrl, home });
    const before = requests.length;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const again = await fetchRelease({ version: 'v1.2.3', baseUrl, home });
    expect(again.fromCache).toBe(true);
    expect(again.sha512).toBe(sha512);
    expect(requests.length).toBe(before);
  });

  it('downloads again when the cached file no longer matches its record', async () => {
    const first = await fetchRelease({ version: 'v1.2.3', baseUrl, home });
    await writeFile(first.path, 'tampered');
    const again = await fetchRelease({ version: 'v1.2.3', baseUrl, home });
    expect(again.fromCache).toBe(false);
    expect((await readFile(again.path)).equals(body)).toBe(true);
  });

  it('discards a download whose digest does not match and keeps nothing in the cache', async () => {
    behaviour.digest = `${'0'.repeat(128)}  ${TARBALL}\n`;
    const err = await failure(fetchRelease({ version: 'v1.2.3', baseUrl, home }));
    expect(err.code).toBe('RELEASE_DIGEST_MISMATCH');
    expect(err.message).toContain(`expected ${'0'.repeat(128)}, got ${sha512}`);
    expect(await readdir(cacheDir())).toEqual([]);
  });

  it('reports a 404 with the URL', async () => {
    behaviour.tarballStatus = 404;
    const err = await failure(fetchRelease({ version: 'v1.2.3', baseUrl, home }));
    expect(err.code).toBe('RELEASE_DOWNLOAD_FAILED');
    expect(err.message).toContain(`GET ${baseUrl}v1.2.3/${TARBALL} answered 404`);
    const missing = await failure(fetchRelease({ version: 'v1.9.9', baseUrl, home }));
    expect(missing.message).toMatch(/\.sha512 answered 404/u);
  });

  it('reports a body cut short and leaves no partial file', async () => {
    behaviour.truncate = true;
    const err = await failure(fetchRelease({ version: 'v1.2.3', baseUrl, home }));
    expect(err.code).toBe('RELEASE_DOWNLOAD_FAILED');
    expect(err.message).toMatch(/broke off|incomplete/u);
    expect(await readdir(cacheDir())).toEqual([]);
  });

  it('rejects a bad version before any request, and reports an unreachable server', async () => {
    expect((await failure(fetchRelease({ version: 'v1.2', baseUrl, home }))).code).toBe('RELEASE_VERSION_INVALID');
    expect(requests).toEqual([]);
    const port = (server.address() as AddressInfo).port;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const err = await failure(fetchRelease({ version: 'v1.2.3', baseUrl: `http://127.0.0.1:${port}/release`, home }));
    expect(err.code).toBe('RELEASE_DOWNLOAD_FAILED');
    expect(err.message).toMatch(/^Could not reach http:\/\/127\.0\.0\.1:\d+\/release\/v1\.2\.3\/kubernetes-server-linux-amd64\.tar\.gz\.sha512: /u);
  });
});
