import { connectRedis, newSessionId, type Redis } from '@wasock/store';
import { sharedTestRedis } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendRateLimitedError } from './errors.ts';
import { OutboundStatus } from './outbound-status.ts';
import { Outbox } from './outbox.ts';

let redis: Redis;
const boxes: Outbox[] = [];
beforeAll(async () => {
  redis = connectRedis((await sharedTestRedis()).url, { name: 'test-outbox' });
});
afterAll(async () => {
  await Promise.all(boxes.map((b) => b.close()));
  redis.disconnect();
});
const outbox = (sendsPerMinute = 100) => {
  const b = new Outbox(redis, { sendsPerMinute });
  boxes.push(b);
  return b;
};
const text = { to: '593123456789@c.us', text: 'hola' };

describe('Outbox', () => {
  it('queues a send under a fixed WhatsApp id and records it as queued', async () => {
    const box = outbox();
    const sid = newSessionId();
    const { messageId, waId, duplicate } = await box.enqueue(sid, text);
    expect(duplicate).toBe(false);
    expect(messageId).toBe(`true_593123456789@c.us_${waId}`);
    expect(await box.status(sid, waId)).toMatchObject({ messageId, state: 'queued', attempts: 0 });
    const job = await box.queue(sid).getJob(waId);
    expect(job?.data).toEqual({ sid, waId, request: text });
  });

  it('sends once per Idempotency-Key', async () => {
    const box = outbox();
    const sid = newSessionId();
    const a = await box.enqueue(sid, text, 'order-42');
    const b = await box.enqueue(sid, text, 'order-42');
    expect(b).toEqual({ ...a, duplicate: true });
    expect(await box.queue(sid).getJobCounts('waiting')).toEqual({ waiting: 1 });
  });

  it('refuses sends beyond the per-minute allowance with a retry delay, and frees the key', async () => {
    const box = outbox(2);
    const sid = newSessionId();
    await box.enqueue(sid, text);
    await box.enqueue(sid, text);
    const refused = await box.enqueue(sid, text, 'k').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(SendRateLimitedError);
    expect((refused as SendRateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
    expect((refused as SendRateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('tracks attempts, success and failure for the status route', async () => {
    const box = outbox();
    const sid = newSessionId();
    const { waId } = await box.enqueue(sid, text);
    const status = new OutboundStatus(redis);
    await status.sending(sid, waId);
    await status.failed(sid, waId, 'session not connected', false);
    expect(await box.status(sid, waId)).toMatchObject({
      state: 'queued',
      attempts: 1,
      error: 'session not connected',
    });
    await status.sending(sid, waId);
    await status.sent(sid, waId);
    expect(await box.status(sid, waId)).toMatchObject({ state: 'sent', attempts: 2 });
    expect((await box.status(sid, waId))?.error).toBeUndefined();
    expect(await status.isSent(sid, waId)).toBe(true);
    expect(await box.status(sid, 'nope')).toBeNull();
  });
});
