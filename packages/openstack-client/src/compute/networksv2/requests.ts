import { isStatus } from '../../errors.js';
import type { ServiceClient } from '../../service.js';
import type { RackspaceNetwork } from './types.js';
import { networkV2Path, networksV2Path } from './urls.js';

export async function* listNetworksV2(svc: ServiceClient): AsyncGenerator<RackspaceNetwork, void, undefined> {
  const body = await svc.get<{ networks: RackspaceNetwork[] }>(networksV2Path());
  for (const n of body.networks ?? []) yield n;
}

export async function getNetworkV2(svc: ServiceClient, id: string): Promise<RackspaceNetwork> {
  return (await svc.get<{ network: RackspaceNetwork }>(networkV2Path(id))).network;
}

export async function createNetworkV2(svc: ServiceClient, label: string, cidr: string): Promise<RackspaceNetwork> {
  return (await svc.request<{ network: RackspaceNetwork }>('POST', networksV2Path(), { json: { network: { cidr, label } } })).body.network;
}

export async function deleteNetworkV2(svc: ServiceClient, id: string, opts: { ignoreMissing?: boolean } = {}): Promise<void> {
  try {
    await svc.request('DELETE', networkV2Path(id));
  } catch (err) {
    if (opts.ignoreMissing && isStatus(err, 404)) return;
    throw err;
  }
}
