import { isStatus } from '../../errors.js';
import { pickByNameOrId } from '../../find.js';
import type { ServiceClient } from '../../service.js';
import { paginateLinks } from '../../service.js';
import type { Image } from './types.js';
import { imagePath, imagesDetailPath } from './urls.js';

/**
 * Images through the compute API's image proxy, which both Rackspace and OpenStack serve at the
 * default microversion (it was removed only from 2.36 on, which this client does not send here).
 */
export function listImages(svc: ServiceClient, filters: { name?: string; status?: string; limit?: number } = {}): AsyncGenerator<Image, void, undefined> {
  return paginateLinks<Image>(svc, imagesDetailPath(), 'images', 'images_links', filters);
}

export async function getImage(svc: ServiceClient, id: string): Promise<Image> {
  return (await svc.get<{ image: Image }>(imagePath(id))).image;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** By id (tried first when it looks like a UUID) or by exact name; several name matches are AMBIGUOUS. */
export async function findImage(svc: ServiceClient, nameOrId: string): Promise<Image> {
  if (UUID.test(nameOrId)) {
    try {
      return await getImage(svc, nameOrId);
    } catch (err) {
      if (!isStatus(err, 404)) throw err;
    }
  }
  const matches: Image[] = [];
  for await (const i of listImages(svc, { name: nameOrId })) matches.push(i);
  if (matches.length > 0) return pickByNameOrId('image', nameOrId, matches);
  // The name filter found nothing: list everything so the error can say what exists.
  const all: Image[] = [];
  for await (const i of listImages(svc)) all.push(i);
  return pickByNameOrId('image', nameOrId, all);
}
