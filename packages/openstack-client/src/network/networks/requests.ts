import { isStatus } from '../../errors.js';
import { pickByNameOrId } from '../../find.js';
import type { ServiceClient } from '../../service.js';
import { paginateLinks } from '../../service.js';
import { neutronParams } from '../filters.js';
import type { NeutronFilters } from '../filters.js';
import type { CreateNetworkOptions, Network } from './types.js';
import { networkPath, networksPath } from './urls.js';

export function listNetworks(svc: ServiceClient, filters?: NeutronFilters): AsyncGenerator<Network, void, undefined> {
  return paginateLinks<Network>(svc, networksPath(), 'networks', 'networks_links', neutronParams(filters));
}

export async function getNetwork(svc: ServiceClient, id: string): Promise<Network> {
  return (await svc.get<{ network: Network }>(networkPath(id))).network;
}

export async function createNetwork(svc: ServiceClient, opts: CreateNetworkOptions): Promise<Network> {
  const network: Record<string, unknown> = { name: opts.name, admin_state_up: opts.adminStateUp ?? true };
  if (opts.description !== undefined) network.description = opts.description;
  if (opts.shared !== undefined) network.shared = opts.shared;
  if (opts.mtu !== undefined) network.mtu = opts.mtu;
  return (await svc.request<{ network: Network }>('POST', networksPath(), { json: { network } })).body.network;
}

export async function deleteNetwork(svc: ServiceClient, id: string, opts: { ignoreMissing?: boolean } = {}): Promise<void> {
  try {
    await svc.request('DELETE', networkPath(id));
  } catch (err) {
    if (opts.ignoreMissing && isStatus(err, 404)) return;
    throw err;
  }
}

/** By id or exact name; AMBIGUOUS when several networks share the name. */
export async function findNetwork(svc: ServiceClient, nameOrId: string): Promise<Network> {
  const candidates: Network[] = [];
  for await (const n of listNetworks(svc, { name: nameOrId })) candidates.push(n);
  if (candidates.length === 0) {
    try {
      return await getNetwork(svc, nameOrId);
    } catch (err) {
      if (!isStatus(err, 404) && !isStatus(err, 400)) throw err;
    }
  }
  return pickByNameOrId('network', nameOrId, candidates);
}
