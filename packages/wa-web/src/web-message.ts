import { CodecError } from './errors.ts';

/**
 * WebMessageInfo, the protobuf every message rides in (field numbers from the reference
 * `WAMessage.proto`). This is a stop-gap subset with a small schema-driven protobuf codec:
 * `@wasock/wa-proto` (the full `.proto` with protobufjs) is meant to replace it, behind these
 * same three exports.
 */

/** A message key: the chat, our side or theirs, the id, and the group author. */
export interface MessageKey {
  remoteJid?: string | null;
  fromMe?: boolean | null;
  id?: string | null;
  participant?: string | null;
}

/** Quote and mention details of a message. */
export interface ContextInfo {
  stanzaId?: string | null;
  participant?: string | null;
  quotedMessage?: WebMessage | null;
  remoteJid?: string | null;
  mentionedJid?: string[] | null;
}

/** Fields every media message shares (names as in the proto; bytes as Uint8Array). */
export interface MediaFields {
  url?: string | null;
  mimetype?: string | null;
  fileSha256?: Uint8Array | null;
  fileEncSha256?: Uint8Array | null;
  fileLength?: number | null;
  mediaKey?: Uint8Array | null;
  directPath?: string | null;
  mediaKeyTimestamp?: number | null;
  contextInfo?: ContextInfo | null;
}

/** The `Message` oneof-ish bag: the kinds the gateway understands. */
export interface WebMessage {
  conversation?: string | null;
  imageMessage?:
    | (MediaFields & { caption?: string | null; height?: number | null; width?: number | null })
    | null;
  contactMessage?: {
    displayName?: string | null;
    vcard?: string | null;
    contextInfo?: ContextInfo | null;
  } | null;
  locationMessage?: {
    degreesLatitude?: number | null;
    degreesLongitude?: number | null;
    name?: string | null;
    address?: string | null;
    contextInfo?: ContextInfo | null;
  } | null;
  extendedTextMessage?: { text?: string | null; contextInfo?: ContextInfo | null } | null;
  documentMessage?:
    | (MediaFields & { title?: string | null; fileName?: string | null; pageCount?: number | null })
    | null;
  audioMessage?: (MediaFields & { seconds?: number | null; ptt?: boolean | null }) | null;
  videoMessage?:
    | (MediaFields & { seconds?: number | null; caption?: string | null; gifPlayback?: boolean | null })
    | null;
  stickerMessage?: (MediaFields & { isAnimated?: boolean | null }) | null;
}

/** A WebMessageInfo: key, message, timestamp (seconds), status, group participant, push name. */
export interface WebMessageInfo {
  key: MessageKey;
  message?: WebMessage | null;
  messageTimestamp?: number | null;
  status?: number | null;
  participant?: string | null;
  pushName?: string | null;
}

type Scalar = 'string' | 'bool' | 'varint' | 'bytes' | 'double';
type FieldType = Scalar | { message: string } | { repeated: Scalar };
type Schema = Record<string, [number, FieldType]>;

const media = (fields: Schema): Schema => ({ ...fields, contextInfo: [17, { message: 'ContextInfo' }] });

