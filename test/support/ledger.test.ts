import { describe, expect, it } from 'vitest';
import { compareLedger } from './ledger.ts';

describe('compareLedger', () => {
  it('is clean when everything arrived once, in order', () => {
    expect(compareLedger(['a', 'b', 'c'], ['a', 'b', 'c'])).toEqual({
      sent: 3,
      received: 3,
      lost: [],
      duplicated: [],
      outOfOrder: 0,
    });
  });

  it('reports lost, duplicated and reordered ids', () => {
    const r = compareLedger(['a', 'b', 'c', 'd'], ['a', 'c', 'b', 'c']);
    expect(r.lost).toEqual(['d']);
    expect(r.duplicated).toEqual(['c']);
    expect(r.outOfOrder).toBe(1);
  });
});
