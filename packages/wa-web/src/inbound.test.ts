import { describe, expect, it } from 'vitest';
import { interpretNode } from './inbound.ts';
import { receiptFromMsg, receiptFromNode } from './receipts.ts';

describe('inbound node interpretation', () => {
  it('splits an action into messages, receipts, battery and frequent contacts', () => {
    const bytes = new Uint8Array([1, 2]);
    const items = interpretNode([
      'action',
      { add: 'before', last: 'true' },
      [
        ['message', {}, bytes],
        ['received', { type: 'read', jid: '1@s.whatsapp.net', index: 'X', owner: 'true' }, null],
        ['battery', { value: '21', live: 'true', powersave: 'false' }, null],
        ['contacts', { type: 'frequent' }, [['image', { jid: '2@s.whatsapp.net' }, null]]],
        ['mystery', {}, null],
      ],
    ]);
    expect(items).toEqual([
      { type: 'message', add: 'before', last: true, bytes },
      {
        type: 'receipt',
        receipt: { ids: ['X'], ack: 3, remoteJid: '1@c.us', fromMe: true, source: 'received' },
      },
      { type: 'battery', value: 21, live: true, powersave: false },
      { type: 'frequent', jids: ['2@c.us'] },
      { type: 'other', node: ['mystery', {}, null] },
    ]);
  });

  it('reads the chat and contact lists and their duplicate flag', () => {
    const [chats] = interpretNode([
      'response',
      { type: 'chat' },
      [
        [
          'chat',
          {
            jid: '1@s.whatsapp.net',
            count: '0',
            t: '1584197869',
            mute: '0',
            modify_tag: '111421',
            spam: 'false',
          },
          null,
        ],
      ],
    ]);
    expect(chats).toEqual({
      type: 'chats',
      duplicate: false,
      chats: [{ jid: '1@c.us', count: 0, t: 1584197869, mute: '0', modifyTag: '111421', spam: false }],
    });
    const [dup] = interpretNode(['response', { type: 'contacts', duplicate: 'true' }, null]);
    expect(dup).toEqual({ type: 'contacts', duplicate: true, contacts: [] });
  });
});

describe('receipts', () => {
  it('names the chat by the end that is not us, whichever way from/to point', () => {
    const me = '33600000000@c.us';
    const a = receiptFromMsg('Msg', { cmd: 'ack', id: 'A', ack: 3, from: '1@c.us', to: me, t: 5 }, me);
    const b = receiptFromMsg('Msg', { cmd: 'ack', id: 'A', ack: 3, from: me, to: '1@c.us' }, me);
    expect(a).toEqual({ ids: ['A'], ack: 3, remoteJid: '1@c.us', fromMe: true, t: 5, source: 'Msg' });
    expect(b.remoteJid).toBe('1@c.us');
  });

  it('maps received types to levels and ignores what is not a receipt', () => {
    const node = (type: string) => ['received', { type, jid: '1@s.whatsapp.net', index: 'I' }, null] as const;
    expect(['error', 'message', 'read', 'played'].map((t) => receiptFromNode([...node(t)])?.ack)).toEqual([
      -1, 2, 3, 4,
    ]);
    expect(receiptFromNode(['received', { type: 'bogus', jid: 'x', index: 'I' }, null])).toBeNull();
    expect(receiptFromNode(['message', {}, null])).toBeNull();
  });
});
