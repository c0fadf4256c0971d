import { sharedTestRedis } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dedupe } from './dedupe.ts';
import { keys } from './keys.ts';
import { decodeLiveEntry } from './live-message.ts';
import { StreamPublisher } from './publisher.ts';
import { connectRedis, type Redis } from './redis.ts';
import { readAfter, readLatest } from './stream-reader.ts';
import { newSessionId } from './token-store.ts';

const ack = (i: number) => ({ content: 'ack', messageId: `true_1@c.us_${i}`, ack: 1 });

let redis: Redis;
let sub: Redis;
beforeAll(async () => {
  const { url } = await sharedTestRedis();
  redis = connectRedis(url, { name: 'test-publisher' });
  sub = connectRedis(url, { name: 'test-sub' });
});
afterAll(() => {
  redis.disconnect();
  sub.disconnect();
});

describe('StreamPublisher', () => {
  it('keeps exactly the last 50 events, oldest first, numbered from 1', async () => {
    const sid = newSessionId();
    const pub = new StreamPublisher(redis);
    for (let i = 1; i <= 60; i++) await pub.publish(sid, ack(i));
    expect(await redis.xlen(keys.events(sid))).toBe(50);
    const { entries, epoch } = await readLatest(redis, sid, 50);
    expect(entries.map((e) => e.n)).toEqual(Array.from({ length: 50 }, (_, i) => i + 11));
    expect(JSON.parse(entries[0]!.body)).toEqual(ack(11));
    expect(epoch).toMatch(/^[0-9a-z]+$/);
  });

  it('publishes each entry on the live channel in the same step, with id, sequence and epoch', async () => {
    const sid = newSessionId();
    const pub = new StreamPublisher(redis);
    const got: string[] = [];
    sub.on('message', (channel: string, msg: string) => {
      if (channel === keys.live(sid)) got.push(msg);
    });
    await sub.subscribe(keys.live(sid));
    const a = await pub.publish(sid, ack(1));
    const b = await pub.publish(sid, ack(2));
    await new Promise((r) => setTimeout(r, 50));
    expect(got.map(decodeLiveEntry)).toEqual([
      { id: a.id, n: 1, epoch: a.epoch, body: JSON.stringify(ack(1)) },
      { id: b.id, n: 2, epoch: a.epoch, body: JSON.stringify(ack(2)) },
    ]);
    expect(b.eventId).toBe(`${a.epoch}:2`);
  });

  it('stores bodies as ASCII JSON without the number field', async () => {
    const sid = newSessionId();
    const pub = new StreamPublisher(redis);
    const msg = {
      number: 'TOKEN',
      content: 'message',
      messageId: 'false_593@c.us_1',
      from: '593@c.us',
      to: '594@c.us',
      fromMe: false,
      body: 'Canción ñ 😀',
      type: 'chat',
      timestamp: 1719598097,
      quotedMessage: null,
      hasMedia: false,
      hasQuoteMsg: false,
    };
    await pub.publish(sid, msg);
    const [entry] = (await readLatest(redis, sid, 50)).entries;
    expect(entry!.body).toMatch(/^[\x20-\x7e]+$/);
    expect(entry!.body).not.toContain('TOKEN');
    expect(JSON.parse(entry!.body).body).toBe('Canción ñ 😀');
  });

  it('refuses an event that breaks the seed contract and stores nothing', async () => {
    const sid = newSessionId();
    const pub = new StreamPublisher(redis);
    await expect(pub.publish(sid, { content: 'ack', messageId: 'x', ack: 7 })).rejects.toThrow();
    expect(await redis.exists(keys.events(sid))).toBe(0);
  });

  it('reads what came after a given entry id', async () => {
    const sid = newSessionId();
    const pub = new StreamPublisher(redis, { maxLen: 5 });
    const ids = [];
    for (let i = 1; i <= 4; i++) ids.push((await pub.publish(sid, ack(i))).id);
    const after = await readAfter(redis, sid, ids[1]!, 100);
    expect(after.entries.map((e) => e.n)).toEqual([3, 4]);
  });
});

describe('StreamPublisher.publishOnce', () => {
  it('publishes a WhatsApp message id once, however often it is re-delivered', async () => {
    const sid = newSessionId();
    const pub = new StreamPublisher(redis);
    expect(await pub.publishOnce(sid, ack(1), dedupe.message('M1'))).not.toBeNull();
    expect(await pub.publishOnce(sid, ack(1), dedupe.message('M1'))).toBeNull();
    expect(await pub.publishOnce(sid, ack(2), dedupe.message('M2'))).not.toBeNull();
    expect(await redis.xlen(keys.events(sid))).toBe(2);
  });

  it('publishes an ack only when its level rises for that message', async () => {
    const sid = newSessionId();
    const pub = new StreamPublisher(redis);
    const level = (l: 1 | 2 | 3) => pub.publishOnce(sid, { ...ack(1), ack: l }, dedupe.ack('M', l));
    expect(await level(1)).not.toBeNull();
    expect(await level(1)).toBeNull();
    expect(await level(3)).not.toBeNull();
    expect(await level(2)).toBeNull();
    expect((await readLatest(redis, sid, 50)).entries.map((e) => JSON.parse(e.body).ack)).toEqual([1, 3]);
  });

  it('forgets marks older than the dedupe TTL', async () => {
    const sid = newSessionId();
    const pub = new StreamPublisher(redis, { dedupeTtlMs: 50 });
    await pub.publishOnce(sid, ack(1), dedupe.message('old'));
    await new Promise((r) => setTimeout(r, 80));
    await pub.publishOnce(sid, ack(2), dedupe.message('other'));
    expect(await redis.zscore(keys.seen(sid), 'm:old')).toBeNull();
  });
});
