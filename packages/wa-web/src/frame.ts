import { CodecError } from './errors.ts';

/** One websocket message, classified. */
export type Frame =
  | { kind: 'json'; tag: string; json: unknown }
  | { kind: 'binary'; tag: string; payload: Uint8Array }
  /** A bare `tag,`: an empty receipt the client ignores. */
  | { kind: 'empty'; tag: string }
  /** `?,,`: a keepalive ping (client to server). */
  | { kind: 'ping' }
  /** `!<ms>`: the server's keepalive, with its clock. */
  | { kind: 'pong'; timestamp: number };

/** The keepalive the client sends. */
export const KEEPALIVE_PING = '?,,';
// Tags are short ASCII ids; a longer prefix without a comma is not a frame.
const MAX_TAG_LENGTH = 128;
const COMMA = 0x2c;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a text websocket message; throws CodecError when it is not `tag,json`, `tag,,json`, `tag,`, `?,,` or `!ms`. */
export function parseTextFrame(text: string): Frame {
  if (text === KEEPALIVE_PING) return { kind: 'ping' };
  if (text.startsWith('!')) {
    const timestamp = Number(text.slice(1));
    if (!/^![0-9]+(\.[0-9]+)?$/.test(text) || !Number.isFinite(timestamp)) {
      throw new CodecError('keepalive frame must be ! followed by a timestamp');
    }
    return { kind: 'pong', timestamp };
  }
  const comma = text.indexOf(',');
  if (comma < 0 || comma > MAX_TAG_LENGTH) throw new CodecError('text frame has no tag');
  const tag = text.slice(0, comma);
  let rest = text.slice(comma + 1);
  // Some servers put an empty field between the tag and the JSON.
  if (rest.startsWith(',')) rest = rest.slice(1);
  if (rest.trim() === '') return { kind: 'empty', tag };
  try {
    return { kind: 'json', tag, json: JSON.parse(rest) as unknown };
  } catch (err) {
    throw new CodecError(`frame ${tag} does not carry JSON`, { cause: err });
  }
}

/** Parses a binary websocket message `tag,` + bytes; throws CodecError without a tag. */
export function parseBinaryFrame(data: Uint8Array): Frame {
  const limit = Math.min(data.length, MAX_TAG_LENGTH + 1);
  let comma = -1;
  for (let i = 0; i < limit; i++) {
    if (data[i] === COMMA) {
      comma = i;
      break;
    }
  }
  if (comma < 0) throw new CodecError('binary frame has no tag');
  let tag: string;
  try {
    tag = utf8.decode(data.subarray(0, comma));
  } catch (err) {
    throw new CodecError('binary frame tag is not UTF-8', { cause: err });
  }
  return { kind: 'binary', tag, payload: new Uint8Array(data.subarray(comma + 1)) };
}

/** Parses either kind of websocket message (ws v8 tells them apart with `isBinary`). */
export function parseFrame(data: Uint8Array | string, isBinary: boolean): Frame {
  if (isBinary) return parseBinaryFrame(typeof data === 'string' ? Buffer.from(data) : data);
  return parseTextFrame(typeof data === 'string' ? data : decodeText(data));
}

function decodeText(data: Uint8Array): string {
  try {
    return utf8.decode(data);
  } catch (err) {
    throw new CodecError('text frame is not UTF-8', { cause: err });
  }
}

/** `tag,json`; throws CodecError for a tag the format cannot carry. */
export function encodeTextFrame(tag: string, json: unknown): string {
  checkTag(tag);
  return `${tag},${JSON.stringify(json)}`;
}

/** `tag,` followed by the payload bytes. */
export function encodeBinaryFrame(tag: string, payload: Uint8Array): Buffer {
  checkTag(tag);
  return Buffer.concat([Buffer.from(`${tag},`, 'utf8'), payload]);
}

/** The server's keepalive answer `!<ms>`. */
export function encodePong(timestamp: number): string {
  return `!${Math.trunc(timestamp)}`;
}

function checkTag(tag: string): void {
  if (tag.length === 0 || tag.length > MAX_TAG_LENGTH || tag.includes(',')) {
    throw new CodecError(`invalid message tag ${JSON.stringify(tag.slice(0, 40))}`);
  }
}
