import { OpenStackError } from './errors.js';

/**
 * Picks one resource by id or by name from candidates: an id match wins; several name matches
 * are AMBIGUOUS; none is RESOURCE_NOT_FOUND listing what exists.
 */
export function pickByNameOrId<T extends { id: string; name?: string | null }>(kind: string, nameOrId: string, candidates: T[]): T {
  const byId = candidates.find((c) => c.id === nameOrId);
  if (byId) return byId;
  const byName = candidates.filter((c) => c.name === nameOrId);
  if (byName.length === 1 && byName[0]) return byName[0];
  if (byName.length > 1) {
    throw new OpenStackError({
      code: 'AMBIGUOUS',
      message: `${byName.length} ${kind}s are named "${nameOrId}" (${byName.map((c) => c.id).join(', ')}); use an id`,
    });
  }
  const sample = candidates
    .slice(0, 20)
    .map((c) => (c.name ? `${c.name} (${c.id})` : c.id))
    .join(', ');
  throw new OpenStackError({
    code: 'RESOURCE_NOT_FOUND',
    message: `no ${kind} with id or name "${nameOrId}"${candidates.length ? `; available: ${sample}${candidates.length > 20 ? ', …' : ''}` : ''}`,
  });
}
