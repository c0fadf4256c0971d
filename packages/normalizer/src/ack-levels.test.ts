import type { AckLevel } from '@wasock/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWaAckLevel, nextAck, toSeedAckLevel, type WaAckLevel } from './ack-levels.ts';

describe('toSeedAckLevel', () => {
  it('maps server and delivered to sent, read to read, played to played', () => {
    expect(toSeedAckLevel(1)).toBe(1);
    expect(toSeedAckLevel(2)).toBe(1);
    expect(toSeedAckLevel(3)).toBe(2);
    expect(toSeedAckLevel(4)).toBe(3);
  });

  it('publishes nothing for error and pending', () => {
    expect(toSeedAckLevel(-1)).toBeNull();
    expect(toSeedAckLevel(0)).toBeNull();
  });
});

describe('nextAck', () => {
  // Every previous seed state × every WhatsApp level, the expected result written out by hand.
  const table: [AckLevel | undefined, WaAckLevel, AckLevel | null][] = [
    [undefined, -1, null],
    [undefined, 0, null],
    [undefined, 1, 1],
    [undefined, 2, 1],
    [undefined, 3, 2],
    [undefined, 4, 3],
    [1, -1, null],
    [1, 0, null],
    [1, 1, null],
    [1, 2, null],
    [1, 3, 2],
    [1, 4, 3],
    [2, -1, null],
    [2, 0, null],
    [2, 1, null],
    [2, 2, null],
    [2, 3, null],
    [2, 4, 3],
    [3, -1, null],
    [3, 0, null],
    [3, 1, null],
    [3, 2, null],
    [3, 3, null],
    [3, 4, null],
  ];
  it.each(table)('after %s a WhatsApp level %s publishes %s', (previous, wa, expected) => {
    expect(nextAck(previous, wa)).toBe(expected);
  });

  it('publishes strictly rising levels ending at the highest, for every order of receipts', () => {
    const levels = fc.array(fc.constantFrom<WaAckLevel>(-1, 0, 1, 2, 3, 4), { maxLength: 12 });
    fc.assert(
      fc.property(levels, (receipts) => {
        let state: AckLevel | undefined;
        const published: AckLevel[] = [];
        for (const wa of receipts) {
          const level = nextAck(state, wa);
          if (level !== null) {
            published.push(level);
            state = level;
          }
        }
        for (let i = 1; i < published.length; i++) expect(published[i]!).toBeGreaterThan(published[i - 1]!);
        const highest = receipts.map(toSeedAckLevel).reduce<number>((max, l) => Math.max(max, l ?? 0), 0);
        expect(published.at(-1) ?? 0).toBe(highest);
      }),
    );
  });
});

describe('isWaAckLevel', () => {
  it('accepts −1 to 4 and nothing else', () => {
    expect([-1, 0, 1, 2, 3, 4].every(isWaAckLevel)).toBe(true);
    expect([-2, 5, 1.5, '2', null, undefined, Number.NaN].some(isWaAckLevel)).toBe(false);
  });
});
