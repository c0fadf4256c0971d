import { describe, expect, it } from 'vitest';
import { isRunnable, plan, type SessionView } from './scheduler.ts';

const session = (
  sid: string,
  owner: string | null = null,
  extra: Partial<SessionView> = {},
): SessionView => ({
  sid,
  state: 'connected',
  revoked: false,
  owner,
  ...extra,
});
const many = (n: number, owner: string | null = null) =>
  Array.from({ length: n }, (_, i) => session(`s${i}`, owner));

describe('plan', () => {
  it('claims every unowned session when it is the only worker', () => {
    expect(plan('w1', ['w1'], many(5)).claim).toHaveLength(5);
  });

  it('claims only its fair share when other workers are alive', () => {
    expect(plan('w1', ['w1', 'w2'], many(20)).claim).toHaveLength(10);
    expect(plan('w1', ['w1', 'w2', 'w3'], many(20)).claim).toHaveLength(7);
  });

  it('spreads the first claims of two workers over different sessions', () => {
    const a = new Set(plan('w1', ['w1', 'w2'], many(20)).claim);
    const b = plan('w2', ['w1', 'w2'], many(20)).claim;
    expect(b.filter((sid) => a.has(sid)).length).toBeLessThan(10);
  });

  it('takes over the sessions of a dead worker once its leases expire', () => {
    const sessions = [...many(10, 'w1').map((s, i) => ({ ...s, sid: `a${i}` })), ...many(10)];
    const p = plan('w1', ['w1'], sessions);
    expect(p.claim).toHaveLength(10);
    expect(p.release).toEqual([]);
  });

  it('sheds one session per round when above its share, so a new worker gets some', () => {
    const p = plan('w1', ['w1', 'w2'], many(10, 'w1'));
    expect(p.release).toHaveLength(1);
    expect(p.claim).toEqual([]);
  });

  it('releases sessions that are revoked, logged out or replaced, and never claims them', () => {
    const sessions = [
      session('r', 'w1', { revoked: true }),
      session('l', 'w1', { state: 'logged_out' }),
      session('x', null, { state: 'replaced' }),
    ];
    expect(plan('w1', ['w1'], sessions)).toEqual({ claim: [], release: ['r', 'l'] });
  });

  it('treats new, awaiting_scan, connected and failed sessions as runnable', () => {
    for (const state of ['new', 'awaiting_scan', 'connected', 'failed'] as const) {
      expect(isRunnable({ state, revoked: false })).toBe(true);
    }
    expect(isRunnable({ state: 'logged_out', revoked: false })).toBe(false);
  });
});
