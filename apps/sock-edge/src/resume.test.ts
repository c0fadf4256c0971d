import type { LiveEntry } from '@wasock/store';
import { describe, expect, it } from 'vitest';
import { planResume } from './resume.ts';

const entries = (from: number, to: number): LiveEntry[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    id: `${1000 + from + i}-0`,
    n: from + i,
    epoch: 'ep',
    body: '{}',
  }));

describe('planResume', () => {
  it('replays everything stored to a seed client, with no resume status', () => {
    const stored = entries(11, 60);
    expect(planResume(undefined, { epoch: 'ep', entries: stored })).toEqual({ entries: stored });
  });

  it('sends only what follows since when nothing was trimmed', () => {
    const plan = planResume({ epoch: 'ep', n: 55 }, { epoch: 'ep', entries: entries(11, 60) });
    expect(plan.status).toBe('ok');
    expect(plan.entries.map((e) => e.n)).toEqual([56, 57, 58, 59, 60]);
  });

  it('is ok with nothing to send when the client is up to date', () => {
    expect(planResume({ epoch: 'ep', n: 60 }, { epoch: 'ep', entries: entries(11, 60) })).toEqual({
      status: 'ok',
      entries: [],
    });
  });

  it('is ok when since is the entry just before the oldest stored one', () => {
    const plan = planResume({ epoch: 'ep', n: 10 }, { epoch: 'ep', entries: entries(11, 60) });
    expect(plan).toMatchObject({ status: 'ok' });
    expect(plan.entries).toHaveLength(50);
  });

  it('says trimmed and replays all when events between since and the oldest were lost', () => {
    const plan = planResume({ epoch: 'ep', n: 5 }, { epoch: 'ep', entries: entries(11, 60) });
    expect(plan.status).toBe('trimmed');
    expect(plan.entries).toHaveLength(50);
  });

  it('says reset and replays all when the stream epoch changed', () => {
    const plan = planResume({ epoch: 'old', n: 5 }, { epoch: 'ep', entries: entries(1, 3) });
    expect(plan.status).toBe('reset');
    expect(plan.entries).toHaveLength(3);
  });

  it('says reset when the stream no longer exists', () => {
    expect(planResume({ epoch: 'ep', n: 5 }, { epoch: null, entries: [] })).toEqual({
      status: 'reset',
      entries: [],
    });
  });
});
