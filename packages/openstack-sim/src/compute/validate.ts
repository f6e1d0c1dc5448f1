import { ComputeError, invalidInput } from './errors.js';

/** Python's repr() of a JSON value, because Nova's validation messages quote values that way. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** Value as Nova prints it after "Value:" (str() of the Python value). */
function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

/**
 * Nova accepts what Python's non-validating base64 decoder accepts: characters outside the
 * alphabet are skipped, and the data must end on a complete quantum (or be padded to one).
 */
export function isPythonBase64(text: string): boolean {
  const cleaned = text.replace(/[^A-Za-z0-9+/=]/g, '');
  const firstPad = cleaned.indexOf('=');
  const data = firstPad < 0 ? cleaned : cleaned.slice(0, firstPad);
  const pad = firstPad < 0 ? '' : cleaned.slice(firstPad);
  const rem = data.length % 4;
  if (rem === 0) return true;
  if (rem === 1) return false;
  return pad.length >= 4 - rem;
}

// Nova's metadata schema: keys match this pattern, values are strings of at most 255 characters.
const METADATA_KEY = /^[a-zA-Z0-9-_:. ]{1,255}$/;

export function validateMetadata(metadata: unknown): Record<string, string> {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw invalidInput('metadata', pyStr(metadata), `${pyRepr(metadata)} is not of type 'object'`);
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata as Record<string, unknown>)) {
    if (!METADATA_KEY.test(key)) {
      throw invalidInput('metadata', pyRepr(metadata), `${pyRepr(key)} does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'`);
    }
    if (typeof value !== 'string') throw invalidInput(key, pyStr(value), `${pyRepr(value)} is not of type 'string'`);
    if (value.length > 255) throw invalidInput(key, value, `${pyRepr(value)} is too long`);
    out[key] = value;
  }
  return out;
}

export function validateUserData(userData: unknown): string | null {
  if (userData === undefined || userData === null) return null;
  if (typeof userData !== 'string') throw invalidInput('user_data', pyStr(userData), `${pyRepr(userData)} is not of type 'string'`);
  // Schema order as observed on Nova 26: the length check fires for valid base64 over 65535 characters.
  if (userData.length > 65535) throw invalidInput('user_data', userData, `${pyRepr(userData)} is too long`);
  if (!isPythonBase64(userData)) throw invalidInput('user_data', userData, `${pyRepr(userData)} is not a 'base64'`);
  return userData;
}

const TRUE_VALUES = [true, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes'];
const FALSE_VALUES = [false, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no'];

export function parseNovaBoolean(field: string, value: unknown): boolean {
  if (TRUE_VALUES.includes(value as string | boolean)) return true;
  if (FALSE_VALUES.includes(value as string | boolean)) return false;
  throw invalidInput(field, pyStr(value), `${pyRepr(value)} is not one of [${[...TRUE_VALUES, ...FALSE_VALUES].map(pyRepr).join(', ')}]`);
}

// Nova's "name" parameter type: printable, no leading or trailing whitespace, 1–255 characters.
export function validateName(field: string, value: unknown, context: unknown): string {
  if (typeof value !== 'string') throw invalidInput(field, pyStr(value), `${pyRepr(value)} is not of type 'string'`);
  if (value.length < 1) throw invalidInput(field, value, `${pyRepr(value)} is too short`);
  if (value.length > 255) throw invalidInput(field, value, `${pyRepr(value)} is too long`);
  if (/^\s|\s$/.test(value) || /[\p{Cc}]/u.test(value)) {
    throw invalidInput(field, value, `${pyRepr(value)} does not match the name pattern`);
  }
  void context;
  return value;
}

export function requireObject(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ComputeError(400, `Invalid input for field/attribute ${field}. Value: ${pyStr(value)}. ${pyRepr(value)} is not of type 'object'`);
  }
  return value as Record<string, unknown>;
}
