import type { Redactor } from './redact.js';

export type LogFields = Record<string, unknown>;

/** The logger the client writes to; inject your own (pino, console, a test capture). */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const noop = (): void => undefined;
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/**
 * Wraps a logger so that every message and every field value goes through the redactor before it
 * reaches the sink. The client only ever logs through this wrapper.
 */
export function redactingLogger(sink: Logger, redactor: Redactor): Logger {
  const wrap =
    (level: keyof Logger) =>
    (message: string, fields?: LogFields): void => {
      const clean = redactor.redact(message);
      if (fields === undefined) {
        sink[level](clean);
        return;
      }
      const safe: LogFields = {};
      for (const [k, v] of Object.entries(fields)) {
        safe[k] = typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined ? v : redactor.redactValue(v);
      }
      sink[level](clean, safe);
    };
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}
