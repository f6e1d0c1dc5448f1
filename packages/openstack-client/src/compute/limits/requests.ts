import type { ServiceClient } from '../../service.js';
import type { Limits, RateLimit, RateLimitUnit } from './types.js';
import { limitsPath } from './urls.js';

export async function getLimits(svc: ServiceClient): Promise<Limits> {
  const body = await svc.get<{ limits?: { absolute?: Limits['absolute']; rate?: unknown } }>(limitsPath());
  return { absolute: body.limits?.absolute ?? {}, rate: parseRateLimits(body.limits?.rate) };
}

const UNITS = new Set<RateLimitUnit>(['SECOND', 'MINUTE', 'HOUR', 'DAY']);

/** Flattens `limits.rate`; entries without a usable verb, value or unit are skipped, not guessed. */
export function parseRateLimits(rate: unknown): RateLimit[] {
  if (!Array.isArray(rate)) return [];
  const out: RateLimit[] = [];
  for (const group of rate as Array<Record<string, unknown> | null>) {
    if (typeof group !== 'object' || group === null || !Array.isArray(group['limit'])) continue;
    const uri = typeof group['uri'] === 'string' ? group['uri'] : '*';
    const regex = typeof group['regex'] === 'string' ? group['regex'] : '.*';
    for (const limit of group['limit'] as Array<Record<string, unknown> | null>) {
      if (typeof limit !== 'object' || limit === null) continue;
      const { verb, value, unit, remaining } = limit;
      const unitName = typeof unit === 'string' ? unit.toUpperCase() : '';
      if (typeof verb !== 'string' || typeof value !== 'number' || !(value > 0) || !UNITS.has(unitName as RateLimitUnit)) continue;
      const next = typeof limit['next-available'] === 'string' ? new Date(limit['next-available']) : undefined;
      out.push({
        verb: verb.toUpperCase(),
        uri,
        regex,
        value,
        unit: unitName as RateLimitUnit,
        ...(typeof remaining === 'number' && remaining >= 0 ? { remaining } : {}),
        ...(next && !Number.isNaN(next.getTime()) ? { nextAvailable: next } : {}),
      });
    }
  }
  return out;
}
