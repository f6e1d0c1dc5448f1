import { isStatus } from '../../errors.js';
import { pickByNameOrId } from '../../find.js';
import type { ServiceClient } from '../../service.js';
import { paginateLinks } from '../../service.js';
import { neutronParams } from '../filters.js';
import type { NeutronFilters } from '../filters.js';
import type { CreateSubnetOptions, Subnet } from './types.js';
import { subnetPath, subnetsPath } from './urls.js';

export function listSubnets(svc: ServiceClient, filters?: NeutronFilters & { network_id?: string; cidr?: string }): AsyncGenerator<Subnet, void, undefined> {
  return paginateLinks<Subnet>(svc, subnetsPath(), 'subnets', 'subnets_links', neutronParams(filters));
}

export async function getSubnet(svc: ServiceClient, id: string): Promise<Subnet> {
  return (await svc.get<{ subnet: Subnet }>(subnetPath(id))).subnet;
}

export function buildCreateSubnetBody(opts: CreateSubnetOptions): { subnet: Record<string, unknown> } {
  const subnet: Record<string, unknown> = { network_id: opts.networkId, cidr: opts.cidr, ip_version: opts.ipVersion ?? 4 };
  if (opts.name !== undefined) subnet.name = opts.name;
  if (opts.description !== undefined) subnet.description = opts.description;
  if (opts.gatewayIp !== undefined) subnet.gateway_ip = opts.gatewayIp;
  if (opts.allocationPools) subnet.allocation_pools = opts.allocationPools.map((p) => ({ start: p.start, end: p.end }));
  if (opts.enableDhcp !== undefined) subnet.enable_dhcp = opts.enableDhcp;
  if (opts.dnsNameservers) subnet.dns_nameservers = opts.dnsNameservers;
  return { subnet };
}

export async function createSubnet(svc: ServiceClient, opts: CreateSubnetOptions): Promise<Subnet> {
  return (await svc.request<{ subnet: Subnet }>('POST', subnetsPath(), { json: buildCreateSubnetBody(opts) })).body.subnet;
}

export async function deleteSubnet(svc: ServiceClient, id: string, opts: { ignoreMissing?: boolean } = {}): Promise<void> {
  try {
    await svc.request('DELETE', subnetPath(id));
  } catch (err) {
    if (opts.ignoreMissing && isStatus(err, 404)) return;
    throw err;
  }
}

export async function findSubnet(svc: ServiceClient, nameOrId: string, networkId?: string): Promise<Subnet> {
  const candidates: Subnet[] = [];
  for await (const s of listSubnets(svc, { name: nameOrId, ...(networkId ? { network_id: networkId } : {}) })) candidates.push(s);
  if (candidates.length === 0) {
    try {
      return await getSubnet(svc, nameOrId);
    } catch (err) {
      if (!isStatus(err, 404) && !isStatus(err, 400)) throw err;
    }
  }
  return pickByNameOrId('subnet', nameOrId, candidates);
}
