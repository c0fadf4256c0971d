import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtoError } from './proto-error.ts';
import { decodeWebMessageInfo, encodeWebMessageInfo } from './web-message-codec.ts';
import { type WebMessageInfo, WebMessageInfoStatus } from './web-message-info.ts';

// A tiny protobuf writer that knows nothing of the schema, so the known-answer vectors below
// are built independently of protobufjs. Every tag is written out by hand as
// (field_number << 3) | wire_type: wire type 0 = varint, 1 = 64-bit, 2 = length-delimited.
const ascii = (s: string): number[] => [...Buffer.from(s, 'utf8')];
/** A length-delimited field: its tag bytes, a one-byte length (bodies here stay < 128), the body. */
const ld = (tag: number[], body: number[]): number[] => {
  if (body.length >= 128) throw new Error('vector body too long for a one-byte length');
  return [...tag, body.length, ...body];
};
const bytes = (...parts: number[][]): Uint8Array => Uint8Array.from(parts.flat());

const REMOTE = '593123456789@s.whatsapp.net';

// WebMessageInfo.key (1, LEN) = 0x0a
//   MessageKey.remoteJid (1, LEN) = 0x0a · fromMe (2, VARINT) = 0x10 · id (3, LEN) = 0x1a
const keyField = (fromMe: 0 | 1, id: string): number[] =>
  ld([0x0a], [...ld([0x0a], ascii(REMOTE)), 0x10, fromMe, ...ld([0x1a], ascii(id))]);

// messageTimestamp (3, VARINT) = 0x18; 1719598097 as a varint, 7 bits at a time, low first:
//   1719598097 = 0x11 + 0x78·2^7 + 0x7b·2^14 + 0x33·2^21 + 0x06·2^28
//   → 0x91 0xf8 0xfb 0xb3 0x06 (continuation bit 0x80 on all but the last byte)
const timestampField = [0x18, 0x91, 0xf8, 0xfb, 0xb3, 0x06];

