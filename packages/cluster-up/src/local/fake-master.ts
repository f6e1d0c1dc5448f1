import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createAuthenticator } from './authenticator.js';
import type { Authenticator } from './authenticator.js';
import { credentialsFromUserData } from './credentials.js';
import { generateSelfSignedCertificate } from './self-signed.js';

export { credentialsFromUserData } from './credentials.js';
export type { FakeMasterCredentials } from './credentials.js';

export interface FakeMaster {
  /** `https://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** The server's self-signed certificate, to pass as the client's CA (`certificate-authority-data`). */
  certificatePem: string;
  /** Stops listening and drops every open connection, keep-alive ones included. Idempotent. */
  close(): Promise<void>;
}

export interface FakeMasterOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Only loopback: the stand-in never listens on another interface. */
  host?: '127.0.0.1';
  /** Clock for the certificate's validity, for tests. */
  now?: () => Date;
}

/** What `GET /version` answers: the v1.0 shape, marked as the local stand-in. */
export const FAKE_MASTER_VERSION = { major: '1', minor: '0', gitVersion: 'v1.0.0-rax-kube-local-stand-in' } as const;

const REALM = 'Basic realm="kubernetes-master"';

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/**
 * Every request is authenticated first, as the apiserver does, so an anonymous caller learns
 * nothing about which paths exist. Nothing is logged and no header is echoed back.
 */
function handle(authenticate: Authenticator, req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  if (!authenticate(req.headers.authorization)) {
    send(res, 401, 'text/plain; charset=utf-8', 'Unauthorized', { 'WWW-Authenticate': REALM });
    return;
  }
  const path = (req.url ?? '').split('?', 1)[0];
  if (req.method === 'GET' && path === '/healthz') send(res, 200, 'text/plain; charset=utf-8', 'ok');
  else if (req.method === 'GET' && path === '/version') send(res, 200, 'application/json', JSON.stringify(FAKE_MASTER_VERSION));
  else send(res, 404, 'text/plain; charset=utf-8', '404 page not found\n');
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * A stand-in Kubernetes master for `rax-kube up --local`: an HTTPS server on loopback that
 * accepts exactly the credentials the master machine's user data gives its apiserver
 * (`credentialsFromUserData`), with a fresh self-signed certificate for 127.0.0.1. It answers
 * `GET /healthz` (`ok`) and `GET /version`; unauthenticated requests get 401, anything else 404.
 */
export async function startFakeMaster(userData: string, options: FakeMasterOptions = {}): Promise<FakeMaster> {
  const credentials = credentialsFromUserData(userData);
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error(`the local master listens on 127.0.0.1 only, not ${String(host)}`);
  const requestedPort = options.port ?? 0;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65_535) throw new RangeError(`invalid port ${requestedPort}`);

  const { certificatePem, privateKeyPem } = generateSelfSignedCertificate({ now: options.now });
  const authenticate = createAuthenticator(credentials);
  const server = createServer({ cert: certificatePem, key: privateKeyPem }, (req, res) => handle(authenticate, req, res));
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await listen(server, requestedPort, host);

  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `https://${host}:${port}`,
    port,
    certificatePem,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
