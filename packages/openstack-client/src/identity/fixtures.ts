import type { CatalogService } from './types.js';

/** A Rackspace-style catalog: a global first-gen compute, the regional OpenStack one, and ServiceNet URLs. */
export const rackspaceCatalog: CatalogService[] = [
  { type: 'compute', name: 'cloudServers', endpoints: [{ region: undefined, interface: 'public', url: 'https://servers.api.rackspacecloud.com/v1.0/123' }] },
  {
    type: 'compute',
    name: 'cloudServersOpenStack',
    endpoints: [
      { region: 'DFW', interface: 'public', url: 'https://dfw.servers.api.rackspacecloud.com/v2/123' },
      { region: 'ORD', interface: 'public', url: 'https://ord.servers.api.rackspacecloud.com/v2/123/' },
    ],
  },
  {
    type: 'object-store',
    name: 'cloudFiles',
    endpoints: [
      { region: 'DFW', interface: 'public', url: 'https://storage101.dfw1.clouddrive.com/v1/MossoCloudFS_x' },
      { region: 'DFW', interface: 'internal', url: 'https://snet-storage101.dfw1.clouddrive.com/v1/MossoCloudFS_x' },
    ],
  },
  { type: 'network', name: 'cloudNetworks', endpoints: [{ region: 'DFW', interface: 'public', url: 'https://dfw.networks.api.rackspacecloud.com/v2.0' }] },
];

/** Two compute services both serving RegionOne, neither a preferred name. */
export const ambiguousCatalog: CatalogService[] = [
  { type: 'compute', name: 'nova', endpoints: [{ region: 'RegionOne', interface: 'public', url: 'http://a/v2.1' }] },
  { type: 'compute', name: 'nova-legacy', endpoints: [{ region: 'RegionOne', interface: 'public', url: 'http://b/v2' }] },
];
