import { describe, expect, it } from 'vitest';
import { SharedRead } from './shared-read.ts';

describe('SharedRead', () => {
  it('sends one read for every caller of the same turn and gives them all its result', async () => {
    let reads = 0;
    const shared = new SharedRead(async () => ++reads);
    const results = await Promise.all([shared.join(), shared.join(), shared.join()]);
    expect(results).toEqual([1, 1, 1]);
    expect(reads).toBe(1);
  });

  it('gives a caller that joins after the read was sent a read of its own', async () => {
    let reads = 0;
    let release: (() => void) | undefined;
    const shared = new SharedRead(() => {
      reads++;
      const n = reads;
      return new Promise<number>((resolve) => {
        release = () => resolve(n);
      });
    });
    const first = shared.join();
    await new Promise((r) => setImmediate(r));
    expect(reads).toBe(1);
    const second = shared.join();
    release?.();
    expect(await first).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(reads).toBe(2);
    release?.();
    expect(await second).toBe(2);
  });

  it('fails every caller of a read that failed, and reads again for the next caller', async () => {
    let reads = 0;
    const shared = new SharedRead(async () => {
      reads++;
      if (reads === 1) throw new Error('down');
      return reads;
    });
    const [a, b] = await Promise.allSettled([shared.join(), shared.join()]);
    expect(a.status).toBe('rejected');
    expect(b.status).toBe('rejected');
    expect(await shared.join()).toBe(2);
  });
});
