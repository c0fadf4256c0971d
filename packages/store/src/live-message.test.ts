import { describe, expect, it } from 'vitest';
import { StoreError } from './errors.ts';
import { decodeLiveEntry, encodeLiveEntry } from './live-message.ts';

describe('live entries', () => {
  it('round-trips a body that itself contains spaces', () => {
    const entry = { id: '1700000000000-0', n: 42, epoch: 'abc123', body: '{"body":"hola que tal"}' };
    expect(decodeLiveEntry(encodeLiveEntry(entry))).toEqual(entry);
  });

  it('refuses payloads without all four fields or with a bad sequence', () => {
    expect(() => decodeLiveEntry('1-0 5 ep')).toThrow(StoreError);
    expect(() => decodeLiveEntry('1-0 x ep {}')).toThrow(StoreError);
  });
});
