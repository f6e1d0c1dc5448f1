import type { ServiceClient } from '../../service.js';
import type { Limits } from './types.js';
import { limitsPath } from './urls.js';

export async function getLimits(svc: ServiceClient): Promise<Limits> {
  const body = await svc.get<{ limits: Partial<Limits> }>(limitsPath());
  return { absolute: body.limits?.absolute ?? {}, rate: body.limits?.rate ?? [] };
}
