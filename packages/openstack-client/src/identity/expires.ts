/**
 * Token expiry parsing. v2.0 `expires` is ISO-8601 with or without milliseconds and with or
 * without an offset ("2025-01-01T10:00:00Z", "2025-01-01T10:00:00.000-06:00",
 * "2025-01-01T10:00:00"); Keystone v3 uses microseconds ("…T10:00:00.000000Z"). OpenStack means
 * UTC when no offset is given, whereas JavaScript would read local time, so we add the Z.
 */
const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export function parseExpires(value: string): Date | undefined {
  const m = ISO.exec(value.trim());
  if (!m) return undefined;
  const [, date, time, fraction, zone] = m;
  const hhmmss = time && time.length === 5 ? `${time}:00` : time;
  const ms = fraction ? `.${fraction.slice(0, 3).padEnd(3, '0')}` : '';
  let z = zone ?? 'Z';
  if (/^[+-]\d{4}$/.test(z)) z = `${z.slice(0, 3)}:${z.slice(3)}`;
  const d = new Date(`${date}T${hhmmss}${ms}${z.toUpperCase()}`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
