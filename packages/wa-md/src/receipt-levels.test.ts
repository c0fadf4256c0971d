import { proto } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { levelOfStatus, levelOfUserReceipt } from './receipt-levels.ts';

const S = proto.WebMessageInfo.Status;

describe('receipt levels', () => {
  it('maps WebMessageInfo.Status to WhatsApp levels (SERVER_ACK 1 … PLAYED 4)', () => {
    expect([S.SERVER_ACK, S.DELIVERY_ACK, S.READ, S.PLAYED].map(levelOfStatus)).toEqual([1, 2, 3, 4]);
    expect(levelOfStatus(S.ERROR)).toBe(-1);
    expect(levelOfStatus(S.PENDING)).toBe(0);
  });

  it('ignores statuses Baileys does not define and updates without a status', () => {
    expect(levelOfStatus(6)).toBeNull();
    expect(levelOfStatus(undefined)).toBeNull();
    expect(levelOfStatus(null)).toBeNull();
  });

  it('reads the highest level of a per-user receipt, with its time', () => {
    expect(levelOfUserReceipt({ userJid: 'a@s.whatsapp.net', receiptTimestamp: 10 })).toEqual({
      ack: 2,
      t: 10,
    });
    expect(levelOfUserReceipt({ receiptTimestamp: 10, readTimestamp: 11 })).toEqual({ ack: 3, t: 11 });
    // As decoded from the wire: the timestamps are protobufjs Longs.
    const played = proto.UserReceipt.fromObject({ readTimestamp: 11, playedTimestamp: 12 });
    expect(typeof played.playedTimestamp).toBe('object');
    expect(levelOfUserReceipt(played)).toEqual({ ack: 4, t: 12 });
    expect(levelOfUserReceipt({ userJid: 'a@s.whatsapp.net' })).toBeNull();
    expect(levelOfUserReceipt({ readTimestamp: 0 })).toBeNull();
  });
});
