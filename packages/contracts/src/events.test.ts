import { describe, expect, it } from 'vitest';
import { parseEvent, StoredEvent, WireEvent } from './events.ts';

// The three examples exactly as seed 000 prints them.
const seedMessage = {
  number: 'TOKEN',
  content: 'message',
  messageId: 'false_593123456789@c.us_705C8AA536FF8F65CD',
  from: '593123456789@c.us',
  to: '593123456789@c.us',
  fromMe: false,
  body: 'Mensaje de texto',
  type: 'chat',
  timestamp: 1719598097,
  quotedMessage: null,
  hasMedia: false,
  hasQuoteMsg: false,
};
const seedMedia = {
  number: 'TOKEN',
  content: 'media',
  mediaKey: 'XZ7ICZsETL7H/PARAq/+4ETotAbW4wEXeAT7+cDZ4M4=',
  mediaData: 'https://mywhatsapp.jca.ec/assets/buffer/archivo.ogg',
  mimeType: 'audio/ogg; codecs=opus',
  fileName: 'audio.ogg',
};
const seedAck = {
  number: 'TOKEN',
  content: 'ack',
  messageId: 'false_593123456789@c.us_598740991526F70A89D883A5EB29B5EB',
  ack: 2,
};

describe('seed 000 events', () => {
  it.each([
    ['message', seedMessage],
    ['media', seedMedia],
    ['ack', seedAck],
  ])('accepts the document’s own %s example as a wire event', (_kind, example) => {
    expect(WireEvent.parse(example)).toEqual(example);
  });

  it('stores an event without number and keeps every other field as printed', () => {
    const { number: _n, ...body } = seedMessage;
    expect(parseEvent(seedMessage)).toEqual(body);
    expect(Object.keys(parseEvent(seedMessage))).toEqual(Object.keys(body));
  });

  it('keeps the seed spelling hasQuoteMsg and refuses hasQuotedMsg', () => {
    const { hasQuoteMsg: _h, ...rest } = seedMessage;
    expect(() => parseEvent({ ...rest, hasQuotedMsg: false })).toThrow();
  });

  it('refuses ack levels outside 1 sent, 2 read, 3 played', () => {
    for (const ack of [0, 4, -1, 1.5, '2']) expect(() => parseEvent({ ...seedAck, ack })).toThrow();
    for (const ack of [1, 2, 3]) expect(parseEvent({ ...seedAck, ack })).toMatchObject({ ack });
  });

  it('requires quotedMessage to be present, null when there is no quote', () => {
    const { quotedMessage: _q, ...rest } = seedMessage;
    expect(() => parseEvent(rest)).toThrow();
    expect(parseEvent({ ...seedMessage, quotedMessage: 'hola', hasQuoteMsg: true })).toMatchObject({
      hasQuoteMsg: true,
    });
  });

  it('refuses unknown kinds and extra fields', () => {
    expect(() => StoredEvent.parse({ content: 'typing' })).toThrow();
    expect(() => parseEvent({ ...seedAck, extra: 1 })).toThrow();
  });
});
