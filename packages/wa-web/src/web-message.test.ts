import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError } from './errors.ts';
import { decodeWebMessageInfo, encodeWebMessageInfo, type WebMessageInfo } from './web-message.ts';

// The codec is @wasock/wa-proto's; these tests pin what wa-web relies on (CodecError only).
describe('WebMessageInfo codec', () => {
  it('encodes the protobuf wire bytes worked out by hand from WAMessage.proto field numbers', () => {
    // key(1){remoteJid(1)"a", fromMe(2) false, id(3)"b"}, message(2){conversation(1)"hi"}, messageTimestamp(3) 300
    const bytes = encodeWebMessageInfo({
      key: { remoteJid: 'a', fromMe: false, id: 'b' },
      message: { conversation: 'hi' },
      messageTimestamp: 300,
    });
    expect(Buffer.from(bytes).toString('hex')).toBe('0a080a016110001a01621204' + '0a026869' + '18ac02');
  });

  it('round-trips quoted text, voice notes and documents', () => {
    const info: WebMessageInfo = {
      key: { remoteJid: '1@s.whatsapp.net', fromMe: false, id: '3EB0AA', participant: '2@s.whatsapp.net' },
      message: {
        extendedTextMessage: {
          text: 'reply',
          contextInfo: {
            stanzaId: 'X',
            participant: '3@s.whatsapp.net',
            quotedMessage: { conversation: 'orig' },
          },
        },
        audioMessage: { ptt: true, seconds: 4, mediaKey: new Uint8Array([1, 2]), url: 'http://x/y' },
        documentMessage: { fileName: 'a.pdf', fileLength: 2 ** 40 },
        locationMessage: { degreesLatitude: 48.85, degreesLongitude: -2.35 },
      },
      messageTimestamp: 1_700_000_000,
      status: 2,
      pushName: 'Zoé',
    };
    expect(decodeWebMessageInfo(encodeWebMessageInfo(info))).toEqual(info);
  });

  it('skips unknown fields and throws only CodecError for random bytes', () => {
    // key(1) empty, then field 127 (unknown) = 1.
    expect(decodeWebMessageInfo(Uint8Array.from([0x0a, 0x00, 0xf8, 0x07, 0x01]))).toEqual({ key: {} });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        try {
          decodeWebMessageInfo(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(CodecError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
