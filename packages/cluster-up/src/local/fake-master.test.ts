import { X509Certificate } from 'node:crypto';
import { Agent, request } from 'node:https';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { coreosLegacy, renderMaster } from '@rax-kube/cloud-config';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultTestParams } from '../../../cloud-config/src/profiles/coreos-legacy/fixtures.js';
import { FAKE_MASTER_VERSION, startFakeMaster } from './fake-master.js';
import type { FakeMaster } from './fake-master.js';

const params = defaultTestParams(); // 4 nodes, cluster "kubernetes"
const userData = renderMaster(params).userData;
const NODES = params.numNodes;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A GET with TLS verification on: the fake master's certificate is the only trusted CA. */
function get(master: FakeMaster, path: string, authorization?: string, extra: { method?: string; agent?: Agent } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: master.port,
        path,
        method: extra.method ?? 'GET',
        ca: master.certificatePem,
        agent: extra.agent ?? false,
        headers: authorization === undefined ? {} : { Authorization: authorization },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const bearer = (token: string): string => `Bearer ${token}`;
const key = params.secrets.nodeTokenKey;

function expectUnauthorized(reply: Reply): void {
  expect(reply.status).toBe(401);
  expect(reply.headers['www-authenticate']).toBe('Basic realm="kubernetes-master"');
  expect(reply.body).toBe('Unauthorized');
}

describe('startFakeMaster', () => {
  let master: FakeMaster;
  const consoleCalls = vi.fn();

  beforeAll(async () => {
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, method).mockImplementation(consoleCalls);
    master = await startFakeMaster(userData, { port: 0 });
  });
  afterAll(async () => {
    await master.close();
    vi.restoreAllMocks();
  });

  it('serves HTTPS on 127.0.0.1 with a certificate for that address', () => {
    expect(master.port).toBeGreaterThan(0);
    expect(master.url).toBe(`https://127.0.0.1:${master.port}`);
    const cert = new X509Certificate(master.certificatePem);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.ca).toBe(true);
  });

  it('answers /healthz for the admin with the right password, 401 otherwise', async () => {
    await expect(get(master, '/healthz', basic('admin', 'test-admin-password'))).resolves.toMatchObject({ status: 200, body: 'ok' });
    expectUnauthorized(await get(master, '/healthz', basic('admin', 'wrong-password')));
    expectUnauthorized(await get(master, '/healthz', basic('root', 'test-admin-password')));
    expectUnauthorized(await get(master, '/healthz'));
  });

  it('accepts the admin, service-account and derived node tokens of nodes 1 to NUM_NODES only', async () => {
    const accepted = [
      params.secrets.adminToken,
      params.secrets.serviceAccountTokens['system:dns'],
      params.secrets.serviceAccountTokens['system:scheduler'],
      coreosLegacy.nodeToken(key, 'kubelet', `kubernetes-node-${NODES}`),
      coreosLegacy.nodeToken(key, 'kube-proxy', 'kubernetes-node-1'),
    ];
    for (const token of accepted) await expect(get(master, '/healthz', bearer(token))).resolves.toMatchObject({ status: 200, body: 'ok' });
    const refused = [
      coreosLegacy.nodeToken(key, 'kubelet', `kubernetes-node-${NODES + 1}`),
      coreosLegacy.nodeToken(key, 'kubelet', 'kubernetes-node-0'),
      coreosLegacy.nodeToken('another-key', 'kubelet', 'kubernetes-node-1'),
      params.secrets.adminToken.slice(0, -1),
      'test-admin-password',
    ];
    for (const token of refused) expectUnauthorized(await get(master, '/healthz', bearer(token)));
  });

  it('serves /version to authenticated callers and 404 for anything else', async () => {
    const version = await get(master, '/version?x=1', bearer(params.secrets.adminToken));
    expect(version.status).toBe(200);
    expect(version.headers['content-type']).toBe('application/json');
    expect(JSON.parse(version.body)).toEqual({ major: '1', minor: '0', gitVersion: 'v1.0.0-rax-kube-local-stand-in' });
    expect(JSON.parse(version.body)).toEqual(FAKE_MASTER_VERSION);
    expectUnauthorized(await get(master, '/version'));
    expect((await get(master, '/api/v1/nodes', bearer(params.secrets.adminToken))).status).toBe(404);
    expect((await get(master, '/healthz', bearer(params.secrets.adminToken), { method: 'POST' })).status).toBe(404);
    expectUnauthorized(await get(master, '/api/v1/nodes'));
  });

  it('never logs and never echoes credentials', async () => {
    const replies = [
      await get(master, '/healthz', basic('admin', 'test-admin-password')),
      await get(master, '/nope', basic('admin', 'test-admin-password')),
      await get(master, '/healthz', basic('admin', 'guessed-password')),
      await get(master, '/healthz', bearer('guessed-token')),
    ];
    for (const reply of replies) {
      const text = `${JSON.stringify(reply.headers)}\n${reply.body}`;
      const secrets = ['test-admin-password', 'guessed-password', 'guessed-token', 'admin:', 'Bearer'];
      secrets.push(...['admin:test-admin-password', 'admin:guessed-password'].map((pair) => Buffer.from(pair).toString('base64')));
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
    expect(consoleCalls).not.toHaveBeenCalled();
  });

  it('does not listen on any address but 127.0.0.1', async () => {
    // On Linux all of 127/8 reaches the loopback device: a wildcard bind would accept this.
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.2', port: master.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(outcome).not.toBe('connected');
  });
});