const SCHEMAS: Record<string, Schema> = {
  WebMessageInfo: {
    key: [1, { message: 'MessageKey' }],
    message: [2, { message: 'Message' }],
    messageTimestamp: [3, 'varint'],
    status: [4, 'varint'],
    participant: [5, 'string'],
    pushName: [19, 'string'],
  },
  MessageKey: {
    remoteJid: [1, 'string'],
    fromMe: [2, 'bool'],
    id: [3, 'string'],
    participant: [4, 'string'],
  },
  Message: {
    conversation: [1, 'string'],
    imageMessage: [3, { message: 'ImageMessage' }],
    contactMessage: [4, { message: 'ContactMessage' }],
    locationMessage: [5, { message: 'LocationMessage' }],
    extendedTextMessage: [6, { message: 'ExtendedTextMessage' }],
    documentMessage: [7, { message: 'DocumentMessage' }],
    audioMessage: [8, { message: 'AudioMessage' }],
    videoMessage: [9, { message: 'VideoMessage' }],
    stickerMessage: [26, { message: 'StickerMessage' }],
  },
  ContextInfo: {
    stanzaId: [1, 'string'],
    participant: [2, 'string'],
    quotedMessage: [3, { message: 'Message' }],
    remoteJid: [4, 'string'],
    mentionedJid: [15, { repeated: 'string' }],
  },
  ExtendedTextMessage: media({ text: [1, 'string'] }),
  ContactMessage: media({ displayName: [1, 'string'], vcard: [16, 'string'] }),
  LocationMessage: media({
    degreesLatitude: [1, 'double'],
    degreesLongitude: [2, 'double'],
    name: [3, 'string'],
    address: [4, 'string'],
  }),
  ImageMessage: media({
    url: [1, 'string'],
    mimetype: [2, 'string'],
    caption: [3, 'string'],
    fileSha256: [4, 'bytes'],
    fileLength: [5, 'varint'],
    height: [6, 'varint'],
    width: [7, 'varint'],
    mediaKey: [8, 'bytes'],
    fileEncSha256: [9, 'bytes'],
    directPath: [11, 'string'],
    mediaKeyTimestamp: [12, 'varint'],
  }),
  DocumentMessage: media({
    url: [1, 'string'],
    mimetype: [2, 'string'],
    title: [3, 'string'],
    fileSha256: [4, 'bytes'],
    fileLength: [5, 'varint'],
    pageCount: [6, 'varint'],
    mediaKey: [7, 'bytes'],
    fileName: [8, 'string'],
    fileEncSha256: [9, 'bytes'],
    directPath: [10, 'string'],
    mediaKeyTimestamp: [11, 'varint'],
  }),
  AudioMessage: media({
    url: [1, 'string'],
    mimetype: [2, 'string'],
    fileSha256: [3, 'bytes'],
    fileLength: [4, 'varint'],
    seconds: [5, 'varint'],
    ptt: [6, 'bool'],
    mediaKey: [7, 'bytes'],
    fileEncSha256: [8, 'bytes'],
    directPath: [9, 'string'],
    mediaKeyTimestamp: [10, 'varint'],
  }),
  VideoMessage: media({
    url: [1, 'string'],
    mimetype: [2, 'string'],
    fileSha256: [3, 'bytes'],
    fileLength: [4, 'varint'],
    seconds: [5, 'varint'],
    mediaKey: [6, 'bytes'],
    caption: [7, 'string'],
    gifPlayback: [8, 'bool'],
    fileEncSha256: [11, 'bytes'],
    directPath: [13, 'string'],
    mediaKeyTimestamp: [14, 'varint'],
  }),
  StickerMessage: media({
    url: [1, 'string'],
    fileSha256: [2, 'bytes'],
    fileEncSha256: [3, 'bytes'],
    mediaKey: [4, 'bytes'],
    mimetype: [5, 'string'],
    directPath: [8, 'string'],
    fileLength: [9, 'varint'],
    mediaKeyTimestamp: [10, 'varint'],
    isAnimated: [13, 'bool'],
  }),
};

const BY_NUMBER = new Map<string, Map<number, [string, FieldType]>>(
  Object.entries(SCHEMAS).map(([name, schema]) => [
    name,
    new Map(
      Object.entries(schema).map(([field, [num, type]]) => [num, [field, type] as [string, FieldType]]),
    ),
  ]),
);
const MAX_DEPTH = 16;
const utf8Dec = new TextDecoder('utf-8');
const utf8Enc = new TextEncoder();

/** Decodes WebMessageInfo bytes; throws CodecError for malformed protobuf. */
export function decodeWebMessageInfo(bytes: Uint8Array): WebMessageInfo {
  const info = decodeMessage(bytes, 'WebMessageInfo', 0) as unknown as WebMessageInfo;
  info.key ??= {};
  return info;
}

/** Encodes a WebMessageInfo to protobuf bytes. */
export function encodeWebMessageInfo(info: WebMessageInfo): Uint8Array {
  return encodeMessage(info as unknown as Record<string, unknown>, 'WebMessageInfo');
}

// ---- decoding -----------------------------------------------------------------------------

function decodeMessage(bytes: Uint8Array, name: string, depth: number): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new CodecError('protobuf nested too deeply');
  const fields = BY_NUMBER.get(name)!;
  const out: Record<string, unknown> = {};
  const cur = { pos: 0 };
  while (cur.pos < bytes.length) {
    const key = readVarint(bytes, cur);
    const num = Math.floor(key / 8);
    const wire = key % 8;
    const field = fields.get(num);
    const raw = readRaw(bytes, cur, wire);
    if (!field) continue;
    const [fname, type] = field;
    if (typeof type === 'object' && 'repeated' in type) {
      const list = (out[fname] as unknown[] | undefined) ?? [];
      list.push(scalarValue(raw, wire, type.repeated));
      out[fname] = list;
    } else if (typeof type === 'object') {
      if (!(raw instanceof Uint8Array)) throw new CodecError(`field ${fname} is not length-delimited`);
      out[fname] = decodeMessage(raw, type.message, depth + 1);
    } else {
      out[fname] = scalarValue(raw, wire, type);
    }
  }
  return out;
}

