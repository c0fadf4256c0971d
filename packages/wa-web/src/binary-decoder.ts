import { type BinaryContent, type BinaryNode, BinaryTag } from './binary-tags.ts';
import { CodecError } from './errors.ts';
import { DOUBLE_BYTE_TOKENS, tokenAt } from './token-dictionary.ts';

// Nesting deeper than this is not something the server sends; the cap keeps a hostile buffer
// from exhausting the stack.
const MAX_DEPTH = 64;
const utf8 = new TextDecoder('utf-8');

/** A cursor over one buffer; every read checks the bounds first. */
class Reader {
  readonly #data: Uint8Array;
  #pos = 0;

  constructor(data: Uint8Array) {
    this.#data = data;
  }

  get remaining(): number {
    return this.#data.length - this.#pos;
  }

  byte(): number {
    this.#need(1);
    return this.#data[this.#pos++]!;
  }

  int(n: number): number {
    this.#need(n);
    let value = 0;
    for (let i = 0; i < n; i++) value = value * 256 + this.#data[this.#pos++]!;
    return value;
  }

  int20(): number {
    this.#need(3);
    const d = this.#data;
    const p = this.#pos;
    this.#pos += 3;
    return ((d[p]! & 0x0f) << 16) | (d[p + 1]! << 8) | d[p + 2]!;
  }

  bytes(n: number): Uint8Array {
    this.#need(n);
    // A plain Uint8Array copy, whatever subclass (Buffer) the input was.
    const out = new Uint8Array(n);
    out.set(this.#data.subarray(this.#pos, this.#pos + n));
    this.#pos += n;
    return out;
  }

  #need(n: number): void {
    if (n > this.remaining) {
      throw new CodecError(
        `binary node truncated: need ${n} bytes at offset ${this.#pos}, have ${this.remaining}`,
      );
    }
  }
}

/** Decodes one binary node; throws only CodecError, for truncation, unknown tags or trailing bytes. */
export function decodeBinaryNode(data: Uint8Array): BinaryNode {
  const reader = new Reader(data);
  const node = readNode(reader, 0);
  if (reader.remaining !== 0) throw new CodecError(`${reader.remaining} trailing bytes after binary node`);
  return node;
}

function readNode(r: Reader, depth: number): BinaryNode {
  if (depth > MAX_DEPTH) throw new CodecError('binary node nested too deeply');
  const size = readListSize(r, r.byte());
  const descTag = r.byte();
  if (descTag === BinaryTag.STREAM_END) throw new CodecError('unexpected stream end');
  const description = readString(r, descTag, depth);
  if (size === 0 || !description) throw new CodecError('invalid node: empty list or description');
  const attributes: Record<string, string> = {};
  const attrCount = (size - 1) >> 1;
  for (let i = 0; i < attrCount; i++) {
    const key = readString(r, r.byte(), depth);
    if (key === null) throw new CodecError('attribute key is null');
    // A null value (LIST_EMPTY) carries no information; keep the key with an empty value.
    // defineProperty, not assignment: a key named `__proto__` from the wire must stay a plain
    // own property and never reach the object's prototype.
    Object.defineProperty(attributes, key, {
      value: readString(r, r.byte(), depth) ?? '',
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  if (size % 2 === 1) return [description, attributes, null];
  return [description, attributes, readContent(r, depth)];
}

function readContent(r: Reader, depth: number): BinaryContent {
  const tag = r.byte();
  switch (tag) {
    case BinaryTag.LIST_EMPTY:
    case BinaryTag.LIST_8:
    case BinaryTag.LIST_16: {
      const count = readListSize(r, tag);
      // Each child takes at least two bytes: refuse counts the buffer cannot hold before looping.
      if (count * 2 > r.remaining) throw new CodecError(`list of ${count} nodes exceeds the buffer`);
      const children: BinaryNode[] = [];
      for (let i = 0; i < count; i++) children.push(readNode(r, depth + 1));
      return children;
    }
    case BinaryTag.BINARY_8:
      return r.bytes(r.byte());
    case BinaryTag.BINARY_20:
      return r.bytes(r.int20());
    case BinaryTag.BINARY_32:
      return r.bytes(r.int(4));
    default:
      return readString(r, tag, depth);
  }
}

function readListSize(r: Reader, tag: number): number {
  switch (tag) {
    case BinaryTag.LIST_EMPTY:
      return 0;
    case BinaryTag.LIST_8:
      return r.byte();
    case BinaryTag.LIST_16:
      return r.int(2);
    default:
      throw new CodecError(`invalid tag for list size: ${tag}`);
  }
}

function readString(r: Reader, tag: number, depth: number): string | null {
  if (depth > MAX_DEPTH) throw new CodecError('binary string nested too deeply');
  if (tag >= 3 && tag <= 235) {
    const token = tokenAt(tag);
    if (token === undefined) throw new CodecError(`invalid token index: ${tag}`);
    return token;
  }
  switch (tag) {
    case BinaryTag.LIST_EMPTY:
      return null;
    case BinaryTag.DICTIONARY_0:
    case BinaryTag.DICTIONARY_1:
    case BinaryTag.DICTIONARY_2:
    case BinaryTag.DICTIONARY_3: {
      const index = 256 * (tag - BinaryTag.DICTIONARY_0) + r.byte();
      const token = DOUBLE_BYTE_TOKENS[index];
      if (token === undefined) throw new CodecError(`invalid double-byte token index: ${index}`);
      return token;
    }
    case BinaryTag.BINARY_8:
      return utf8.decode(r.bytes(r.byte()));
    case BinaryTag.BINARY_20:
      return utf8.decode(r.bytes(r.int20()));
    case BinaryTag.BINARY_32:
      return utf8.decode(r.bytes(r.int(4)));
    case BinaryTag.JID_PAIR: {
      const user = readString(r, r.byte(), depth + 1);
      const server = readString(r, r.byte(), depth + 1);
      if (server === null) throw new CodecError('jid pair without a server');
      return `${user ?? ''}@${server}`;
    }
    case BinaryTag.NIBBLE_8:
    case BinaryTag.HEX_8:
      return readPacked(r, tag);
    default:
      throw new CodecError(`invalid string tag: ${tag}`);
  }
}

function readPacked(r: Reader, tag: number): string {
  const start = r.byte();
  const count = start & 0x7f;
  let out = '';
  for (let i = 0; i < count; i++) {
    const b = r.byte();
    out += unpack(tag, b >> 4) + unpack(tag, b & 0x0f);
  }
  // The high bit marks an odd number of characters: the last nibble is padding.
  return start & 0x80 ? out.slice(0, -1) : out;
}

function unpack(tag: number, nibble: number): string {
  if (tag === BinaryTag.HEX_8) return nibble < 10 ? String(nibble) : String.fromCharCode(55 + nibble);
  if (nibble <= 9) return String(nibble);
  if (nibble === 10) return '-';
  if (nibble === 11) return '.';
  if (nibble === 15) return '\0';
  throw new CodecError(`invalid nibble: ${nibble}`);
}
