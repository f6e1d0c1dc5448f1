import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { coreosLegacy, formatReport, renderMaster, renderNode } from '@rax-kube/cloud-config';
import type { ClusterSecrets, LegacyClusterParams, RenderedMachine } from '@rax-kube/cloud-config';
import type { ClusterConfig } from '../config/index.js';
import { writePrivateFile } from '../secrets/store.js';

/** Stands for the release's temp URL, which only the cloud can give (`rax-kube upload` makes it). */
export const PLACEHOLDER_RELEASE_URL = 'https://placeholder.invalid/RAX_KUBE_PLACEHOLDER_RELEASE_URL/kubernetes-server-linux-amd64.tar.gz';

export interface RenderInputs {
  secrets: ClusterSecrets;
  cloudProvider: coreosLegacy.CloudProviderConfig;
  release: { url: string; sha256?: string };
  /** Default: Rackspace's eth0 / eth1 / eth2. */
  interfaces?: coreosLegacy.MachineInterfaces;
}

/** The profile parameters for a validated configuration. */
export function legacyParams(config: ClusterConfig, inputs: RenderInputs): LegacyClusterParams {
  return {
    clusterName: config.clusterName,
    numNodes: config.numNodes,
    release: inputs.release,
    network: {
      kubeNetwork: config.kubeNetwork,
      serviceClusterIpRange: config.serviceClusterIpRange,
      enableClusterDns: config.enableClusterDns,
      dnsServerIp: config.dnsServerIp,
      dnsDomain: config.dnsDomain,
    },
    etcd: config.etcdDiscovery ? { mode: 'discovery', url: config.etcdDiscovery } : { mode: 'static', masterAddress: config.masterFixedIp },
    cloudProvider: inputs.cloudProvider,
    secrets: inputs.secrets,
    ...(inputs.interfaces ? { interfaces: inputs.interfaces } : {}),
  };
}

export interface RenderedCluster {
  master: RenderedMachine;
  nodes: RenderedMachine[];
  knownTokensCsv: string;
}

/** Every machine's user data, validated; throws CloudConfigError naming the machine otherwise. */
export function renderCluster(config: ClusterConfig, inputs: RenderInputs): RenderedCluster {
  const params = legacyParams(config, inputs);
  const nodes: RenderedMachine[] = [];
  for (let index = 1; index <= config.numNodes; index++) nodes.push(renderNode(params, index));
  return { master: renderMaster(params), nodes, knownTokensCsv: coreosLegacy.knownTokensCsv(params) };
}

/** Renders one machine at a time (the master is index 0), for callers that need them one by one. */
export function machineRenderer(config: ClusterConfig, inputs: RenderInputs): (machine: { role: 'master' | 'node'; index: number }) => RenderedMachine {
  const params = legacyParams(config, inputs);
  return (machine) => (machine.role === 'master' ? renderMaster(params) : renderNode(params, machine.index));
}

/** Writes `master.yaml`, `node-<i>.yaml` and `known_tokens.csv`, each 0600 (they hold secrets). */
export async function writeRenderedCluster(dir: string, rendered: RenderedCluster): Promise<string[]> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files: Array<[string, string]> = [
    ['master.yaml', rendered.master.userData],
    ...rendered.nodes.map((node, i): [string, string] => [`node-${i + 1}.yaml`, node.userData]),
    ['known_tokens.csv', rendered.knownTokensCsv],
  ];
  await Promise.all(files.map(([name, content]) => writePrivateFile(join(dir, name), content)));
  return files.map(([name]) => join(dir, name));
}

/** The validation report of every machine, one block each. */
export function clusterReport(rendered: RenderedCluster): string {
  return [rendered.master, ...rendered.nodes]
    .map((machine) => `${machine.name} (${machine.userDataSize} of 65535 bytes as user data): ${formatReport(machine.report)}`)
    .join('\n');
}
