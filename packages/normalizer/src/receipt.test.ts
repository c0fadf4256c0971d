import { describe, expect, it } from 'vitest';
import { receiptFromNode, receiptsFromTextFrame } from './receipt.ts';

const ctx = { ownJid: '593987654321@s.whatsapp.net' };

describe('receiptsFromTextFrame', () => {
  it('reads a single Msg ack with the chat in to', () => {
    const frame = [
      'Msg',
      { cmd: 'ack', id: 'M1', ack: 3, from: '593987654321@c.us', to: '593123456789@c.us', t: 1719598097 },
    ];
    expect(receiptsFromTextFrame(frame, ctx)).toEqual([
      { fromMe: true, remoteJid: '593123456789@c.us', id: 'M1', level: 3, t: 1719598097 },
    ]);
  });

  it('reads the chat from from when to is our own jid', () => {
    const frame = [
      'MsgInfo',
      { cmd: 'ack', id: 'M1', ack: 2, from: '593123456789@c.us', to: '593987654321@c.us' },
    ];
    expect(receiptsFromTextFrame(frame, ctx)[0]?.remoteJid).toBe('593123456789@c.us');
  });

  it('splits an acks batch into one receipt per id and skips ids that are not strings', () => {
    const frame = ['Msg', { cmd: 'acks', id: ['M1', 7, '', 'M2'], ack: 4, to: '593123456789@c.us' }];
    expect(receiptsFromTextFrame(frame, ctx).map((r) => [r.id, r.level])).toEqual([
      ['M1', 4],
      ['M2', 4],
    ]);
  });

  it('accepts numeric strings for ack and t and keeps the participant in c.us form', () => {
    const frame = [
      'Msg',
      {
        cmd: 'ack',
        id: 'G1',
        ack: '3',
        to: '593999000111-1600000000@g.us',
        participant: '593555444333@s.whatsapp.net',
        t: '1719598097',
      },
    ];
    expect(receiptsFromTextFrame(frame, ctx)).toEqual([
      {
        fromMe: true,
        remoteJid: '593999000111-1600000000@g.us',
        id: 'G1',
        level: 3,
        participant: '593555444333@c.us',
        t: 1719598097,
      },
    ]);
  });

  it('returns nothing for other frames, unknown levels or no chat', () => {
    const to = '593123456789@c.us';
    expect(receiptsFromTextFrame(['Presence', { cmd: 'ack', id: 'M1', ack: 3, to }], ctx)).toEqual([]);
    expect(receiptsFromTextFrame(['Msg', { cmd: 'ack', id: 'M1', ack: 5, to }], ctx)).toEqual([]);
    expect(receiptsFromTextFrame(['Msg', { cmd: 'ack', id: 'M1', ack: 2.5, to }], ctx)).toEqual([]);
    expect(receiptsFromTextFrame(['Msg', { cmd: 'ack', id: 'M1', ack: 3 }], ctx)).toEqual([]);
    expect(receiptsFromTextFrame(['Msg', null], ctx)).toEqual([]);
    expect(receiptsFromTextFrame('Msg', ctx)).toEqual([]);
  });
});

describe('receiptFromNode', () => {
  it('maps received types to WhatsApp levels', () => {
    const level = (type: string) =>
      receiptFromNode(['received', { type, jid: '593123456789@s.whatsapp.net', index: 'M1' }, null])?.level;
    expect([level('error'), level('message'), level('read'), level('played')]).toEqual([-1, 2, 3, 4]);
  });

  it('treats a node without a type as delivered, as WhatsApp Web does', () => {
    const node = ['received', { jid: '593123456789@s.whatsapp.net', index: 'M1' }, null];
    expect(receiptFromNode(node)).toEqual({
      fromMe: true,
      remoteJid: '593123456789@c.us',
      id: 'M1',
      level: 2,
    });
  });

  it('marks a receipt as about a received message when owner is false', () => {
    const node = [
      'received',
      { type: 'read', jid: '593123456789@s.whatsapp.net', index: 'M1', owner: 'false' },
    ];
    expect(receiptFromNode(node)?.fromMe).toBe(false);
  });

  it('returns null for other nodes and for received nodes missing jid, index or a known type', () => {
    expect(receiptFromNode(['user', { jid: 'x@s.whatsapp.net', index: 'M1' }, null])).toBeNull();
    expect(receiptFromNode(['received', { type: 'read', index: 'M1' }, null])).toBeNull();
    expect(receiptFromNode(['received', { type: 'read', jid: 'x@s.whatsapp.net' }, null])).toBeNull();
    expect(
      receiptFromNode(['received', { type: 'retry', jid: 'x@s.whatsapp.net', index: 'M1' }, null]),
    ).toBeNull();
    expect(receiptFromNode(['received', null, null])).toBeNull();
    expect(receiptFromNode(undefined)).toBeNull();
  });
});
