import { ComputeError } from './errors.js';

/** The sim implements the response shapes of compute microversions 2.1 … 2.79 (see README). */
export const MIN_MICROVERSION: Microversion = [2, 1];
export const MAX_MICROVERSION: Microversion = [2, 79];

export type Microversion = readonly [number, number];

export function formatMicroversion(v: Microversion): string {
  return `${v[0]}.${v[1]}`;
}

export function atLeast(v: Microversion, major: number, minor: number): boolean {
  return v[0] > major || (v[0] === major && v[1] >= minor);
}

/** Reads `OpenStack-API-Version: compute X.Y` or `X-OpenStack-Nova-API-Version: X.Y`. */
export function requestedMicroversion(header: (name: string) => string | undefined): Microversion {
  let raw: string | undefined;
  const generic = header('openstack-api-version');
  if (generic) {
    const m = /(?:^|,)\s*compute\s+([^\s,]+)/i.exec(generic);
    if (m) raw = m[1];
  }
  raw ??= header('x-openstack-nova-api-version')?.trim();
  if (!raw) return MIN_MICROVERSION;
  if (raw.toLowerCase() === 'latest') return MAX_MICROVERSION;
  const m = /^(\d+)\.(\d+)$/.exec(raw);
  if (!m) throw new ComputeError(400, `Invalid API version request string ${raw}`);
  const v: Microversion = [Number(m[1]), Number(m[2])];
  const below = v[0] < MIN_MICROVERSION[0] || (v[0] === MIN_MICROVERSION[0] && v[1] < MIN_MICROVERSION[1]);
  if (below || !atLeast(MAX_MICROVERSION, v[0], v[1])) {
    // Message format observed on Nova 26 for "compute 2.200".
    throw new ComputeError(
      406,
      `Version ${raw} is not supported by the API. Minimum is ${formatMicroversion(MIN_MICROVERSION)} and maximum is ${formatMicroversion(MAX_MICROVERSION)}.`,
    );
  }
  return v;
}

export function microversionHeaders(v: Microversion): Record<string, string> {
  const text = formatMicroversion(v);
  return {
    'OpenStack-API-Version': `compute ${text}`,
    'X-OpenStack-Nova-API-Version': text,
    Vary: 'OpenStack-API-Version, X-OpenStack-Nova-API-Version',
  };
}
