import type { LegacyClusterParams } from './params.js';

/**
 * SPEC §1 defaults with fixed, obviously fake credentials, for golden files and tests. Real
 * secrets come from cluster-up, drawn from crypto randomness.
 */
export function defaultTestParams(overrides: Partial<LegacyClusterParams> = {}): LegacyClusterParams {
  return {
    clusterName: 'kubernetes',
    numNodes: 4,
    release: {
      url: 'https://storage.example.invalid/v1/AUTH_test/kubernetes-releases-demo/devel/kubernetes-server-linux-amd64.tar.gz?temp_url_sig=0000&temp_url_expires=1700000000',
      sha256: 'a'.repeat(64),
    },
    network: {
      kubeNetwork: '10.240.0.0/16',
      serviceClusterIpRange: '10.0.0.0/16',
      enableClusterDns: true,
      dnsServerIp: '10.0.0.10',
      dnsDomain: 'cluster.local',
    },
    etcd: { mode: 'static', masterAddress: '192.168.0.2' },
    cloudProvider: {
      name: 'rackspace',
      authUrl: 'https://identity.api.rackspacecloud.com/v2.0/',
      username: 'demo',
      secret: 'test-api-key',
      tenantName: '123456',
      region: 'ORD',
    },
    secrets: {
      adminUser: 'admin',
      adminPassword: 'test-admin-password',
      adminToken: 'test-admin-token',
      serviceAccountTokens: {
        'system:scheduler': 'test-token-scheduler',
        'system:controller_manager': 'test-token-controller-manager',
        'system:logging': 'test-token-logging',
        'system:monitoring': 'test-token-monitoring',
        'system:dns': 'test-token-dns',
      },
      nodeTokenKey: 'test-node-token-key',
    },
    ...overrides,
  };
}
