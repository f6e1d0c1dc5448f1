import { pickByNameOrId } from '../../find.js';
import type { ServiceClient } from '../../service.js';
import { paginateLinks } from '../../service.js';
import type { Flavor } from './types.js';
import { flavorPath, flavorsDetailPath } from './urls.js';

export function listFlavors(svc: ServiceClient): AsyncGenerator<Flavor, void, undefined> {
  return paginateLinks<Flavor>(svc, flavorsDetailPath(), 'flavors', 'flavors_links');
}

export async function getFlavor(svc: ServiceClient, id: string): Promise<Flavor> {
  return (await svc.get<{ flavor: Flavor }>(flavorPath(id))).flavor;
}

/** By id or by name ("general1-1", "m1.tiny", "1 GB General Purpose v1"); several name matches are AMBIGUOUS. */
export async function findFlavor(svc: ServiceClient, nameOrId: string): Promise<Flavor> {
  const all: Flavor[] = [];
  for await (const f of listFlavors(svc)) all.push(f);
  return pickByNameOrId('flavor', nameOrId, all);
}
