import { normalizeMessage } from '@wasock/normalizer';
import { proto } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { toWebMessageInfo } from './convert.ts';

const CONTACT = '593123456789@s.whatsapp.net';
const ME = '593987654321:7@s.whatsapp.net';

describe('toWebMessageInfo', () => {
  it('turns Longs into numbers, keeps bytes and drops prototype defaults', () => {
    const mediaKey = Buffer.alloc(32, 7);
    const msg = proto.WebMessageInfo.fromObject({
      key: { remoteJid: CONTACT, fromMe: false, id: '3EB0A1' },
      message: {
        audioMessage: {
          url: 'https://mmg.whatsapp.net/v/t62.7117-24/1.enc?ccb=11-4',
          directPath: '/v/t62.7117-24/1.enc?ccb=11-4',
          mimetype: 'audio/ogg; codecs=opus',
          fileLength: 12345,
          seconds: 3,
          ptt: true,
          mediaKey,
          mediaKeyTimestamp: 1_719_598_000,
        },
      },
      messageTimestamp: 1_719_598_097,
      status: proto.WebMessageInfo.Status.DELIVERY_ACK,
      pushName: 'Contact',
    });
    // Decoded from the wire, as Baileys hands it out: 64-bit fields are Longs.
    const wire = proto.WebMessageInfo.decode(proto.WebMessageInfo.encode(msg).finish());
    expect(typeof wire.messageTimestamp).toBe('object');

    const info = toWebMessageInfo(wire);
    expect(info.messageTimestamp).toBe(1_719_598_097);
    expect(info.status).toBe(3);
    expect(info.message?.audioMessage?.fileLength).toBe(12345);
    expect(info.message?.audioMessage?.mediaKeyTimestamp).toBe(1_719_598_000);
    expect(Buffer.from(info.message!.audioMessage!.mediaKey!)).toEqual(mediaKey);
    expect(info.key).toEqual({ remoteJid: CONTACT, fromMe: false, id: '3EB0A1' });
    // Unset fields stay absent (no proto defaults), as the normalizer expects.
    expect('conversation' in info.message!).toBe(false);
    expect('participant' in info).toBe(false);
  });

  it('names people by phone number when Baileys addresses them by LID', () => {
    const msg = {
      ...proto.WebMessageInfo.fromObject({
        key: { remoteJid: '112233445566@lid', fromMe: false, id: 'A1', participant: '998877@lid' },
        message: { conversation: 'hola' },
      }),
    };
    Object.assign(msg.key!, { remoteJidAlt: CONTACT, participantAlt: '593111111111@s.whatsapp.net' });
    const info = toWebMessageInfo(msg);
    expect(info.key.remoteJid).toBe(CONTACT);
    expect(info.key.participant).toBe('593111111111@s.whatsapp.net');
  });

  it('keeps a LID when it is all Baileys knows', () => {
    const info = toWebMessageInfo({ key: { remoteJid: '112233445566@lid', id: 'A2' } });
    expect(info.key.remoteJid).toBe('112233445566@lid');
  });

  it('feeds the shared normalizer: a Baileys text and a quoted reply become seed 000 messages', () => {
    const text = toWebMessageInfo(
      proto.WebMessageInfo.decode(
        proto.WebMessageInfo.encode({
          key: { remoteJid: CONTACT, fromMe: false, id: '3EB0B2' },
          message: {
            extendedTextMessage: {
              text: '¡Claro!',
              contextInfo: {
                stanzaId: '3EB0A1',
                participant: CONTACT,
                quotedMessage: { conversation: 'Hola' },
              },
            },
          },
          messageTimestamp: 1_719_598_100,
        }).finish(),
      ),
    );
    expect(normalizeMessage(text, { ownJid: ME })?.event).toEqual({
      content: 'message',
      messageId: 'false_593123456789@c.us_3EB0B2',
      from: '593123456789@c.us',
      to: '593987654321@c.us',
      fromMe: false,
      body: '¡Claro!',
      type: 'chat',
      timestamp: 1_719_598_100,
      quotedMessage: 'Hola',
      hasMedia: false,
      hasQuoteMsg: true,
    });
  });
});
