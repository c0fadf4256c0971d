import { createLogger } from '@wasock/runtime';
import { describe, expect, it } from 'vitest';
import { PublishQueue, type QueuedPublish } from './publish-queue.ts';

const logger = createLogger({ name: 'test', level: 'silent' });

describe('PublishQueue', () => {
  it('publishes in order, retrying the head until the store comes back', async () => {
    let up = false;
    const done: number[] = [];
    let retries = 0;
    const q = new PublishQueue({ maxItems: 100, logger, backoffMs: () => 5, onRetry: () => retries++ });
    for (let i = 0; i < 10; i++) {
      q.push({
        sid: 's',
        kind: 'message',
        run: async () => {
          if (!up) throw new Error('redis down');
          done.push(i);
        },
      });
    }
    await new Promise((r) => setTimeout(r, 40));
    expect(done).toEqual([]);
    up = true;
    await q.whenIdle();
    expect(done).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(retries).toBeGreaterThan(1);
  });

  it('refuses, counts and reports events beyond its bound', async () => {
    const dropped: QueuedPublish[] = [];
    const q = new PublishQueue({
      maxItems: 3,
      logger,
      backoffMs: () => 1000,
      onDropped: (i) => dropped.push(i),
    });
    const never = { sid: 's', kind: 'ack', run: () => Promise.reject(new Error('down')) };
    expect([q.push(never), q.push(never), q.push(never), q.push(never)]).toEqual([true, true, true, false]);
    expect(dropped).toHaveLength(1);
    expect(q.depth).toBe(3);
    q.stop();
    expect(dropped).toHaveLength(4);
  });
});
