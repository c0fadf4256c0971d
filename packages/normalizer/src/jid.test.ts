import { describe, expect, it } from 'vitest';
import { toChatJid } from './jid.ts';
import { messageIdOf } from './message-id.ts';

describe('toChatJid', () => {
  it('renders s.whatsapp.net jids as c.us', () => {
    expect(toChatJid('593123456789@s.whatsapp.net')).toBe('593123456789@c.us');
  });

  it('leaves c.us, group and broadcast jids as they are', () => {
    expect(toChatJid('593123456789@c.us')).toBe('593123456789@c.us');
    expect(toChatJid('593999000111-1600000000@g.us')).toBe('593999000111-1600000000@g.us');
    expect(toChatJid('status@broadcast')).toBe('status@broadcast');
  });

  it('drops the device of a multi-device user jid', () => {
    expect(toChatJid('593123456789:12@s.whatsapp.net')).toBe('593123456789@c.us');
    expect(toChatJid('593123456789:0@c.us')).toBe('593123456789@c.us');
  });
});

describe('messageIdOf', () => {
  it('joins fromMe, the chat in c.us form and the id with underscores', () => {
    expect(
      messageIdOf({ fromMe: false, remoteJid: '593123456789@s.whatsapp.net', id: '705C8AA536FF8F65CD' }),
    ).toBe('false_593123456789@c.us_705C8AA536FF8F65CD');
    expect(messageIdOf({ fromMe: true, remoteJid: '593999000111-1600000000@g.us', id: 'X' })).toBe(
      'true_593999000111-1600000000@g.us_X',
    );
  });
});
