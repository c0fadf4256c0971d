import { describe, expect, it } from 'vitest';
import { StartSignal } from './start-signal.ts';

describe('StartSignal', () => {
  it('resolves the promise of the current connect() once; later calls change nothing', async () => {
    const signal = new StartSignal();
    const started = signal.begin();
    signal.resolve();
    signal.reject(new Error('too late'));
    await expect(started).resolves.toBeUndefined();
  });

  it('rejects with the reason when the connector stops first', async () => {
    const signal = new StartSignal();
    const started = signal.begin();
    signal.reject(new Error('closed by owner'));
    signal.resolve();
    await expect(started).rejects.toThrow('closed by owner');
  });
});
