import { MessageEvent } from '@wasock/contracts';
import type { WebMessageInfo } from '@wasock/wa-proto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TEXT } from './clip.ts';
import { normalizeMessage } from './message-normalizer.ts';

const ctx = { ownJid: '593987654321@s.whatsapp.net' };
const key = { remoteJid: '593123456789@s.whatsapp.net', fromMe: false, id: 'ABC' };

describe('normalizeMessage', () => {
  it('returns null when the key has no chat or no id', () => {
    const message = { conversation: 'x' };
    expect(normalizeMessage({ key: { ...key, id: '' }, message }, ctx)).toBeNull();
    expect(normalizeMessage({ key: { ...key, remoteJid: null }, message }, ctx)).toBeNull();
  });

  it('returns null when the id is too long for the event schema', () => {
    expect(
      normalizeMessage({ key: { ...key, id: 'A'.repeat(600) }, message: { conversation: 'x' } }, ctx),
    ).toBeNull();
  });

  it('uses timestamp 0 when the message has none or a nonsensical one', () => {
    expect(normalizeMessage({ key, message: { conversation: 'x' } }, ctx)?.event.timestamp).toBe(0);
    expect(
      normalizeMessage({ key, message: { conversation: 'x' }, messageTimestamp: -5 }, ctx)?.event.timestamp,
    ).toBe(0);
  });

  it('unwraps a view-once photo', () => {
    const info: WebMessageInfo = {
      key,
      message: { viewOnceMessage: { message: { imageMessage: { caption: 'una vez' } } } },
    };
    expect(normalizeMessage(info, ctx)?.event).toMatchObject({
      type: 'image',
      body: 'una vez',
      hasMedia: false,
    });
  });

  it('takes the quote from a media caption message', () => {
    const info: WebMessageInfo = {
      key,
      message: {
        imageMessage: {
          caption: 'esta',
          contextInfo: { stanzaId: 'Q', quotedMessage: { conversation: '¿cuál foto?' } },
        },
      },
    };
    expect(normalizeMessage(info, ctx)?.event).toMatchObject({
      quotedMessage: '¿cuál foto?',
      hasQuoteMsg: true,
    });
  });

  it('has no quote when the context info names a stanza but carries no quoted message', () => {
    const info: WebMessageInfo = {
      key,
      message: {
        extendedTextMessage: { text: 'x', contextInfo: { stanzaId: 'Q', mentionedJid: ['a@c.us'] } },
      },
    };
    expect(normalizeMessage(info, ctx)?.event).toMatchObject({ quotedMessage: null, hasQuoteMsg: false });
  });

  it('cuts bodies and quotes to the schema limit without splitting a surrogate pair', () => {
    const long = `${'a'.repeat(MAX_TEXT - 1)}😀tail`;
    const info: WebMessageInfo = {
      key,
      message: {
        extendedTextMessage: { text: long, contextInfo: { quotedMessage: { conversation: long } } },
      },
    };
    const event = normalizeMessage(info, ctx)!.event;
    expect(event.body).toBe('a'.repeat(MAX_TEXT - 1));
    expect(event.quotedMessage).toBe('a'.repeat(MAX_TEXT - 1));
    expect(MessageEvent.safeParse(event).success).toBe(true);
  });

  it('produces events the contract accepts for any text, jid and timestamp', () => {
    const jid = fc.stringMatching(/^[0-9]{6,15}(:[0-9]{1,2})?@(s\.whatsapp\.net|c\.us|g\.us)$/);
    fc.assert(
      fc.property(
        jid,
        fc.boolean(),
        fc.stringMatching(/^[0-9A-F]{10,32}$/),
        fc.string({ maxLength: 200 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.option(jid, { nil: undefined }),
        (remoteJid, fromMe, id, text, messageTimestamp, participant) => {
          const info: WebMessageInfo = {
            key: { remoteJid, fromMe, id, participant },
            message: { conversation: text },
            messageTimestamp,
          };
          const result = normalizeMessage(info, ctx);
          expect(result).not.toBeNull();
          expect(MessageEvent.safeParse(result!.event).success).toBe(true);
          expect(result!.event.from.endsWith('@s.whatsapp.net')).toBe(false);
          expect(result!.event.to.endsWith('@s.whatsapp.net')).toBe(false);
        },
      ),
    );
  });
});