describe('startFakeMaster options and lifecycle', () => {
  const started: FakeMaster[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((master) => master.close()));
  });

  it('refuses user data without credentials before listening', async () => {
    await expect(startFakeMaster('#!/bin/sh\n')).rejects.toThrow(/not a cloud-config/);
    await expect(startFakeMaster('#cloud-config\nhostname: x\n')).rejects.toThrow(/write_files has no \/var\/lib\/kube-apiserver\/basic_auth.csv/);
    await expect(startFakeMaster(userData, { host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(/127\.0\.0\.1 only/);
    await expect(startFakeMaster(userData, { port: 70_000 })).rejects.toThrow(RangeError);
  });

  it('uses the given port and clock, and reports a port in use', async () => {
    const first = await startFakeMaster(userData, { now: () => new Date('2026-01-02T03:04:05Z') });
    started.push(first);
    expect(new Date(new X509Certificate(first.certificatePem).validFrom).toISOString()).toBe('2026-01-02T03:03:05.000Z');
    await expect(startFakeMaster(userData, { port: first.port })).rejects.toThrow(/EADDRINUSE/);
    const port = first.port;
    await first.close();
    const second = await startFakeMaster(userData, { port });
    started.push(second);
    expect(second.url).toBe(`https://127.0.0.1:${port}`);
    await expect(get(second, '/healthz', basic('admin', 'test-admin-password'))).resolves.toMatchObject({ status: 200 });
  });

  it('close() drops idle keep-alive, half-sent and pre-TLS connections at once, and is idempotent', async () => {
    const master = await startFakeMaster(userData);
    started.push(master);
    const agent = new Agent({ keepAlive: true, ca: master.certificatePem });
    const open: Array<{ closed: Promise<void>; destroy(): void }> = [];
    try {
      await expect(get(master, '/healthz', bearer(params.secrets.adminToken), { agent })).resolves.toMatchObject({ status: 200 });
      expect(Object.values(agent.freeSockets).flat()).toHaveLength(1);
      // A TCP connection that never starts TLS, and a TLS one whose request headers never end:
      // neither is idle, so server.close() alone would wait for them.
      const raw = connect({ host: '127.0.0.1', port: master.port });
      await new Promise((resolve) => raw.once('connect', resolve));
      const tls = tlsConnect({ host: '127.0.0.1', port: master.port, ca: master.certificatePem });
      await new Promise((resolve) => tls.once('secureConnect', resolve));
      tls.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      for (const socket of [raw, tls]) {
        socket.on('error', () => undefined);
        open.push({ closed: new Promise((resolve) => socket.once('close', () => resolve())), destroy: () => socket.destroy() });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));

      const closed = master.close();
      const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('timed out'), 2000).unref());
      await expect(Promise.race([closed.then(() => 'closed'), timeout])).resolves.toBe('closed');
      await expect(Promise.race([Promise.all(open.map((socket) => socket.closed)).then(() => 'closed'), timeout])).resolves.toBe('closed');
      expect(master.close()).toBe(closed);
      await expect(get(master, '/healthz', bearer(params.secrets.adminToken))).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      agent.destroy();
      for (const socket of open) socket.destroy();
    }
  });
});
