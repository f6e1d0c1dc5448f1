import { formatEnvExports } from './env.js';
import type { SimOptions } from './options.js';
import { startSim, type Sim } from './sim.js';

export interface ServeOptions {
  /** Where the export lines and notices go (default: process.stdout). */
  out?: { write(text: string): unknown };
  signals?: NodeJS.Signals[];
  /** Called once the sim is up (tests use it to stop the sim without a signal). */
  onReady?: (sim: Sim) => void;
}

/**
 * What `rax-kube sim` does: start the sim, print `export OS_...` lines, serve until SIGINT or
 * SIGTERM, then close. Resolves after the sim has closed.
 */
export async function serveUntilSignal(options: SimOptions, serve: ServeOptions = {}): Promise<void> {
  const out = serve.out ?? process.stdout;
  const sim = await startSim(options);
  out.write(`# rax-kube sim (${options.mode ?? 'openstack'}) listening on ${sim.url}\n`);
  if (sim.serviceNetUrl) out.write(`# ServiceNet (cloudFiles internalURL) on ${sim.serviceNetUrl}\n`);
  out.write(formatEnvExports(sim.env));
  const signals = serve.signals ?? ['SIGINT', 'SIGTERM'];
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      for (const s of signals) process.off(s, stop);
      resolve();
    };
    for (const s of signals) process.once(s, stop);
    serve.onReady?.({ ...sim, close: async () => stop() });
  });
  await sim.close();
  out.write('# rax-kube sim stopped\n');
}
