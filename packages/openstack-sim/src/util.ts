import { randomBytes, randomUUID } from 'node:crypto';

export const uuid = (): string => randomUUID();
export const hex32 = (): string => randomBytes(16).toString('hex');

/** Nova style: 2026-11-23T19:29:38Z */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Keystone style: 2026-11-24T07:28:39.000000Z */
export function isoMicros(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Swift listing style (no zone): 2026-11-23T19:30:09.035780 */
export function swiftListingTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000');
}

export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** A Swift transaction id: tx + 21 hex + '-' + hex unix time. */
export function swiftTransId(now: number): string {
  return `tx${randomBytes(11).toString('hex').slice(0, 21)}-${Math.floor(now / 1000).toString(16).padStart(10, '0')}`;
}

export function requestId(): string {
  return `req-${randomUUID()}`;
}
