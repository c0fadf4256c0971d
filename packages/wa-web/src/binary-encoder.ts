import { type BinaryContent, type BinaryNode, BinaryTag, PACKED_MAX } from './binary-tags.ts';
import { CodecError } from './errors.ts';
import { tokenIndex } from './token-dictionary.ts';

/** Encoder choices the wire allows; the defaults match what the reference clients write. */
export interface EncodeOptions {
  /** Write digit strings as NIBBLE_8 and upper-case hex strings as HEX_8 (default false). */
  packed?: boolean;
}

const NIBBLE_RE = /^[0-9.-]+$/;
const HEX_RE = /^[0-9A-F]+$/;
const utf8 = new TextEncoder();

/** A growable byte sink. */
class Writer {
  #buf = new Uint8Array(256);
  #len = 0;

  byte(b: number): void {
    this.#ensure(1);
    this.#buf[this.#len++] = b & 0xff;
  }

  bytes(b: Uint8Array): void {
    this.#ensure(b.length);
    this.#buf.set(b, this.#len);
    this.#len += b.length;
  }

  result(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }

  #ensure(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }
}

/** Encodes one binary node; throws CodecError for shapes the format cannot carry. */
export function encodeBinaryNode(node: BinaryNode, options: EncodeOptions = {}): Uint8Array {
  const w = new Writer();
  writeNode(w, node, options.packed === true);
  return w.result();
}

function writeNode(w: Writer, node: BinaryNode, packed: boolean): void {
  if (!Array.isArray(node) || node.length !== 3)
    throw new CodecError('a node is [description, attributes, content]');
  const [description, attributes, content] = node;
  if (typeof description !== 'string' || description === '')
    throw new CodecError('node description must be a non-empty string');
  const keys = attributes
    ? Object.keys(attributes).filter((k) => attributes[k] !== undefined && attributes[k] !== null)
    : [];
  writeListStart(w, 1 + 2 * keys.length + (content === null || content === undefined ? 0 : 1));
  writeString(w, description, packed);
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value !== 'string') throw new CodecError(`attribute ${key} must be a string`);
    writeString(w, key, packed);
    writeString(w, value, packed);
  }
  if (content !== null && content !== undefined) writeContent(w, content, packed);
}

function writeContent(w: Writer, content: BinaryContent, packed: boolean): void {
  if (typeof content === 'string') {
    writeString(w, content, packed);
  } else if (content instanceof Uint8Array) {
    writeByteLength(w, content.length);
    w.bytes(content);
  } else if (Array.isArray(content)) {
    writeListStart(w, content.length);
    for (const child of content) writeNode(w, child, packed);
  } else {
    throw new CodecError('node content must be null, a list of nodes, a string or bytes');
  }
}

function writeListStart(w: Writer, size: number): void {
  if (size === 0) {
    w.byte(BinaryTag.LIST_EMPTY);
  } else if (size < 256) {
    w.byte(BinaryTag.LIST_8);
    w.byte(size);
  } else if (size < 65536) {
    // Two bytes, big-endian: one reference encoder writes only the low byte here, which is wrong.
    w.byte(BinaryTag.LIST_16);
    w.byte(size >> 8);
    w.byte(size);
  } else {
    throw new CodecError(`list of ${size} items is too long`);
  }
}

function writeByteLength(w: Writer, length: number): void {
  if (length >= 2 ** 32) throw new CodecError(`string of ${length} bytes is too long`);
  if (length >= 1 << 20) {
    w.byte(BinaryTag.BINARY_32);
    w.byte(length >>> 24);
    w.byte(length >>> 16);
    w.byte(length >>> 8);
    w.byte(length);
  } else if (length >= 256) {
    w.byte(BinaryTag.BINARY_20);
    w.byte((length >> 16) & 0x0f);
    w.byte(length >> 8);
    w.byte(length);
  } else {
    w.byte(BinaryTag.BINARY_8);
    w.byte(length);
  }
}

function writeString(w: Writer, value: string, packed: boolean): void {
  const index = tokenIndex(value);
  if (index !== undefined) {
    w.byte(index);
    return;
  }
  if (packed && value.length > 0 && value.length <= PACKED_MAX) {
    const packTag = NIBBLE_RE.test(value) ? BinaryTag.NIBBLE_8 : HEX_RE.test(value) ? BinaryTag.HEX_8 : 0;
    if (packTag !== 0) {
      writePacked(w, value, packTag);
      return;
    }
  }
  const at = value.indexOf('@');
  // Only a plain user@server becomes a JID_PAIR; anything with more '@' stays a raw string.
  if (at > 0 && value.indexOf('@', at + 1) === -1) {
    w.byte(BinaryTag.JID_PAIR);
    writeString(w, value.slice(0, at), packed);
    writeString(w, value.slice(at + 1), packed);
    return;
  }
  const bytes = utf8.encode(value);
  writeByteLength(w, bytes.length);
  w.bytes(bytes);
}

function writePacked(w: Writer, value: string, tag: number): void {
  w.byte(tag);
  const odd = value.length % 2;
  w.byte((odd ? 0x80 : 0) | Math.ceil(value.length / 2));
  for (let i = 0; i < value.length; i += 2) {
    const hi = packChar(tag, value[i]!);
    const lo = i + 1 < value.length ? packChar(tag, value[i + 1]!) : 15;
    w.byte((hi << 4) | lo);
  }
}

function packChar(tag: number, c: string): number {
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  if (tag === BinaryTag.HEX_8) return c.charCodeAt(0) - 55;
  return c === '-' ? 10 : 11;
}
