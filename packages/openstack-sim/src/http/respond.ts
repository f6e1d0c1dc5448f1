import type { HeaderValue, SimResponse } from './types.js';

export function json(status: number, body: unknown, headers: Record<string, HeaderValue> = {}): SimResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

export function text(status: number, body: string, contentType = 'text/plain', headers: Record<string, HeaderValue> = {}): SimResponse {
  return { status, headers: { 'Content-Type': contentType, ...headers }, body };
}

export function empty(status: number, headers: Record<string, HeaderValue> = {}): SimResponse {
  return { status, headers, body: '' };
}
