import type { SimMode } from '../options.js';

export interface CatalogEndpointSet {
  publicURL: string;
  internalURL: string;
  adminURL?: string;
  /** Rackspace's legacy first-generation servers entry has no region. */
  region: string | undefined;
  tenantId: string;
}

export interface CatalogService {
  name: string;
  type: string;
  id: string;
  endpoints: CatalogEndpointSet[];
}

export interface CatalogUrls {
  publicBase: string;
  internalBase: string;
  region: string;
  projectId: string;
}

export function swiftAccountName(mode: SimMode, projectId: string): string {
  return mode === 'rackspace' ? `MossoCloudFS_${projectId}` : `AUTH_${projectId}`;
}

/**
 * The service catalog. Rackspace names (cloudServersOpenStack, cloudFiles with a ServiceNet
 * internalURL, cloudNetworks) and OpenStack names (nova, neutron, swift, glance, keystone).
 * Service ids are stable so that v2 and v3 catalogs agree.
 */
export function buildCatalog(mode: SimMode, urls: CatalogUrls): CatalogService[] {
  const { publicBase: pub, internalBase: snet, region, projectId: tenant } = urls;
  const account = swiftAccountName(mode, tenant);
  if (mode === 'rackspace') {
    return [
      {
        name: 'cloudServersOpenStack',
        type: 'compute',
        id: 'a0f6c0a0e4b94a51b0a4d4f0c0000001',
        endpoints: [{ region, tenantId: tenant, publicURL: `${pub}/v2/${tenant}`, internalURL: `${pub}/v2/${tenant}` }],
      },
      {
        // Legacy first-generation Cloud Servers: a second "compute" entry, without a region.
        // It is long gone at Rackspace; here its URL answers 404, as a retired endpoint would.
        name: 'cloudServers',
        type: 'compute',
        id: 'a0f6c0a0e4b94a51b0a4d4f0c0000002',
        endpoints: [{ region: undefined, tenantId: tenant, publicURL: `${pub}/v1.0/${tenant}`, internalURL: `${pub}/v1.0/${tenant}` }],
      },
      {
        name: 'cloudFiles',
        type: 'object-store',
        id: 'a0f6c0a0e4b94a51b0a4d4f0c0000003',
        endpoints: [{ region, tenantId: account, publicURL: `${pub}/v1/${account}`, internalURL: `${snet}/v1/${account}` }],
      },
      {
        name: 'cloudNetworks',
        type: 'network',
        id: 'a0f6c0a0e4b94a51b0a4d4f0c0000004',
        endpoints: [{ region, tenantId: tenant, publicURL: `${pub}/v2.0`, internalURL: `${pub}/v2.0` }],
      },
      {
        name: 'cloudImages',
        type: 'image',
        id: 'a0f6c0a0e4b94a51b0a4d4f0c0000005',
        endpoints: [{ region, tenantId: tenant, publicURL: `${pub}/v2`, internalURL: `${pub}/v2` }],
      },
    ];
  }
  const same = (url: string): CatalogEndpointSet => ({ region, tenantId: tenant, publicURL: url, internalURL: url, adminURL: url });
  return [
    { name: 'keystone', type: 'identity', id: 'b1e7d1b1f5c05b62c1b5e5a1d1000001', endpoints: [same(`${pub}/v3`)] },
    { name: 'nova', type: 'compute', id: 'b1e7d1b1f5c05b62c1b5e5a1d1000002', endpoints: [same(`${pub}/v2.1`)] },
    // Like the real catalog: Neutron's endpoint is the server root, clients add /v2.0.
    { name: 'neutron', type: 'network', id: 'b1e7d1b1f5c05b62c1b5e5a1d1000003', endpoints: [same(pub)] },
    { name: 'glance', type: 'image', id: 'b1e7d1b1f5c05b62c1b5e5a1d1000004', endpoints: [same(pub)] },
    { name: 'swift', type: 'object-store', id: 'b1e7d1b1f5c05b62c1b5e5a1d1000005', endpoints: [same(`${pub}/v1/${account}`)] },
  ];
}

/** Keystone v2.0 `access.serviceCatalog`. */
export function catalogV2(services: CatalogService[]): unknown[] {
  return services.map((s) => ({
    name: s.name,
    type: s.type,
    endpoints: s.endpoints.map((e) => ({
      ...(e.region !== undefined ? { region: e.region } : {}),
      tenantId: e.tenantId,
      publicURL: e.publicURL,
      ...(s.type === 'object-store' || e.internalURL !== e.publicURL ? { internalURL: e.internalURL } : {}),
      ...(s.type === 'compute' && s.name === 'cloudServersOpenStack'
        ? { versionInfo: e.publicURL.replace(/\/[^/]+$/, ''), versionList: e.publicURL.replace(/\/v2\/.*$/, '/'), versionId: '2' }
        : {}),
    })),
  }));
}

/** Keystone v3 `token.catalog`. */
export function catalogV3(services: CatalogService[]): unknown[] {
  let n = 0;
  const endpointId = (serviceId: string): string => `${serviceId.slice(0, 24)}${(++n).toString(16).padStart(8, '0')}`;
  return services.map((s) => ({
    endpoints: s.endpoints.flatMap((e) => {
      const region = e.region ?? null;
      const list = [
        { id: endpointId(s.id), interface: 'public', region_id: region, url: e.publicURL, region },
        { id: endpointId(s.id), interface: 'internal', region_id: region, url: e.internalURL, region },
      ];
      if (e.adminURL) list.push({ id: endpointId(s.id), interface: 'admin', region_id: region, url: e.adminURL, region });
      return list;
    }),
    id: s.id,
    type: s.type,
    name: s.name,
  }));
}
