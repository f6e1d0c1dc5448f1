/**
 * Test support: an HTTP proxy in front of an object store that records, on one counter, when each
 * request arrived and when its answer ended, so a test can count the round trips that had to wait
 * for one another. Give the client `endpoints: { objectStore: recorder.storageUrl }`.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, with the account part (`/v1/AUTH_…`) cut off: `/info`, `` (the account), `/c`, `/c/o?…`. */
  path: string;
  status: number;
  sent: number;
  answered: number;
}

export interface RoundTripRecorder {
  storageUrl: string;
  requests(): RecordedRequest[];
  /**
   * The requests grouped in stages: a request is in the stage after the latest one of the requests
   * answered before it was sent. With an upstream latency far above the local work between
   * requests (the sim's `latencyMs`), that is how many round trips it had to wait for.
   */
  stages(): string[][];
  reset(): void;
  close(): Promise<void>;
}

export async function recordRoundTrips(upstreamStorageUrl: string): Promise<RoundTripRecorder> {
  const upstream = new URL(upstreamStorageUrl);
  const accountPath = upstream.pathname.replace(/\/+$/u, '');
  let clock = 0;
  let log: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const entry: RecordedRequest = { method: req.method ?? 'GET', path: url.startsWith(accountPath) ? url.slice(accountPath.length) : url, status: 0, sent: clock++, answered: Infinity };
    log.push(entry);
    const answered = (): void => {
      if (entry.answered === Infinity) entry.answered = clock++;
    };
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: url, headers: { ...req.headers, host: upstream.host } }, (answer) => {
      entry.status = answer.statusCode ?? 0;
      res.writeHead(entry.status, answer.headers);
      answer.pipe(res);
      answer.on('end', answered);
    });
    forward.on('error', () => res.destroy());
    // A request cut short (a body failed on purpose) ends with the connection.
    req.on('close', () => {
      if (!req.complete) forward.destroy();
    });
    res.on('close', answered);
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    storageUrl: `http://127.0.0.1:${port}${accountPath}`,
    requests: () => log.map((r) => ({ ...r })),
    stages: () => {
      const stageOf = new Map<RecordedRequest, number>();
      const stages: string[][] = [];
      for (const r of [...log].sort((a, b) => a.sent - b.sent)) {
        const stage = Math.max(0, ...log.filter((q) => q.answered < r.sent).map((q) => (stageOf.get(q) as number) + 1));
        stageOf.set(r, stage);
        (stages[stage] ??= []).push(`${r.method} ${r.path.replace(/\?.*$/u, '')}`);
      }
      return stages.map((s) => s.sort());
    },
    reset: () => {
      log = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
