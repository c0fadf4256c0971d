import { randomBytes } from 'node:crypto';
import { createLogger, createRegistry } from '@wasock/runtime';
import { connectRedis, newSessionId, type Redis, readLatest, StreamPublisher } from '@wasock/store';
import { sharedTestRedis, waitFor } from '@wasock/testkit';
import { encryptMedia } from '@wasock/wa-web';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaQueue, startMediaWorker } from './media-jobs.ts';
import { createWorkerMetrics } from './metrics.ts';
import { type MediaHost, startMediaHost } from './testing.ts';

let host: MediaHost;
let redis: Redis;
let queue: MediaQueue;
let worker: Worker;
const metrics = createWorkerMetrics(createRegistry('test'));

beforeAll(async () => {
  // One HTTP server plays both WhatsApp's media host (encrypted files) and the worker's route.
  host = await startMediaHost();
  redis = connectRedis((await sharedTestRedis()).url, { name: 'test-media' });
  const logger = createLogger({ name: 'test', level: 'silent' });
  queue = new MediaQueue({ connection: redis, logger, metrics, attempts: 2 });
  worker = startMediaWorker({
    connection: redis.duplicate(),
    logger,
    metrics,
    attempts: 2,
    store: host.store,
    publisher: new StreamPublisher(redis),
    maxBytes: 1024 * 1024,
    concurrency: 2,
  });
});
afterAll(async () => {
  await worker?.close();
  await queue?.close();
  redis?.disconnect();
  await host?.close();
});

const failed = async () =>
  (await metrics.mediaJobs.get()).values.find((v) => v.labels.outcome === 'failed')?.value ?? 0;

describe('media jobs', () => {
  it('downloads, verifies, decrypts and stores the file, then publishes the seed media event', async () => {
    const plain = randomBytes(5000);
    const mediaKey = randomBytes(32);
    const enc = encryptMedia(plain, mediaKey, 'audio');
    host.files.set('/voice.enc', enc.file);
    const sid = newSessionId();
    await queue.add({
      sid,
      messageId: 'false_593@c.us_V1',
      url: `${host.base}/voice.enc`,
      mediaKey: mediaKey.toString('base64'),
      mediaType: 'audio',
      mimeType: 'audio/ogg; codecs=opus',
      fileSha256: enc.fileSha256.toString('base64'),
      fileEncSha256: enc.fileEncSha256.toString('base64'),
    });
    await waitFor(async () => (await readLatest(redis, sid, 50)).entries.length === 1, {
      what: 'the media event',
    });
    const [entry] = (await readLatest(redis, sid, 50)).entries;
    const event = JSON.parse(entry!.body);
    expect(event).toMatchObject({
      content: 'media',
      mediaKey: mediaKey.toString('base64'),
      mimeType: 'audio/ogg; codecs=opus',
      fileName: 'audio.ogg',
    });
    const served = await fetch(event.mediaData);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(plain);
  });

  it('fails a file with a bad MAC at once, visibly, and publishes nothing', async () => {
    const mediaKey = randomBytes(32);
    const enc = encryptMedia(randomBytes(100), mediaKey, 'image');
    const tampered = Buffer.from(enc.file);
    tampered[5] = (tampered[5] ?? 0) ^ 0xff;
    host.files.set('/bad.enc', tampered);
    const sid = newSessionId();
    const before = await failed();
    await queue.add({
      sid,
      messageId: 'false_593@c.us_B1',
      url: `${host.base}/bad.enc`,
      mediaKey: mediaKey.toString('base64'),
      mediaType: 'image',
      mimeType: 'image/jpeg',
    });
    await waitFor(async () => (await failed()) > before, { what: 'the failed job metric' });
    expect((await readLatest(redis, sid, 50)).entries).toHaveLength(0);
    const failedJobs = await queue.queue.getFailed();
    expect(
      failedJobs.some(
        (j) => j.data.messageId === 'false_593@c.us_B1' && /media_corrupt/.test(j.failedReason),
      ),
    ).toBe(true);
  });

  it('fetches multi-device media with Baileys helper and fails a bad reference for good', async () => {
    const plain = randomBytes(3000);
    const mediaKey = randomBytes(32);
    const enc = encryptMedia(plain, mediaKey, 'image');
    host.files.set('/v/t62.7118-24/md.enc', enc.file);
    const sid = newSessionId();
    const job = {
      sid,
      messageId: 'false_593@c.us_MD1',
      url: `${host.base}/v/t62.7118-24/md.enc`,
      mediaKey: mediaKey.toString('base64'),
      mediaType: 'image' as const,
      mimeType: 'image/jpeg',
      fileSha256: enc.fileSha256.toString('base64'),
      source: 'multidevice' as const,
      message: JSON.stringify({
        mediaType: 'image',
        mediaKey: mediaKey.toString('base64'),
        url: `${host.base}/v/t62.7118-24/md.enc`,
      }),
    };
    await queue.add(job);
    await waitFor(async () => (await readLatest(redis, sid, 50)).entries.length === 1, {
      what: 'the multi-device media event',
    });
    const event = JSON.parse((await readLatest(redis, sid, 50)).entries[0]!.body);
    expect(event).toMatchObject({ content: 'media', mimeType: 'image/jpeg', fileName: 'image.jpg' });
    expect(Buffer.from(await (await fetch(event.mediaData)).arrayBuffer())).toEqual(plain);

    const before = await failed();
    await queue.add({
      ...job,
      sid: newSessionId(),
      messageId: 'false_593@c.us_MD2',
      message: '{"mediaType":',
    });
    await waitFor(async () => (await failed()) > before, { what: 'the failed multi-device job' });
    const failedJobs = await queue.queue.getFailed();
    expect(
      failedJobs.some(
        (j) => j.data.messageId === 'false_593@c.us_MD2' && /media_ref_invalid/.test(j.failedReason),
      ),
    ).toBe(true);
  });

  it('refuses job data that is not a valid media job', async () => {
    await expect(queue.add({ sid: 's', messageId: 'm', url: 'not a url' } as never)).rejects.toThrow();
  });
});
