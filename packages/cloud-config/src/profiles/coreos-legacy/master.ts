import type { CloudConfig } from '../../model.js';
import { execLine } from '../../systemd/unit-file.js';
import { RELEASE_BIN, after, commonDocument, kubeService, releaseFiles, unit } from './common.js';
import { GENERATE_KNOWN_TOKENS_SCRIPT, basicAuthCsv, cloudProviderConfig, environmentFile, file } from './files.js';
import { masterName } from './params.js';
import type { LegacyClusterParams } from './params.js';
import { fixedTokenLines } from './tokens.js';

const SERVICE_ACCOUNT_KEY = '/var/lib/kube-apiserver/serviceaccount.key';
/** The apiserver writes its self-signed certificate here when given no TLS files. */
const CERT_DIR = '/var/run/kubernetes';

/**
 * The master's cloud-config. The API's HTTPS front is the apiserver's own secure port (443,
 * basic and token auth), not the original's nginx container: that container was built at boot
 * from a third-party git repository, added docker to the API's critical path, and the v1.0
 * apiserver already serves TLS with `--basic-auth-file` and `--token-auth-file` itself.
 */
export function masterDocument(params: LegacyClusterParams): CloudConfig {
  const doc = commonDocument(params, 'master', masterName(params));
  const units = doc.coreos.units ?? [];
  units.push(
    unit('generate-serviceaccount-key.service', {
      Unit: { Description: 'Generate the service-account signing key', ConditionPathExists: `!${SERVICE_ACCOUNT_KEY}` },
      Service: {
        Type: 'oneshot',
        RemainAfterExit: true,
        UMask: '0077',
        ExecStartPre: execLine(['/usr/bin/mkdir', '-p', '/var/lib/kube-apiserver']),
        ExecStart: execLine(['/usr/bin/openssl', 'genrsa', '-out', SERVICE_ACCOUNT_KEY, '2048']),
      },
    }),
    unit('kube-known-tokens.service', {
      Unit: { Description: 'Write the apiserver token file' },
      Service: {
        Type: 'oneshot',
        RemainAfterExit: true,
        EnvironmentFile: '/etc/kubernetes/cluster.env',
        ExecStart: '/opt/bin/generate-known-tokens.sh',
      },
    }),
    kubeService(
      'kube-apiserver',
      'Kubernetes API Server',
      ['etcd2.service', 'generate-serviceaccount-key.service', 'kube-known-tokens.service'],
      [
        `${RELEASE_BIN}/kube-apiserver`,
        '--address=127.0.0.1',
        '--port=8080',
        '--bind-address=0.0.0.0',
        '--secure-port=443',
        `--cert-dir=${CERT_DIR}`,
        '--basic-auth-file=/var/lib/kube-apiserver/basic_auth.csv',
        '--token-auth-file=/var/lib/kube-apiserver/known_tokens.csv',
        `--cloud-provider=${params.cloudProvider.name}`,
        '--cloud-config=/etc/cloud.conf',
        '--etcd-servers=http://127.0.0.1:4001',
        `--service-cluster-ip-range=${params.network.serviceClusterIpRange}`,
        `--service-account-key-file=${SERVICE_ACCOUNT_KEY}`,
        '--service-account-lookup=false',
        '--admission-control=NamespaceLifecycle,NamespaceAutoProvision,LimitRanger,SecurityContextDeny,ServiceAccount,ResourceQuota',
        '--logtostderr=true',
        '--v=2',
      ],
    ),
    unit('apiserver-advertiser.service', {
      Unit: { Description: 'Advertise this apiserver in etcd for the nodes', ...after('etcd2.service'), Wants: 'kube-apiserver.service' },
      // Re-publishes every 2 minutes with a 5 minute TTL, so a dead master drops out.
      Service: {
        ExecStart: execLine(['/usr/bin/etcdctl', 'set', '--ttl', '300', '/corekube/apiservers/$private_ipv4', '$private_ipv4']),
        Restart: 'always',
        RestartSec: 120,
      },
    }),
    kubeService('kube-controller-manager', 'Kubernetes Controller Manager', ['kube-apiserver.service'], [
      `${RELEASE_BIN}/kube-controller-manager`,
      '--master=127.0.0.1:8080',
      `--cloud-provider=${params.cloudProvider.name}`,
      '--cloud-config=/etc/cloud.conf',
      `--service-account-private-key-file=${SERVICE_ACCOUNT_KEY}`,
      `--root-ca-file=${CERT_DIR}/apiserver.crt`,
      '--logtostderr=true',
      '--v=2',
    ]),
    kubeService('kube-scheduler', 'Kubernetes Scheduler', ['kube-apiserver.service'], [
      `${RELEASE_BIN}/kube-scheduler`,
      '--master=127.0.0.1:8080',
      '--logtostderr=true',
      '--v=2',
    ]),
  );
  doc.write_files = [
    file('/etc/cloud.conf', '0600', cloudProviderConfig(params.cloudProvider)),
    ...releaseFiles(params),
    file('/var/lib/kube-apiserver/basic_auth.csv', '0600', basicAuthCsv(params.secrets.adminUser, params.secrets.adminPassword)),
    file('/etc/kubernetes/known_tokens.base.csv', '0600', `${fixedTokenLines(params).join('\n')}\n`),
    file('/etc/kubernetes/node-token.key', '0600', `${params.secrets.nodeTokenKey}\n`),
    file('/etc/kubernetes/cluster.env', '0644', environmentFile({ INSTANCE_PREFIX: params.clusterName, NUM_NODES: params.numNodes })),
    file('/opt/bin/generate-known-tokens.sh', '0755', GENERATE_KNOWN_TOKENS_SCRIPT),
  ];
  return doc;
}