describe('decodeWebMessageInfo known answers', () => {
  it('decodes a hand-built reply with a quoted conversation, status, participant and push name', () => {
    const vector = bytes(
      keyField(0, '705C8AA536FF8F65CD'),
      // message (2, LEN) = 0x12 → Message.extendedTextMessage (6, LEN) = 0x32
      ld(
        [0x12],
        ld(
          [0x32],
          [
            ...ld([0x0a], ascii('Mensaje de texto')), // ExtendedTextMessage.text (1, LEN)
            // ExtendedTextMessage.contextInfo (17, LEN): 17·8+2 = 138 → varint 0x8a 0x01
            ...ld(
              [0x8a, 0x01],
              [
                ...ld([0x0a], ascii('QUOTED1')), // ContextInfo.stanzaId (1, LEN)
                ...ld([0x12], ascii(REMOTE)), // ContextInfo.participant (2, LEN)
                // ContextInfo.quotedMessage (3, LEN) = 0x1a → Message.conversation (1, LEN) = 0x0a
                ...ld([0x1a], ld([0x0a], ascii('hola'))),
              ],
            ),
          ],
        ),
      ),
      timestampField,
      [0x20, 0x03], // status (4, VARINT) = DELIVERY_ACK
      ld([0x2a], ascii('593555444333@s.whatsapp.net')), // participant (5, LEN)
      ld([0x9a, 0x01], ascii('Ana')), // pushName (19, LEN): 19·8+2 = 154 → 0x9a 0x01
    );

    expect(decodeWebMessageInfo(vector)).toEqual({
      key: { remoteJid: REMOTE, fromMe: false, id: '705C8AA536FF8F65CD' },
      message: {
        extendedTextMessage: {
          text: 'Mensaje de texto',
          contextInfo: { stanzaId: 'QUOTED1', participant: REMOTE, quotedMessage: { conversation: 'hola' } },
        },
      },
      messageTimestamp: 1719598097,
      status: WebMessageInfoStatus.DELIVERY_ACK,
      participant: '593555444333@s.whatsapp.net',
      pushName: 'Ana',
    });
  });

  it('decodes a hand-built voice note with its media fields', () => {
    // Short stand-ins for the 32-byte hashes and key keep every length a single byte.
    const sha = [0, 1, 2, 3, 4, 5, 6, 7];
    const encSha = [255, 254, 253, 252, 251, 250, 249, 248];
    const mediaKey = [0, 7, 14, 21, 28, 35, 42, 49];
    const vector = bytes(
      keyField(1, 'VOICE1'),
      // message (2, LEN) → Message.audioMessage (8, LEN): 8·8+2 = 66 = 0x42
      ld(
        [0x12],
        ld(
          [0x42],
          [
            ...ld([0x0a], ascii('https://mmg.whatsapp.net/d/f/voice.enc')), // url (1, LEN)
            ...ld([0x12], ascii('audio/ogg; codecs=opus')), // mimetype (2, LEN)
            ...ld([0x1a], sha), // fileSha256 (3, LEN)
            ...[0x20, 0xd2, 0x09], // fileLength (4, VARINT): 1234 = 0x52 + 0x09·128 → 0xd2 0x09
            ...[0x28, 0x07], // seconds (5, VARINT) = 7
            ...[0x30, 0x01], // ptt (6, VARINT) = true
            ...ld([0x3a], mediaKey), // mediaKey (7, LEN): 7·8+2 = 58 = 0x3a
            ...ld([0x42], encSha), // fileEncSha256 (8, LEN)
          ],
        ),
      ),
    );

    const info = decodeWebMessageInfo(vector);
    expect(info.key).toEqual({ remoteJid: REMOTE, fromMe: true, id: 'VOICE1' });
    const audio = info.message?.audioMessage;
    expect(audio).toMatchObject({
      url: 'https://mmg.whatsapp.net/d/f/voice.enc',
      mimetype: 'audio/ogg; codecs=opus',
      fileLength: 1234,
      seconds: 7,
      ptt: true,
    });
    expect([...(audio?.fileSha256 ?? [])]).toEqual(sha);
    expect([...(audio?.mediaKey ?? [])]).toEqual(mediaKey);
    expect([...(audio?.fileEncSha256 ?? [])]).toEqual(encSha);
  });

  it('decodes hand-built image, video, document and sticker media keys at their own field numbers', () => {
    const key = [0xaa, 0xbb];
    const vector = bytes(
      keyField(0, 'MEDIA1'),
      ld(
        [0x12],
        [
          ...ld([0x1a], [...ld([0x1a], ascii('foto')), ...ld([0x42], key)]), // image (3): caption 3, mediaKey 8
          ...ld([0x4a], [...ld([0x32], key), ...ld([0x3a], ascii('clip'))]), // video (9): mediaKey 6, caption 7
          ...ld([0x3a], [...ld([0x3a], key), ...ld([0x42], ascii('a.pdf'))]), // document (7): mediaKey 7, fileName 8
          ...ld([0xd2, 0x01], [...ld([0x22], key), ...ld([0x2a], ascii('image/webp'))]), // sticker (26): mediaKey 4, mimetype 5
        ],
      ),
    );

    const message = decodeWebMessageInfo(vector).message;
    expect(message?.imageMessage?.caption).toBe('foto');
    expect([...(message?.imageMessage?.mediaKey ?? [])]).toEqual(key);
    expect(message?.videoMessage?.caption).toBe('clip');
    expect([...(message?.videoMessage?.mediaKey ?? [])]).toEqual(key);
    expect(message?.documentMessage?.fileName).toBe('a.pdf');
    expect([...(message?.documentMessage?.mediaKey ?? [])]).toEqual(key);
    expect(message?.stickerMessage?.mimetype).toBe('image/webp');
    expect([...(message?.stickerMessage?.mediaKey ?? [])]).toEqual(key);
  });

  it('decodes hand-built location doubles and a contact vcard', () => {
    const vector = bytes(
      keyField(0, 'LOC1'),
      ld(
        [0x12],
        [
          // locationMessage (5, LEN) = 0x2a; degreesLatitude (1, I64) = 0x09, degreesLongitude (2, I64) = 0x11
          // 1.5 = 0x3ff8000000000000 and -2.25 = 0xc002000000000000, little-endian on the wire
          ...ld(
            [0x2a],
            [
              ...[0x09, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f],
              ...[0x11, 0, 0, 0, 0, 0, 0, 0x02, 0xc0],
              ...ld([0x1a], ascii('Quito')), // name (3, LEN)
            ],
          ),
          // contactMessage (4, LEN) = 0x22; displayName (1) = 0x0a; vcard (16, LEN): 16·8+2 = 130 → 0x82 0x01
          ...ld([0x22], [...ld([0x0a], ascii('Ana')), ...ld([0x82, 0x01], ascii('BEGIN:VCARD'))]),
        ],
      ),
    );

    const message = decodeWebMessageInfo(vector).message;
    expect(message?.locationMessage).toEqual({
      degreesLatitude: 1.5,
      degreesLongitude: -2.25,
      name: 'Quito',
    });
    expect(message?.contactMessage).toEqual({ displayName: 'Ana', vcard: 'BEGIN:VCARD' });
  });

  it('skips fields the subset does not declare', () => {
    // WebMessageInfo.starred (17, VARINT): 17·8+0 = 136 → 0x88 0x01, then true
    const vector = bytes(keyField(0, 'X1'), [0x88, 0x01, 0x01]);
    expect(decodeWebMessageInfo(vector)).toEqual({ key: { remoteJid: REMOTE, fromMe: false, id: 'X1' } });
  });
});

