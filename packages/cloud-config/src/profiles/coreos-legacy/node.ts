import type { CloudConfig } from '../../model.js';
import { cidr, formatIpv4, subnetAt } from '../../ipv4.js';
import { execLine } from '../../systemd/unit-file.js';
import { RELEASE_BIN, after, commonDocument, kubeService, networkdFile, releaseFiles, unit } from './common.js';
import { REGEN_APISERVER_LIST_SCRIPT, file, tokenKubeconfig } from './files.js';
import { nodeName, RACKSPACE_INTERFACES } from './params.js';
import type { LegacyClusterParams } from './params.js';
import { nodeToken } from './tokens.js';

/** Node `index`'s bridge subnet: the index-th /24 of KUBE_NETWORK (10.240.<index>.0/24 by default). */
export function nodeBridgeSubnet(kubeNetwork: string, index: number): { network: string; gateway: string; prefix: number } {
  const subnet = subnetAt(cidr(kubeNetwork), 24, index);
  return { network: formatIpv4(subnet.network), gateway: formatIpv4(subnet.network + 1), prefix: 24 };
}

const FINDER_DEPENDENCY = 'apiserver-finder.service';

export function nodeDocument(params: LegacyClusterParams, index: number): CloudConfig {
  if (!Number.isInteger(index) || index < 1 || index > params.numNodes) {
    throw new RangeError(`node index must be a whole number from 1 to ${params.numNodes}, got ${index}`);
  }
  const name = nodeName(params, index);
  const bridge = nodeBridgeSubnet(params.network.kubeNetwork, index);
  const doc = commonDocument(params, 'node', name);
  const dns = params.network.enableClusterDns
    ? [`--cluster-dns=${params.network.dnsServerIp}`, `--cluster-domain=${params.network.dnsDomain}`]
    : [];
  const units = doc.coreos.units ?? [];
  units.push(
    unit(FINDER_DEPENDENCY, {
      Unit: { Description: 'Find the advertised apiservers', ...after('etcd2.service') },
      Service: {
        ExecStartPre: execLine(['/opt/bin/regen-apiserver-list.sh', '--wait']),
        ExecStart: execLine(['/usr/bin/etcdctl', 'exec-watch', '--recursive', '/corekube/apiservers', '--', '/opt/bin/regen-apiserver-list.sh']),
        TimeoutStartSec: 0,
        Restart: 'always',
        RestartSec: 30,
      },
    }),
    kubeService(
      'kubelet',
      'Kubernetes Kubelet',
      ['docker.service', FINDER_DEPENDENCY],
      [
        `${RELEASE_BIN}/kubelet`,
        '--address=$private_ipv4',
        '--api-servers=${FIRST_APISERVER_URL}',
        '--kubeconfig=/var/lib/kubelet/kubeconfig',
        ...dns,
        '--healthz-bind-address=$private_ipv4',
        '--hostname-override=$private_ipv4',
        '--logtostderr=true',
        '--v=2',
      ],
      { EnvironmentFile: '/run/kubelet/apiservers.env', KillMode: 'control-group' },
    ),
    kubeService(
      'kube-proxy',
      'Kubernetes Proxy',
      ['docker.service', FINDER_DEPENDENCY],
      [
        `${RELEASE_BIN}/kube-proxy`,
        '--bind-address=$private_ipv4',
        '--master=${FIRST_APISERVER_URL}',
        '--kubeconfig=/var/lib/kube-proxy/kubeconfig',
        '--hostname-override=$private_ipv4',
        '--logtostderr=true',
      ],
      { EnvironmentFile: '/run/kubelet/apiservers.env' },
    ),
    // systemd-networkd files: coreos-cloudinit applies them by restarting networkd, so no command.
    networkdFile('cbr0.netdev', { NetDev: { Kind: 'bridge', Name: 'cbr0' } }),
    networkdFile('cbr0.network', { Match: { Name: 'cbr0' }, Network: { Address: `${bridge.gateway}/${bridge.prefix}` } }),
    unit('nat.service', {
      Unit: { Description: 'NAT traffic from the bridge to the outside' },
      Service: {
        Type: 'oneshot',
        RemainAfterExit: true,
        ExecStart: (params.interfaces ?? RACKSPACE_INTERFACES).egress.map((iface) =>
          execLine(['/usr/sbin/iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', iface, '-s', `${bridge.network}/${bridge.prefix}`, '-j', 'MASQUERADE']),
        ),
      },
    }),
  );
  doc.write_files = [
    ...releaseFiles(params),
    file('/opt/bin/regen-apiserver-list.sh', '0755', REGEN_APISERVER_LIST_SCRIPT),
    file('/var/lib/kubelet/kubeconfig', '0600', tokenKubeconfig('kubelet', nodeToken(params.secrets.nodeTokenKey, 'kubelet', name))),
    file('/var/lib/kube-proxy/kubeconfig', '0600', tokenKubeconfig('kube-proxy', nodeToken(params.secrets.nodeTokenKey, 'kube-proxy', name))),
  ];
  return doc;
}
