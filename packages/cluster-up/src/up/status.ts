import type { OpenStackClient, Server } from '@rax-kube/openstack-client';
import { probeHealthz } from '../api/healthz.js';
import type { HealthProbe, ProbeTarget } from '../api/healthz.js';
import type { ClusterConfig, CloudProfile } from '../config/index.js';
import { CLUSTER_METADATA_KEY, desiredCluster } from '../plan/desired.js';
import { collect } from '../util/collect.js';
import { byMachineOrder, clusterServers } from './observe.js';
import { masterApiUrl, summarize } from './up.js';
import type { MachineSummary } from './up.js';

export interface StatusResult {
  cluster: string;
  servers: MachineSummary[];
  /** Servers the configuration expects but the cloud does not have. */
  missing: string[];
  network?: { id: string; name: string };
  api?: { url: string; healthy: boolean; detail?: string };
}

export interface StatusOptions {
  config: ClusterConfig;
  /** Where the master's API is; no health check when it returns undefined. */
  apiUrl?: (master: Server) => Promise<string | undefined>;
  /** Without `apiUrl`, the API is looked for where up looks for it on this profile (masterApiUrl); with neither, it is not checked. */
  profile?: CloudProfile;
  credentials?: { username: string; password: string };
}

/** What exists of the cluster, each server's state and addresses, and the API's health. */
export async function status(options: StatusOptions, deps: { client: OpenStackClient; probe?: (t: ProbeTarget) => Promise<HealthProbe> }): Promise<StatusResult> {
  const desired = desiredCluster(options.config);
  const [servers, networks] = await Promise.all([
    clusterServers(deps.client, desired.name),
    collect(deps.client.network.networks.list({ name: desired.network.name })),
  ]);
  const ours = servers.filter((s) => s.metadata?.[CLUSTER_METADATA_KEY] === desired.name).sort(byMachineOrder);
  const present = new Set(ours.map((s) => s.name));
  const result: StatusResult = {
    cluster: desired.name,
    servers: ours.map(summarize),
    missing: desired.servers.map((s) => s.name).filter((name) => !present.has(name)),
    ...(networks[0] ? { network: { id: networks[0].id, name: networks[0].name } } : {}),
  };
  const master = ours.find((s) => s.name === desired.servers[0]?.name && s.status === 'ACTIVE');
  const { profile } = options;
  const locate = options.apiUrl ?? (profile ? (server: Server) => Promise.resolve(masterApiUrl(server, profile, desired.network.name)) : undefined);
  const url = master && locate ? await locate(master) : undefined;
  if (url && options.credentials) {
    const answer = await (deps.probe ?? probeHealthz)({ server: url, ...options.credentials });
    result.api = { url, healthy: answer.ok, ...(answer.ok ? {} : { detail: answer.error ?? 'no answer' }) };
  }
  return result;
}