describe('encodeWebMessageInfo', () => {
  it('writes the hand-computed bytes for a plain conversation', () => {
    const encoded = encodeWebMessageInfo({
      key: { remoteJid: REMOTE, fromMe: false, id: 'A1' },
      message: { conversation: 'hi' },
      messageTimestamp: 1719598097,
    });
    expect([...encoded]).toEqual([
      ...keyField(0, 'A1'),
      ...ld([0x12], ld([0x0a], ascii('hi'))),
      ...timestampField,
    ]);
  });

  it('treats null fields as absent', () => {
    const info: WebMessageInfo = { key: { remoteJid: REMOTE, fromMe: null, id: 'N1' }, message: null };
    expect(decodeWebMessageInfo(encodeWebMessageInfo(info))).toEqual({
      key: { remoteJid: REMOTE, id: 'N1' },
    });
  });

  it('rejects a field of the wrong type with a ProtoError', () => {
    const bad = { key: { remoteJid: 42 } } as unknown as WebMessageInfo;
    expect(() => encodeWebMessageInfo(bad)).toThrow(ProtoError);
  });
});

describe('round trip', () => {
  const jid = fc.stringMatching(/^[0-9]{6,15}@(s\.whatsapp\.net|g\.us)$/);
  const bin = fc.uint8Array({ minLength: 1, maxLength: 40 });
  const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const contextInfo = fc.record(
    {
      stanzaId: fc.string({ minLength: 1 }),
      participant: jid,
      quotedMessage: fc.record({ conversation: fc.string() }),
    },
    { requiredKeys: [] },
  );
  const message = fc.oneof(
    fc.record({ conversation: fc.string() }),
    fc.record({ extendedTextMessage: fc.record({ text: fc.string(), contextInfo: opt(contextInfo) }) }),
    fc.record({
      imageMessage: fc.record({
        url: fc.webUrl(),
        mimetype: fc.constant('image/jpeg'),
        caption: opt(fc.string()),
        fileSha256: bin,
        fileLength: fc.nat(),
        mediaKey: bin,
        fileEncSha256: bin,
      }),
    }),
    fc.record({
      audioMessage: fc.record({ ptt: fc.boolean(), mediaKey: bin, seconds: fc.nat({ max: 3600 }) }),
    }),
    fc.record({
      locationMessage: fc.record({
        degreesLatitude: fc.double({ min: -90, max: 90, noNaN: true }),
        degreesLongitude: fc.double({ min: -180, max: 180, noNaN: true }),
      }),
    }),
  );
  const info = fc.record(
    {
      key: fc.record({ remoteJid: jid, fromMe: fc.boolean(), id: fc.stringMatching(/^[0-9A-F]{1,32}$/) }),
      message: message,
      messageTimestamp: fc.integer({ min: 0, max: 2 ** 40 }),
      status: fc.constantFrom(0, 1, 2, 3, 4, 5),
      participant: jid,
      pushName: fc.string(),
    },
    { requiredKeys: ['key'] },
  );

  it('decodes what it encodes', () => {
    fc.assert(
      fc.property(info, (value) => {
        const decoded = decodeWebMessageInfo(encodeWebMessageInfo(value as WebMessageInfo));
        expect(normalizeBytes(decoded)).toEqual(normalizeBytes(dropUndefined(value)));
      }),
    );
  });

  it('returns byte fields that do not alias the input buffer', () => {
    const input = encodeWebMessageInfo({ key: { id: 'K' }, message: { imageMessage: { mediaKey: bin1() } } });
    const decoded = decodeWebMessageInfo(input);
    input.fill(0);
    expect([...(decoded.message?.imageMessage?.mediaKey ?? [])]).toEqual([...bin1()]);
  });
});

