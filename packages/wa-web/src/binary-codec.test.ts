import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBinaryNode } from './binary-decoder.ts';
import { encodeBinaryNode } from './binary-encoder.ts';
import type { BinaryNode } from './binary-tags.ts';
import { CodecError } from './errors.ts';
import { SINGLE_BYTE_TOKENS, tokenIndex } from './token-dictionary.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const tokens = SINGLE_BYTE_TOKENS.filter((t): t is string => t !== null);

// Strings that come back as strings when used as node content: tokens and user@server jids.
const tokenArb = fc.constantFrom(...tokens);
const textArb = fc.string({ unit: 'grapheme', maxLength: 40 });
const jidArb = fc
  .tuple(fc.stringMatching(/^[0-9]{1,15}$/), fc.constantFrom('s.whatsapp.net', 'g.us', 'broadcast', 'c.us'))
  .map(([u, s]) => `${u}@${s}`);
const attrValueArb = fc.oneof(textArb, tokenArb, jidArb, fc.stringMatching(/^[0-9A-F]{1,60}$/));
const attrsArb = fc.dictionary(fc.oneof(tokenArb, fc.string({ minLength: 1, maxLength: 12 })), attrValueArb, {
  maxKeys: 5,
});
const descArb = fc.oneof(tokenArb, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }));

const nodeArb: fc.Arbitrary<BinaryNode> = fc.letrec<{ node: BinaryNode }>((tie) => ({
  node: fc.tuple(
    descArb,
    attrsArb,
    fc.oneof(
      { depthSize: 'small' },
      fc.constant(null),
      fc.uint8Array({ maxLength: 300 }),
      tokenArb,
      jidArb,
      fc.array(tie('node'), { maxLength: 4 }),
    ),
  ) as fc.Arbitrary<BinaryNode>,
})).node;

describe('binary node codec', () => {
  it('decodes the 37-byte known-answer vector of wa-protocol.md', () => {
    const node = decodeBinaryNode(
      hex('f8063f2dfafc083132333435363738 5027 fc0431323334 f801 f80228fc0701020304050607'),
    );
    expect(node).toEqual([
      'picture',
      { jid: '12345678@s.whatsapp.net', id: '1234' },
      [['image', {}, new Uint8Array([1, 2, 3, 4, 5, 6, 7])]],
    ]);
  });

  it('encodes the known-answer node back to the same 37 bytes', () => {
    const bytes = encodeBinaryNode([
      'picture',
      { jid: '12345678@s.whatsapp.net', id: '1234' },
      [['image', {}, new Uint8Array([1, 2, 3, 4, 5, 6, 7])]],
    ]);
    expect(Buffer.from(bytes).toString('hex')).toBe(
      'f8063f2dfafc0831323334353637385027fc0431323334f801f80228fc0701020304050607',
    );
  });

  it('keeps the reference token indexes', () => {
    expect(SINGLE_BYTE_TOKENS).toHaveLength(176);
    expect([tokenIndex('200'), tokenIndex('message'), tokenIndex('read'), tokenIndex('received')]).toEqual([
      3, 52, 70, 72,
    ]);
    expect([tokenIndex('relay'), tokenIndex('s.whatsapp.net'), tokenIndex('recent')]).toEqual([75, 80, 175]);
  });

  it('round-trips any node through encode and decode', () => {
    fc.assert(
      fc.property(nodeArb, fc.boolean(), (node, packed) => {
        expect(decodeBinaryNode(encodeBinaryNode(node, { packed }))).toEqual(node);
      }),
      { numRuns: 400 },
    );
  });

  it('writes LIST_16 with a two-byte big-endian size and BINARY_20/BINARY_32 lengths', () => {
    const children: BinaryNode[] = Array.from({ length: 300 }, () => ['item', {}, null]);
    const bytes = encodeBinaryNode(['response', {}, children]);
    expect([...bytes.subarray(0, 6)]).toEqual([248, 2, 77, 249, 0x01, 0x2c]);
    expect(decodeBinaryNode(bytes)[2]).toHaveLength(300);
    const big = new Uint8Array((1 << 20) + 5).fill(9);
    const bigBytes = encodeBinaryNode(['media', {}, big]);
    expect(bigBytes[3]).toBe(254);
    expect((decodeBinaryNode(bigBytes)[2] as Uint8Array).length).toBe(big.length);
    const mid = encodeBinaryNode(['media', {}, new Uint8Array(1000)]);
    expect([...mid.subarray(3, 6)]).toEqual([253, 0x00, 0x03]);
  });

  it('packs digits as NIBBLE_8 and hex as HEX_8 when asked, odd counts included', () => {
    const nib = encodeBinaryNode(['x', { id: '12345' }, null], { packed: true });
    expect([...nib.subarray(-5)]).toEqual([255, 0x83, 0x12, 0x34, 0x5f]);
    const hx = encodeBinaryNode(['x', { id: '3EB0A' }, null], { packed: true });
    expect([...hx.subarray(-5)]).toEqual([251, 0x83, 0x3e, 0xb0, 0xaf]);
    expect(decodeBinaryNode(nib)[1]).toEqual({ id: '12345' });
    expect(decodeBinaryNode(hx)[1]).toEqual({ id: '3EB0A' });
  });

  it('decodes a jid pair with an empty user half and refuses the empty double-byte dictionaries', () => {
    expect(decodeBinaryNode(Uint8Array.from([248, 3, 40, 45, 250, 0, 80]))[1]).toEqual({
      jid: '@s.whatsapp.net',
    });
    expect(() => decodeBinaryNode(Uint8Array.from([248, 1, 236, 0]))).toThrow(CodecError);
  });

  it('keeps an attribute named __proto__ as a plain own property', () => {
    const attrs = JSON.parse('{"__proto__":"A"}') as Record<string, string>;
    const node = decodeBinaryNode(encodeBinaryNode(['x', attrs, null]));
    expect(Object.keys(node[1])).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(node[1])).toBe(Object.prototype);
  });

  it('refuses placeholder tokens, stream end, trailing bytes and an empty description', () => {
    for (const bad of [[248, 1, 1], [248, 1, 200], [248, 1, 2], [248, 1, 40, 0], [248, 1, 252, 0], [0]]) {
      expect(() => decodeBinaryNode(Uint8Array.from(bad)), JSON.stringify(bad)).toThrow(CodecError);
    }
  });

  it('throws only CodecError for random buffers and never hangs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeBinaryNode(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(CodecError);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('throws only CodecError for every truncation and random corruption of valid nodes', () => {
    fc.assert(
      fc.property(nodeArb, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), (node, cut, at, value) => {
        const bytes = encodeBinaryNode(node);
        const truncated = bytes.subarray(0, cut % Math.max(1, bytes.length));
        expect(() => decodeBinaryNode(truncated)).toThrow(CodecError);
        const corrupt = Uint8Array.from(bytes);
        corrupt[at % corrupt.length] = value;
        try {
          decodeBinaryNode(corrupt);
        } catch (err) {
          expect(err).toBeInstanceOf(CodecError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses deeply nested lists with CodecError instead of overflowing the stack', () => {
    const parts: number[] = [];
    for (let i = 0; i < 5000; i++) parts.push(248, 2, 40, 248, 1);
    expect(() => decodeBinaryNode(Uint8Array.from(parts))).toThrow(CodecError);
  });

  it('refuses nodes the format cannot carry when encoding', () => {
    expect(() => encodeBinaryNode(['', {}, null])).toThrow(CodecError);
    expect(() => encodeBinaryNode(['a', {}, 5 as unknown as null])).toThrow(CodecError);
  });
});
