import type { SimContext } from '../context.js';
import { json, text } from '../http/respond.js';
import { Router } from '../http/router.js';
import type { ImageRecord } from '../state/types.js';

function glanceView(img: ImageRecord): Record<string, unknown> {
  return {
    id: img.id,
    name: img.name,
    status: 'active',
    visibility: 'public',
    protected: false,
    os_hidden: false,
    container_format: img.containerFormat,
    disk_format: img.diskFormat,
    size: img.size,
    virtual_size: null,
    min_disk: img.minDisk,
    min_ram: img.minRam,
    checksum: img.checksum,
    os_hash_algo: 'sha512',
    owner: null,
    tags: [],
    created_at: img.createdAt,
    updated_at: img.updatedAt,
    self: `/v2/images/${img.id}`,
    file: `/v2/images/${img.id}/file`,
    schema: '/v2/schemas/image',
    ...img.metadata,
  };
}

/** Glance v2, read-only: the images the sim was seeded with. */
export function imageRouter(ctx: SimContext): Router {
  return new Router()
    .on('GET', '/v2/images', async (req) => {
      const name = req.query.get('name');
      const images = ctx.store.data.images.filter((i) => name === null || i.name === name);
      return json(200, { images: images.map(glanceView), schema: '/v2/schemas/images', first: '/v2/images' });
    })
    .on('GET', '/v2/images/:id', async (_req, p) => {
      const img = ctx.store.data.images.find((i) => i.id === p['id']);
      if (!img) {
        return text(404, `<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n  No image found with ID ${p['id'] ?? ''}<br /><br />\n\n\n\n </body>\n</html>`, 'text/html; charset=UTF-8');
      }
      return json(200, glanceView(img));
    });
}