describe('bad bytes', () => {
  it('throws ProtoError with code proto_error for truncated input', () => {
    const cut = encodeWebMessageInfo({ key: { remoteJid: REMOTE, id: 'T1' } }).subarray(0, 5);
    const thrown = catchError(() => decodeWebMessageInfo(cut));
    expect(thrown).toBeInstanceOf(ProtoError);
    expect((thrown as ProtoError).code).toBe('proto_error');
  });

  it('throws ProtoError when the required key is missing', () => {
    expect(() => decodeWebMessageInfo(new Uint8Array(0))).toThrow(ProtoError);
  });

  it('throws ProtoError for input that is not bytes', () => {
    expect(() => decodeWebMessageInfo('0a00' as unknown as Uint8Array)).toThrow(ProtoError);
  });

  it('throws ProtoError for very deep nesting instead of overflowing the stack', () => {
    const thrown = catchError(() => decodeWebMessageInfo(deeplyQuoted(20_000)));
    expect(thrown === undefined || thrown instanceof ProtoError).toBe(true);
  });

  it('either decodes random bytes or throws ProtoError, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (input) => {
        const thrown = catchError(() => decodeWebMessageInfo(input));
        if (thrown !== undefined) {
          expect(thrown).toBeInstanceOf(ProtoError);
          expect((thrown as ProtoError).code).toBe('proto_error');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes valid bytes with random garbage appended to a ProtoError or a message, never a crash', () => {
    const valid = encodeWebMessageInfo({
      key: { remoteJid: REMOTE, id: 'G1' },
      message: { conversation: 'x' },
    });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (tail) => {
        const thrown = catchError(() => decodeWebMessageInfo(Uint8Array.from([...valid, ...tail])));
        expect(thrown === undefined || thrown instanceof ProtoError).toBe(true);
      }),
    );
  });
});

function bin1(): Uint8Array {
  return Uint8Array.from([9, 8, 7]);
}

/**
 * A WebMessageInfo whose reply quotes a reply that quotes a reply… `depth` times:
 * Message.extendedTextMessage (6) → contextInfo (17) → quotedMessage (3) → Message …
 * Built from the inside out, collecting headers only, so it stays linear in `depth`.
 */
function deeplyQuoted(depth: number): Uint8Array {
  const headers: number[][] = [];
  let size = 0;
  const wrap = (tag: number[]) => {
    const header = [...tag, ...varint(size)];
    headers.push(header);
    size += header.length;
  };
  for (let i = 0; i < depth; i++) {
    wrap([0x1a]); // ContextInfo.quotedMessage
    wrap([0x8a, 0x01]); // ExtendedTextMessage.contextInfo
    wrap([0x32]); // Message.extendedTextMessage
  }
  wrap([0x12]); // WebMessageInfo.message
  return Uint8Array.from([...headers.reverse().flat(), ...keyField(0, 'DEEP')]);
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 128) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function catchError(run: () => unknown): unknown {
  try {
    run();
    return undefined;
  } catch (err) {
    return err;
  }
}

function dropUndefined(value: unknown): unknown {
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, dropUndefined(v)]),
  );
}

function normalizeBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return [...value];
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeBytes(v)]));
}
