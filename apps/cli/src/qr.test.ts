import type { SessionRecord } from '@wasock/store';
import { describe, expect, it } from 'vitest';
import { waitReason } from './qr.ts';

const base: SessionRecord = { sid: 'ab'.repeat(8), state: 'new', label: '', created: 1, tokenHash: 'h' };
const reason = (patch: Partial<SessionRecord>, leaseOwner: string | null = null, liveWorkers = 1) =>
  waitReason({ record: { ...base, ...patch }, leaseOwner, liveWorkers });

describe('waitReason', () => {
  it('does not wait when there is a QR to show or the session is connected', () => {
    expect(reason({ state: 'awaiting_scan', qr: '2@x' }, 'w1')).toBeNull();
    expect(reason({ state: 'connected' }, 'w1')).toBeNull();
  });

  it('says when no worker runs to claim a new session', () => {
    expect(reason({}, null, 0)).toContain('no session worker is running');
    expect(reason({}, null, 2)).toContain('waiting for a session worker to claim it');
    expect(reason({}, 'w-7')).toContain('worker w-7 is starting');
  });

  it('explains logged out, replaced and failed sessions with their reason and the way out', () => {
    expect(reason({ state: 'logged_out', reason: 'phone' }, 'w1')).toContain(
      'logged out (phone); waiting for the new QR',
    );
    expect(reason({ state: 'logged_out' })).toContain('wasock session restart');
    expect(reason({ state: 'replaced', reason: 'conflict' }, 'w1')).toMatch(
      /replaced .*\(conflict\).*restart/,
    );
    expect(reason({ state: 'failed', reason: 'qr_expired' })).toMatch(/failed \(qr_expired\).*restart/);
    expect(reason({ state: 'failed' }, null, 0)).toContain('no session worker is running');
  });

  it('keeps escapes from the stored reason off the terminal', () => {
    expect(reason({ state: 'replaced', reason: '\x1b[2J' })).not.toContain('\x1b');
  });
});
