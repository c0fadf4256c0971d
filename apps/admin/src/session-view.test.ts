import { describe, expect, it } from 'vitest';
import { toAdminEvent, toAdminSession } from './session-view.ts';

const record = {
  sid: '00ff00ff00ff00ff',
  state: 'awaiting_scan' as const,
  label: 'shop',
  created: 1,
  tokenHash: 'f'.repeat(64),
  qr: 'ref,pub,client',
};

describe('toAdminSession', () => {
  it('never shows the token hash and fills absent fields with null', () => {
    const s = toAdminSession(record);
    expect(s).toEqual({
      sid: record.sid,
      state: 'awaiting_scan',
      label: 'shop',
      connector: null,
      created: 1,
      updated: null,
      qr: 'ref,pub,client',
      owner: null,
      reason: null,
      revoked: null,
    });
    expect(JSON.stringify(s)).not.toContain(record.tokenHash);
  });

  it('shows a QR only while awaiting a scan', () => {
    expect(toAdminSession({ ...record, state: 'connected' }).qr).toBeNull();
  });
});

describe('toAdminEvent', () => {
  const ack = { content: 'ack', messageId: 'false_1@c.us_A', ack: 2 };

  it('parses a stored body into a seed 000 event', () => {
    expect(toAdminEvent({ id: '1-0', n: 1, epoch: 'e', body: JSON.stringify(ack) })).toEqual({
      id: '1-0',
      n: 1,
      epoch: 'e',
      event: ack,
    });
  });

  it('refuses bodies that are not JSON or not a seed event', () => {
    expect(toAdminEvent({ id: '1-0', n: 1, epoch: 'e', body: '{nope' })).toBeNull();
    expect(toAdminEvent({ id: '1-0', n: 1, epoch: 'e', body: '{"content":"other"}' })).toBeNull();
  });
});
