/**
 * Redaction shared by errors and log lines. Two layers:
 * 1. exact secret values registered at runtime (password, API key, every token issued, temp-URL
 *    keys, user_data in raw and base64 form), also in their URL-encoded spelling;
 * 2. patterns that catch secrets by position even when the value was never registered
 *    (`X-Auth-Token: …`, `temp_url_sig=…`, `"password": "…"` in a JSON body).
 */

export const REDACTED = '[REDACTED]';

/** Header names whose values are secret wherever they appear. */
export const SECRET_HEADERS: readonly string[] = [
  'x-auth-token',
  'x-subject-token',
  'x-auth-key',
  'x-storage-token',
  'x-service-token',
  'authorization',
  'x-account-meta-temp-url-key',
  'x-account-meta-temp-url-key-2',
  'x-container-meta-temp-url-key',
  'x-container-meta-temp-url-key-2',
];

/** Query parameters whose values are secret (Swift temp URLs, signed URLs in general). */
const SECRET_QUERY_PARAMS = ['temp_url_sig', 'signature', 'sig', 'x-amz-signature', 'token', 'api_key', 'apikey'];

/** JSON keys whose string values are secret in OpenStack request/response bodies. */
const SECRET_JSON_KEYS = [
  'password',
  'apiKey',
  'api_key',
  'secret',
  'user_data',
  'adminPass',
  'token',
  'X-Auth-Token',
  'temp_url_key',
  'private_key',
];

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// An Authorization value may start with a scheme ("Bearer x", "Basic x"): both words go.
const headerPattern = new RegExp(`(${SECRET_HEADERS.map(escapeRegExp).join('|')})(["']?\\s*[:=]\\s*["']?)((?:(?:Bearer|Basic|Token|Negotiate)\\s+)?[^\\s"',;}]+)`, 'gi');
const queryPattern = new RegExp(`([?&;]|^|\\s)(${SECRET_QUERY_PARAMS.map(escapeRegExp).join('|')})=([^&#\\s"']*)`, 'gi');
const jsonPattern = new RegExp(`("(?:${SECRET_JSON_KEYS.map(escapeRegExp).join('|')})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'g');

/** Pattern-only redaction (no registered secrets). Pure. */
export function redactPatterns(text: string): string {
  return text
    .replace(headerPattern, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`)
    .replace(queryPattern, (_m, lead: string, name: string) => `${lead}${name}=${REDACTED}`)
    .replace(jsonPattern, (_m, key: string) => `${key}"${REDACTED}"`);
}

/** A set of secret values plus the patterns above. */
export class Redactor {
  readonly #secrets = new Set<string>();
  /** Sorted longest first so a secret containing another is replaced whole. */
  #ordered: string[] = [];

  /** Registers a secret value; values shorter than 3 characters cannot be told apart from text and are ignored. */
  add(value: string | undefined | null): void {
    if (!value || value.length < 3) return;
    const variants = new Set([value, encodeURIComponent(value)]);
    let changed = false;
    for (const v of variants) {
      if (!this.#secrets.has(v)) {
        this.#secrets.add(v);
        changed = true;
      }
    }
    if (changed) this.#ordered = [...this.#secrets].sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.#secrets.size;
  }

  /** Redacts a string: registered secrets first, then the positional patterns. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.#ordered) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return redactPatterns(out);
  }

  /** Redacts any value by serialising it first (objects, errors, arrays). */
  redactValue(value: unknown): string {
    return this.redact(typeof value === 'string' ? value : safeStringify(value));
  }
}

/** Convenience: redact with an optional redactor, falling back to patterns only. */
export function redact(text: string, redactor?: Redactor): string {
  return redactor ? redactor.redact(text) : redactPatterns(text);
}

/** Removes secret query parameters from a URL (keeps the rest readable). */
export function redactUrl(url: string | URL, redactor?: Redactor): string {
  let text: string;
  try {
    const u = new URL(String(url));
    u.username = '';
    u.password = '';
    for (const key of [...u.searchParams.keys()]) {
      if (SECRET_QUERY_PARAMS.includes(key.toLowerCase())) u.searchParams.set(key, REDACTED);
    }
    text = u.toString().replace(encodeURIComponent(REDACTED), REDACTED).replaceAll('%5BREDACTED%5D', REDACTED);
  } catch {
    text = String(url);
  }
  return redact(text, redactor);
}

/** Header object with secret header values replaced. */
export function redactHeaders(headers: Record<string, unknown>, redactor?: Redactor): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k] = SECRET_HEADERS.includes(k.toLowerCase()) ? REDACTED : redact(String(v), redactor);
  }
  return out;
}

export function safeStringify(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return (
      JSON.stringify(value, (_k, v: unknown) => {
        if (v instanceof Error) return { name: v.name, message: v.message, ...(v as unknown as Record<string, unknown>) };
        if (Buffer.isBuffer(v)) return `<Buffer ${v.length} bytes>`;
        if (typeof v === 'bigint') return v.toString();
        if (typeof v === 'object' && v !== null) {
          if (seen.has(v)) return '[Circular]';
          seen.add(v);
        }
        return v;
      }) ?? String(value)
    );
  } catch {
    return String(value);
  }
}
