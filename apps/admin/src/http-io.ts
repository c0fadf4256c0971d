import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './errors.ts';

/** Largest request body accepted (64 KiB): the API's bodies are a few bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/** 413: the body is over the cap. */
export class BodyTooLargeError extends ApiError {
  constructor(limit: number) {
    super(413, 'body_too_large', `request bodies are limited to ${limit} bytes`, { connection: 'close' });
  }
}

/**
 * Reads a JSON request body (an empty body is `undefined`). Refuses oversized bodies as soon
 * as the declared length or the bytes read pass `limit`, without buffering the rest.
 */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ApiError(415, 'unsupported_media_type', 'request bodies must be application/json');
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw new ApiError(400, 'invalid_json', `the body is not valid JSON: ${(err as Error).message}`);
  }
}

/** Headers every answer carries: nothing is cached, sniffed or framed. */
export const BASE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/** Writes a JSON answer. */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  sendBody(res, status, `${JSON.stringify(value)}\n`, 'application/json; charset=utf-8', headers);
}

/** Writes a body of any type. */
export function sendBody(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...BASE_HEADERS,
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/** Writes `{ "error": { code, message } }`. */
export function sendError(res: ServerResponse, err: ApiError): void {
  sendJson(res, err.status, { error: { code: err.code, message: err.message } }, err.headers);
}
