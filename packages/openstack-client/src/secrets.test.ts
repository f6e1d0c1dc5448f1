import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import { FAKE_API_KEY, FAKE_PASSWORD, startFakeCloud } from './testing/fake-cloud.js';
import type { FakeCloud } from './testing/fake-cloud.js';
import { captureLogger, recordingSleep, sendJson, sendText } from './testing/http-server.js';
import { redactPatterns } from './redact.js';

const USER_DATA = '#cloud-config\nwrite_files:\n  - path: /etc/cloud.conf\n    content: "password=hunter2-cloud-conf"\n';
const TEMP_URL_KEY = 'tempurl-key-0123456789';

let cloud: FakeCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

describe('no secret in any log line or error', () => {
  it.each(['v2-apikey', 'v3-password'] as const)('a whole %s session at debug level', async (kind) => {
    cloud = await startFakeCloud({ rackspace: kind === 'v2-apikey' });
    const c = cloud;
    const computeBase = kind === 'v2-apikey' ? '/v2/123456' : '/compute/v2.1';
    const storeBase = kind === 'v2-apikey' ? '/v1/MossoCloudFS_abc' : '/v1/AUTH_p1';
    const echo: string[] = [];
    // A hostile API that echoes what it got back into error messages.
    c.on('POST', new RegExp(`^${computeBase}/servers$`), (q, res) => {
      echo.push(q.text);
      sendJson(res, 400, { badRequest: { code: 400, message: `Invalid request ${q.text} token ${String(q.headers['x-auth-token'])}` } });
    });
    c.on('GET', new RegExp(`^${computeBase}/servers/x$`), (q, res) => sendJson(res, 404, { itemNotFound: { code: 404, message: `no x for X-Auth-Token: ${String(q.headers['x-auth-token'])}` } }));
    c.on('HEAD', new RegExp(`^${storeBase}$`), (_q, res) => void res.writeHead(204, { 'x-account-meta-temp-url-key': TEMP_URL_KEY }).end());
    c.on('GET', new RegExp(`^${storeBase}/c/o$`), (q, res) => sendText(res, 503, `busy ${q.url}`));
    c.on('GET', /^\/echo$/, (q, res) => sendText(res, 500, `your url was ${q.url}`));

    const { logger, lines } = captureLogger();
    const rs = recordingSleep();
    const client = createClient({
      credentials:
        kind === 'v2-apikey'
          ? { kind, authUrl: `${c.url}/v2.0`, username: 'demo', apiKey: FAKE_API_KEY }
          : { kind, authUrl: `${c.url}/v3`, username: 'demo', password: FAKE_PASSWORD, projectName: 'demo' },
      region: 'RegionOne',
      logger,
      sleep: rs.sleep,
      retry: { limit: 1 },
    });
    const errors: unknown[] = [];
    const attempt = async (p: Promise<unknown>): Promise<void> => {
      await p.catch((e: unknown) => errors.push(e));
    };
    await client.identity.token();
    c.issued.push('forced-rotation'); // next call gets 401 and re-authenticates
    await attempt(client.compute.servers.create({ name: 'm', imageRef: 'i', flavorRef: 'f', userData: USER_DATA }));
    await attempt(client.compute.servers.get('x'));
    const url = await client.objectStorage.tempUrl({ container: 'c', object: 'o', ttlSeconds: 60 });
    await attempt(client.http.get(url, { context: { skipAuth: true } }));
    await attempt(client.http.get(`${c.url}/echo?temp_url_sig=abcdef0123456789&x=1`, { context: { skipAuth: true } }));
    await attempt(client.objectStorage.objects.getBuffer('c', 'o'));
    const bad = createClient({ credentials: { kind: 'v3-password', authUrl: `${c.url}/v3`, username: 'demo', password: 'wrong-but-still-secret' }, logger });
    await attempt(bad.identity.token());

    expect(errors.length).toBeGreaterThanOrEqual(5);
    expect(echo.join('')).toContain(Buffer.from(USER_DATA).toString('base64')); // the API really did see it
    const sig = new URL(url).searchParams.get('temp_url_sig') as string;
    const secrets = [
      FAKE_PASSWORD,
      FAKE_API_KEY,
      'wrong-but-still-secret',
      TEMP_URL_KEY,
      sig,
      'abcdef0123456789',
      USER_DATA,
      'hunter2-cloud-conf',
      Buffer.from(USER_DATA).toString('base64'),
      ...c.issued.filter((t) => t !== 'forced-rotation'),
    ];
    const output = [
      ...lines,
      ...errors.flatMap((e) => [String(e), (e as Error).stack ?? '', inspect(e, { depth: 20, showHidden: true }), JSON.stringify(e)]),
    ].join('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(output, `leaked ${secret.slice(0, 6)}…`).not.toContain(secret);
    expect(output).toContain('[REDACTED]');
  });

  it('pattern redaction catches secrets nobody registered', () => {
    const text =
      'X-Auth-Token: abc123 x-subject-token=def456 {"password": "p\\"w", "apiKey":"k", "user_data":"Zm9v"} https://h/o?temp_url_sig=0a1b&temp_url_expires=1 Authorization: Bearer zzz';
    const out = redactPatterns(text);
    for (const s of ['abc123', 'def456', 'p\\"w', '"k"', 'Zm9v', '0a1b', 'zzz']) expect(out).not.toContain(s);
    expect(out).toContain('temp_url_expires=1');
  });
});
