import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OpenStackClient, Server } from '@rax-kube/openstack-client';
import { startSim } from '@rax-kube/openstack-sim';
import type { Sim, SimOptions } from '@rax-kube/openstack-sim';
import { buildStandInRelease, findServerTarball } from '@rax-kube/tarball-builder';
import { connect } from '../cloud/connect.js';
import { startFakeMaster } from './fake-master.js';
import type { FakeMaster } from './fake-master.js';

/**
 * `--local`: the local cloud (Rackspace style), its state kept under `<home>/local/` so it lasts
 * from one command to the next, plus a stand-in master per master server, serving /healthz on
 * loopback with exactly the credentials its user data carries.
 */
export interface LocalCloud {
  sim: Sim;
  env: Record<string, string>;
  client: OpenStackClient;
  /** The stand-in master's URL for a master server, started on first use from its user data. */
  apiUrl: (master: Server) => Promise<string | undefined>;
  close(): Promise<void>;
}

export function localDir(home: string): string {
  return join(home, 'local');
}

export async function startLocalCloud(home: string, simOptions: Partial<SimOptions> = {}): Promise<LocalCloud> {
  const dir = localDir(home);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const sim = await startSim({
    mode: 'rackspace',
    bootTimeMs: 300,
    stateFile: join(dir, 'cloud-state.json'),
    quotas: { maxTotalInstances: 5000, maxTotalCores: -1, maxTotalRAMSize: -1 },
    ...simOptions,
  });
  const env = { ...sim.env } as Record<string, string>;
  const { client } = connect(env);
  const masters = new Map<string, FakeMaster>();
  const portsFile = join(dir, 'master-ports.json');

  const apiUrl = async (master: Server): Promise<string | undefined> => {
    const running = masters.get(master.id);
    if (running) return running.url;
    const detailed = await client.compute.servers.get(master.id, { microversion: '2.3' });
    const encoded = detailed['OS-EXT-SRV-ATTR:user_data'];
    if (typeof encoded !== 'string' || encoded === '') return undefined;
    const userData = Buffer.from(encoded, 'base64').toString('utf8');
    const ports = await readPorts(portsFile);
    // The same port across commands keeps the kubeconfig written by `up` valid for `status`.
    const started = await startFakeMaster(userData, { port: ports[master.id] ?? 0 }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' || /in use/i.test(String(error))) return startFakeMaster(userData, { port: 0 });
      throw error;
    });
    masters.set(master.id, started);
    await writeFile(portsFile, JSON.stringify({ ...ports, [master.id]: started.port }), { mode: 0o600 });
    return started.url;
  };

  return {
    sim,
    env,
    client,
    apiUrl,
    close: async () => {
      await Promise.all([...masters.values()].map((m) => m.close()));
      await sim.close();
    },
  };
}

async function readPorts(path: string): Promise<Record<string, number>> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

/**
 * The release for local mode: the one found as usual, else a small stand-in with the right
 * layout, built once under `<home>/local/` and clearly labelled (its binaries only print that
 * they are stand-ins).
 */
export async function localReleaseTarball(home: string, env: Readonly<Record<string, string | undefined>>, cwd: string, tarball?: string): Promise<{ path: string; standIn: boolean }> {
  try {
    return { path: (await findServerTarball({ env: { ...env }, cwd, ...(tarball ? { tarball } : {}) })).path, standIn: false };
  } catch (error) {
    if (tarball || (error as { code?: string }).code !== 'TARBALL_NOT_FOUND') throw error;
  }
  const dir = join(localDir(home), 'stand-in-release');
  const built = await buildStandInRelease(dir);
  return { path: built.path, standIn: true };
}
