import { json } from '../http/respond.js';
import type { SimResponse } from '../http/types.js';

/** A Nova fault: `{"<key>": {"code", "message"}}`. */
export class ComputeError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const KEYS: Record<number, string> = {
  400: 'badRequest',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'HTTPMethodNotAllowed',
  406: 'computeFault',
  409: 'conflictingRequest',
  413: 'overLimit',
  429: 'overLimit',
  500: 'computeFault',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

export function computeError(status: number, message: string, headers: Record<string, string> = {}): SimResponse {
  return json(status, { [KEYS[status] ?? 'computeFault']: { code: status, message } }, { 'Content-Type': 'application/json; charset=UTF-8', ...headers });
}

/** Nova's schema-validation message: "Invalid input for field/attribute X. Value: V. <reason>" */
export function invalidInput(field: string, value: string, reason: string): ComputeError {
  return new ComputeError(400, `Invalid input for field/attribute ${field}. Value: ${value}. ${reason}`);
}
