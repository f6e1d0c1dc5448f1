import { describe, expect, it } from 'vitest';
import { formatEnvExports, serveUntilSignal, type Sim } from './index.js';
import { call } from './testing/harness.js';

describe('formatEnvExports', () => {
  it('prints shell-safe export lines', () => {
    expect(formatEnvExports({ OS_USERNAME: 'admin', OS_PASSWORD: "it's" })).toBe("export OS_USERNAME='admin'\nexport OS_PASSWORD='it'\\''s'\n");
  });
});

describe('serveUntilSignal', () => {
  it('prints the exports, serves, and stops on the signal', async () => {
    let out = '';
    let sim: Sim | undefined;
    const done = serveUntilSignal(
      { mode: 'rackspace' },
      { out: { write: (t: string) => (out += t) }, signals: ['SIGUSR2'], onReady: (s) => (sim = s) },
    );
    while (!sim) await new Promise((r) => setTimeout(r, 10));
    expect(out).toContain(`export OS_AUTH_URL='${sim.url}/v2.0'`);
    expect(out).toContain("export OS_AUTH_TYPE='rackspace_apikey'");
    expect(out).toContain("export OS_REGION_NAME='ORD'");
    expect((await call(`${sim.url}/info`)).status).toBe(200);
    process.emit('SIGUSR2');
    await done;
    expect(out).toContain('# rax-kube sim stopped');
    await expect(fetch(`${sim.url}/info`)).rejects.toThrow();
  });
});
