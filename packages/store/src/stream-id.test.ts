import { describe, expect, it } from 'vitest';
import { compareStreamIds, streamIdTime } from './stream-id.ts';

describe('compareStreamIds', () => {
  it('orders by milliseconds, then by sequence, numerically not lexically', () => {
    expect(compareStreamIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareStreamIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareStreamIds('1700000000000-5', '1700000000000-5')).toBe(0);
    expect(compareStreamIds('1700000000001-0', '1700000000000-99')).toBeGreaterThan(0);
  });

  it('treats a bare millisecond id as sequence 0', () => {
    expect(compareStreamIds('5', '5-0')).toBe(0);
    expect(compareStreamIds('5', '5-1')).toBeLessThan(0);
  });

  it('reads the append time from the id', () => {
    expect(streamIdTime('1700000000123-7')).toBe(1700000000123);
  });
});
