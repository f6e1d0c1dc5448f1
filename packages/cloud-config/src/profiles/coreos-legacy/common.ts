import type { CloudConfig, Etcd2Section, Unit, WriteFile } from '../../model.js';
import { execLine, serializeUnitFile, unitFile } from '../../systemd/unit-file.js';
import type { SectionInput } from '../../systemd/unit-file.js';
import { DOWNLOAD_RELEASE_SCRIPT, environmentFile, file } from './files.js';
import { RACKSPACE_INTERFACES } from './params.js';
import type { LegacyClusterParams } from './params.js';

/** Where the release unpacks (`tar -C /opt` of `kubernetes/server/bin/...`). */
export const RELEASE_BIN = '/opt/kubernetes/server/bin';
export const RELEASE_BINARIES = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy'] as const;


/** A unit given as sections, rendered through the systemd model (never as spliced text). */
export function unit(name: string, sections: Readonly<Record<string, SectionInput>>, command: Unit['command'] = 'start'): Unit {
  return { name, command, content: serializeUnitFile(unitFile(sections)) };
}

/** A systemd-networkd file (`.netdev`, `.network`): applied by a networkd restart, so no command. */
export function networkdFile(name: string, sections: Readonly<Record<string, SectionInput>>): Unit {
  return { name, content: serializeUnitFile(unitFile(sections)) };
}

export function dropIn(name: string, sections: Readonly<Record<string, SectionInput>>): { name: string; content: string } {
  return { name, content: serializeUnitFile(unitFile(sections)) };
}

/** `Requires=` + `After=` on the same units: the usual "start after, and only with" pair. */
export function after(...units: string[]): SectionInput {
  return { Requires: units, After: units };
}

export function etcdPeerUrl(address: string): string {
  return `http://${address}:2380`;
}

/** The etcd2 section for the master (a member) or a node (a member, or a proxy in static mode). */
export function etcd2Section(params: LegacyClusterParams, role: 'master' | 'node'): Etcd2Section {
  const { etcd } = params;
  if (etcd.mode === 'discovery') {
    return {
      discovery: etcd.url,
      advertise_client_urls: 'http://$private_ipv4:2379,http://$private_ipv4:4001',
      initial_advertise_peer_urls: 'http://$private_ipv4:2380',
      listen_client_urls: 'http://0.0.0.0:2379,http://0.0.0.0:4001',
      listen_peer_urls: 'http://$private_ipv4:2380,http://$private_ipv4:7001',
    };
  }
  const initialCluster = `master=${etcdPeerUrl(etcd.masterAddress)}`;
  if (role === 'master') {
    return {
      name: 'master',
      initial_cluster: initialCluster,
      initial_cluster_state: 'new',
      initial_cluster_token: `${params.clusterName}-etcd`,
      initial_advertise_peer_urls: etcdPeerUrl(etcd.masterAddress),
      listen_peer_urls: etcdPeerUrl(etcd.masterAddress),
      advertise_client_urls: `http://${etcd.masterAddress}:2379,http://${etcd.masterAddress}:4001`,
      listen_client_urls: 'http://0.0.0.0:2379,http://0.0.0.0:4001',
    };
  }
  return {
    proxy: 'on',
    initial_cluster: initialCluster,
    listen_client_urls: 'http://127.0.0.1:2379,http://127.0.0.1:4001',
  };
}

/** Sections and units every machine has: etcd2, fleet, flannel, docker after flannel, the release. */
export function commonDocument(params: LegacyClusterParams, role: 'master' | 'node', hostname: string): Required<Pick<CloudConfig, 'coreos'>> & CloudConfig {
  const flannelConfig = JSON.stringify({ Network: params.network.kubeNetwork, Backend: { Type: 'host-gw' } });
  return {
    hostname,
    ...(params.sshAuthorizedKeys?.length ? { ssh_authorized_keys: [...params.sshAuthorizedKeys] } : {}),
    coreos: {
      etcd2: etcd2Section(params, role),
      flannel: { ip_masq: true, interface: (params.interfaces ?? RACKSPACE_INTERFACES).pod },
      fleet: { public_ip: '$private_ipv4', metadata: `kubernetes_role=${role}` },
      update: { reboot_strategy: 'off' },
      units: [
        { name: 'etcd2.service', command: 'start' },
        { name: 'fleet.service', command: 'start' },
        {
          name: 'flanneld.service',
          command: 'start',
          drop_ins: [
            dropIn('50-network-config.conf', {
              Unit: after('etcd2.service'),
              // `mk` fails when the key exists: every machine tries, the first one wins.
              Service: { ExecStartPre: execLine(['-/usr/bin/etcdctl', 'mk', '/coreos.com/network/config', flannelConfig]) },
            }),
          ],
        },
        {
          name: 'docker.service',
          command: 'start',
          // Containers must land in flannel's network, so docker waits for flanneld.
          drop_ins: [dropIn('50-after-flannel.conf', { Unit: after('flanneld.service') })],
        },
        unit('download-release.service', {
          Unit: { Description: 'Download the Kubernetes release', Wants: 'network-online.target', After: 'network-online.target' },
          Service: {
            Type: 'oneshot',
            RemainAfterExit: true,
            EnvironmentFile: '/etc/kubernetes/release.env',
            ExecStart: '/opt/bin/download-release.sh',
          },
        }),
      ],
    },
  };
}

export function releaseFiles(params: LegacyClusterParams): WriteFile[] {
  return [
    file('/etc/kubernetes/release.env', '0600', environmentFile({ KUBE_RELEASE_URL: params.release.url, KUBE_RELEASE_SHA256: params.release.sha256 })),
    file('/opt/bin/download-release.sh', '0755', DOWNLOAD_RELEASE_SCRIPT),
  ];
}

/** A Kubernetes daemon from the release: restarts always, runs the release's binary. */
export function kubeService(
  name: string,
  description: string,
  dependencies: readonly string[],
  argv: readonly string[],
  extraService: SectionInput = {},
): Unit {
  return unit(`${name}.service`, {
    Unit: {
      Description: description,
      Documentation: 'https://github.com/kubernetes/kubernetes',
      Requires: ['download-release.service', ...dependencies],
      After: ['network-online.target', 'download-release.service', ...dependencies],
      Wants: 'network-online.target',
    },
    Service: { ...extraService, ExecStart: execLine(argv), Restart: 'always', RestartSec: 5 },
  });
}
