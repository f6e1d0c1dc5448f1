/**
 * Endpoint discovery: `{type, region, interface, name}` → URL. On Rackspace "internal" means
 * ServiceNet (`internalURL`).
 */
import { OpenStackError } from '../errors.js';
import type { CatalogService, EndpointInterface } from './types.js';

export interface EndpointQuery {
  type: string;
  region?: string;
  interface?: EndpointInterface;
  /** Tie-break when several services of the type serve the region (e.g. two `compute` entries). */
  name?: string;
}

/** Names preferred when a type is ambiguous and no name was asked for (Rackspace's current services). */
export const PREFERRED_SERVICE_NAMES: readonly string[] = ['cloudServersOpenStack', 'cloudFiles', 'cloudNetworks', 'cloudImages'];

const sameRegion = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();

export function describeCatalog(catalog: CatalogService[]): string {
  if (catalog.length === 0) return 'the catalog is empty (is the token scoped to a project?)';
  return catalog
    .map((s) => {
      const byIface = new Map<string, Set<string>>();
      for (const e of s.endpoints) {
        const set = byIface.get(e.interface) ?? new Set<string>();
        set.add(e.region ?? '(global)');
        byIface.set(e.interface, set);
      }
      const where = [...byIface].map(([iface, regions]) => `${iface} in ${[...regions].join(', ')}`).join('; ');
      return `${s.type}${s.name ? ` (${s.name})` : ''}: ${where || 'no endpoints'}`;
    })
    .join(' | ');
}

/** Returns the endpoint URL (no trailing slash) or throws CATALOG_NO_ENDPOINT / AMBIGUOUS with what the catalog has. */
export function findEndpoint(catalog: CatalogService[], query: EndpointQuery): string {
  const iface = query.interface ?? 'public';
  let services = catalog.filter((s) => s.type === query.type);
  if (query.name !== undefined) services = services.filter((s) => s.name === query.name);

  type Hit = { service: CatalogService; url: string };
  const collect = (regionMatch: (r: string | undefined) => boolean): Hit[] =>
    services.flatMap((service) => {
      const e = service.endpoints.find((ep) => ep.interface === iface && regionMatch(ep.region));
      return e ? [{ service, url: e.url }] : [];
    });

  let hits: Hit[];
  if (query.region === undefined) {
    hits = collect(() => true);
  } else {
    const region = query.region;
    hits = collect((r) => sameRegion(r, region));
    if (hits.length === 0) hits = collect((r) => r === undefined);
  }

  const wanted = `${iface} endpoint for service type "${query.type}"${query.name ? ` named "${query.name}"` : ''}${query.region ? ` in region "${query.region}"` : ''}`;
  if (hits.length === 0) {
    throw new OpenStackError({ code: 'CATALOG_NO_ENDPOINT', message: `No ${wanted}. The catalog has: ${describeCatalog(catalog)}` });
  }
  if (hits.length > 1) {
    const preferred = hits.filter((h) => h.service.name !== undefined && PREFERRED_SERVICE_NAMES.includes(h.service.name));
    if (preferred.length === 1 && preferred[0]) return stripSlash(preferred[0].url);
    const names = hits.map((h) => h.service.name ?? '(unnamed)').join(', ');
    throw new OpenStackError({
      code: 'AMBIGUOUS',
      message: `Several services match the ${wanted}: ${names}. Pass a service name to choose one.`,
    });
  }
  return stripSlash((hits[0] as Hit).url);
}

const stripSlash = (u: string): string => u.replace(/\/+$/, '');

/** Regions that appear anywhere in the catalog (for messages and defaults). */
export function catalogRegions(catalog: CatalogService[]): string[] {
  const set = new Set<string>();
  for (const s of catalog) for (const e of s.endpoints) if (e.region) set.add(e.region);
  return [...set].sort();
}
