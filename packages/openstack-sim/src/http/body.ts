import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {}
export class InvalidJsonError extends Error {}

const DEFAULT_JSON_LIMIT = 8 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = DEFAULT_JSON_LIMIT): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(`body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON request body; an empty body is `undefined`. */
export async function readJson(req: IncomingMessage, limit?: number): Promise<unknown> {
  const raw = await readBody(req, limit);
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch (err) {
    throw new InvalidJsonError((err as Error).message);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
