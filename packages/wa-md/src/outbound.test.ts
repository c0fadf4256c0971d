import { proto } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { toBaileysMessage, toMultiDeviceJid } from './outbound.ts';

describe('toMultiDeviceJid', () => {
  it('addresses a phone by @s.whatsapp.net and leaves groups and wire jids alone', () => {
    expect(toMultiDeviceJid('593123456789@c.us')).toBe('593123456789@s.whatsapp.net');
    expect(toMultiDeviceJid('593123456789@s.whatsapp.net')).toBe('593123456789@s.whatsapp.net');
    expect(toMultiDeviceJid('593123456789-1600000000@g.us')).toBe('593123456789-1600000000@g.us');
  });
});

describe('toBaileysMessage', () => {
  it('builds a proto Message with media bytes and numbers as given', () => {
    const mediaKey = new Uint8Array(32).fill(7);
    const m = toBaileysMessage({
      imageMessage: {
        url: 'https://mmg.whatsapp.net/v/1',
        mimetype: 'image/jpeg',
        mediaKey,
        fileLength: 1234,
      },
    });
    expect(m).toBeInstanceOf(proto.Message);
    expect(Buffer.from(m.imageMessage!.mediaKey!)).toEqual(Buffer.from(mediaKey));
    expect(Number(m.imageMessage!.fileLength)).toBe(1234);
  });

  it('names the quoted author of a media reply by phone-number jid', () => {
    const m = toBaileysMessage({
      documentMessage: { url: 'u', contextInfo: { stanzaId: 'Q', participant: '593123456789@c.us' } },
    });
    expect(m.documentMessage?.contextInfo?.participant).toBe('593123456789@s.whatsapp.net');
  });

  it('refuses something that is not a message with bad_message', () => {
    expect(() => toBaileysMessage({ imageMessage: 'not an object' } as never)).toThrow(
      expect.objectContaining({ code: 'bad_message' }),
    );
  });
});
