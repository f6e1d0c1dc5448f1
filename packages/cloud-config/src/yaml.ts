import { YAML11_SCHEMA, dump, load } from 'js-yaml';
import type { CloudConfig } from './model.js';

export const CLOUD_CONFIG_HEADER = '#cloud-config';

/**
 * Serializes a document without validating it: `#cloud-config` and YAML. Every value is emitted
 * as YAML data by js-yaml (never spliced into a template), and strings that a YAML 1.1 reader
 * such as coreos-cloudinit's would take for something else (`off`, `0600`, `yes`) are quoted.
 * Multi-line strings become literal blocks, so unit files stay readable.
 */
export function serialize(doc: CloudConfig): string {
  const body = dump(withoutUndefined(doc), { lineWidth: -1, noRefs: true });
  return `${CLOUD_CONFIG_HEADER}\n\n${body}`;
}

/** Reads a cloud-config the way coreos-cloudinit does: header line, then YAML 1.1. */
export function parse(text: string): CloudConfig {
  const firstLine = text.split('\n', 1)[0]?.replace(/\r$/, '');
  if (firstLine !== CLOUD_CONFIG_HEADER) {
    throw new Error(`not a cloud-config: the first line must be exactly "${CLOUD_CONFIG_HEADER}"`);
  }
  const value = load(text, { schema: YAML11_SCHEMA });
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error('not a cloud-config: the document must be a YAML mapping');
  return value as CloudConfig;
}

export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => withoutUndefined(item)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = withoutUndefined(item);
    return out as T;
  }
  return value;
}

/** Structural equality of plain YAML data (mappings, sequences, scalars). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  return (
    aKeys.length === Object.keys(b).length &&
    aKeys.every((key) => Object.hasOwn(bRecord, key) && deepEqual((a as Record<string, unknown>)[key], bRecord[key]))
  );
}