function scalarValue(raw: number | Uint8Array, wire: number, type: Scalar): unknown {
  switch (type) {
    case 'string':
      if (!(raw instanceof Uint8Array)) throw new CodecError('string field is not length-delimited');
      return utf8Dec.decode(raw);
    case 'bytes':
      if (!(raw instanceof Uint8Array)) throw new CodecError('bytes field is not length-delimited');
      return raw;
    case 'bool':
      if (wire !== 0) throw new CodecError('bool field is not a varint');
      return raw !== 0;
    case 'varint':
      if (wire !== 0) throw new CodecError('integer field is not a varint');
      return raw;
    case 'double':
      if (!(raw instanceof Uint8Array) || wire !== 1) throw new CodecError('double field is not 64-bit');
      return Buffer.from(raw).readDoubleLE(0);
  }
}

function readVarint(bytes: Uint8Array, cur: { pos: number }): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (cur.pos >= bytes.length) throw new CodecError('protobuf varint truncated');
    const b = bytes[cur.pos++]!;
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return value;
    scale *= 128;
  }
  throw new CodecError('protobuf varint too long');
}

function readRaw(bytes: Uint8Array, cur: { pos: number }, wire: number): number | Uint8Array {
  switch (wire) {
    case 0:
      return readVarint(bytes, cur);
    case 1:
      return take(bytes, cur, 8);
    case 2:
      return take(bytes, cur, readVarint(bytes, cur));
    case 5:
      return take(bytes, cur, 4);
    default:
      throw new CodecError(`unsupported protobuf wire type ${wire}`);
  }
}

function take(bytes: Uint8Array, cur: { pos: number }, n: number): Uint8Array {
  if (n > bytes.length - cur.pos) throw new CodecError('protobuf field truncated');
  const out = new Uint8Array(bytes.subarray(cur.pos, cur.pos + n));
  cur.pos += n;
  return out;
}

// ---- encoding -----------------------------------------------------------------------------

function encodeMessage(value: Record<string, unknown>, name: string): Uint8Array {
  const schema = SCHEMAS[name]!;
  const parts: Uint8Array[] = [];
  for (const [fname, [num, type]] of Object.entries(schema)) {
    const v = value[fname];
    if (v === undefined || v === null) continue;
    if (typeof type === 'object' && 'repeated' in type) {
      for (const item of v as unknown[]) parts.push(encodeScalar(num, type.repeated, item));
    } else if (typeof type === 'object') {
      parts.push(lengthDelimited(num, encodeMessage(v as Record<string, unknown>, type.message)));
    } else {
      parts.push(encodeScalar(num, type, v));
    }
  }
  return Buffer.concat(parts);
}

function encodeScalar(num: number, type: Scalar, v: unknown): Uint8Array {
  switch (type) {
    case 'string':
      return lengthDelimited(num, utf8Enc.encode(String(v)));
    case 'bytes':
      return lengthDelimited(num, v as Uint8Array);
    case 'bool':
      return Buffer.concat([varint(num * 8), varint(v ? 1 : 0)]);
    case 'varint':
      return Buffer.concat([varint(num * 8), varint(Number(v))]);
    case 'double': {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(Number(v));
      return Buffer.concat([varint(num * 8 + 1), b]);
    }
  }
}

function lengthDelimited(num: number, body: Uint8Array): Uint8Array {
  return Buffer.concat([varint(num * 8 + 2), varint(body.length), body]);
}

function varint(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new CodecError(`cannot encode ${n} as a protobuf varint`);
  const out: number[] = [];
  let v = n;
  while (v >= 128) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Uint8Array.from(out);
}

/** The content of a message, under the name `@wasock/wa-proto` uses. */
export type Message = WebMessage;
/** The media message types, under the names `@wasock/wa-proto` uses. */
export type ImageMessage = NonNullable<WebMessage['imageMessage']>;
export type VideoMessage = NonNullable<WebMessage['videoMessage']>;
export type AudioMessage = NonNullable<WebMessage['audioMessage']>;
export type DocumentMessage = NonNullable<WebMessage['documentMessage']>;
export type StickerMessage = NonNullable<WebMessage['stickerMessage']>;
