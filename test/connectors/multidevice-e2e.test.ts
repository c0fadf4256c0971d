// The multi-device connector down the real worker path to a seed client: Baileys events (built
// with Baileys' proto types, through its event buffer) → MultiDeviceConnector → SessionRunner →
// publish queue → StreamPublisher → Redis → sock-edge → the seed's Python client. Media goes
// through the BullMQ job and Baileys' download helper; the auth state lives in Redis only.
// Sends go the other way: SessionRunner.send → relayMessage / waUploadToServer.
import { randomBytes } from 'node:crypto';
import { createLogger, createRegistry } from '@wasock/runtime';
import { connectRedis, keys, type Redis, SessionStore, StreamPublisher, TokenStore } from '@wasock/store';
import { RedisServer, waitFor } from '@wasock/testkit';
import { decryptMedia, encryptMedia } from '@wasock/wa-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCreds, sealCreds } from '../../apps/session-worker/src/creds-crypto.ts';
import {
  MediaQueue,
  startMediaWorker,
  withMultiDeviceMedia,
} from '../../apps/session-worker/src/media-jobs.ts';
import { createWorkerMetrics } from '../../apps/session-worker/src/metrics.ts';
import { normalize } from '../../apps/session-worker/src/normalize.ts';
import { PublishQueue } from '../../apps/session-worker/src/publish-queue.ts';
import { SessionRunner, type SessionRunnerDeps } from '../../apps/session-worker/src/session-runner.ts';
import { type MediaHost, startMediaHost } from '../../apps/session-worker/src/testing.ts';
import { type AuthSealer, loadRedisAuthState, MultiDeviceConnector } from '../../packages/wa-md/src/index.ts';
import { FakeWhatsApp, proto, silentLogger, textMessage } from '../../packages/wa-md/src/testing.ts';
import { type EdgeProcess, startEdge } from '../support/edge-process.ts';
import { printedEvents, runSeedClient } from '../support/seed-client.ts';

const CONTACT = '593123456789@c.us';
const CONTACT_WIRE = '593123456789@s.whatsapp.net';
const ME = '593987654321@c.us';
const S = proto.WebMessageInfo.Status;

let redis: Redis;
let edge: EdgeProcess;
let host: MediaHost;
let mediaQueue: MediaQueue;
let mediaWorker: ReturnType<typeof startMediaWorker>;
const key = randomBytes(32);
const sealer: AuthSealer = {
  seal: (context, plain) => sealCreds(key, context, plain),
  open: (context, blob) => openCreds(key, context, blob),
};
const logger = createLogger({ name: 'test-md-e2e', level: 'silent' });
const metrics = createWorkerMetrics(createRegistry('test-md-e2e'));

let own: RedisServer;

beforeAll(async () => {
  // A Redis of its own: in the shared one, a worker of a parallel test file would claim this
  // multi-device session and dial WhatsApp.
  own = await RedisServer.start();
  redis = connectRedis(own.url, { name: 'test-md-e2e' });
  // One HTTP server plays WhatsApp's media host (encrypted files) and the worker's media route.
  host = await startMediaHost();
  mediaQueue = new MediaQueue({ connection: redis, logger, metrics, attempts: 2 });
  mediaWorker = startMediaWorker({
    connection: redis.duplicate(),
    logger,
    metrics,
    attempts: 2,
    store: host.store,
    publisher: new StreamPublisher(redis),
    maxBytes: 1 << 20,
    concurrency: 2,
  });
  edge = await startEdge(own.url);
});

afterAll(async () => {
  await mediaWorker?.close();
  await mediaQueue?.close();
  await edge?.stop();
  await host?.close();
  redis?.disconnect();
  await own?.dispose();
});

/** A runner wired as the worker's runMultiDevice wires it, on the fake WhatsApp. */
async function multiDeviceRunner(sid: string, wa: FakeWhatsApp, queue: PublishQueue) {
  const sessions = new SessionStore(redis);
  const connector = new MultiDeviceConnector({
    auth: await loadRedisAuthState({ redis, sid, sealer }),
    logger: silentLogger,
    makeSocket: wa.factory,
    backoff: { initialMs: 20, maxMs: 200, factor: 2, jitter: 0 },
  });
  const deps: SessionRunnerDeps = {
    sid,
    me: 'test-worker',
    logger,
    metrics,
    sessions,
    publisher: new StreamPublisher(redis),
    queue,
    normalize: withMultiDeviceMedia(normalize),
    addMediaJob: (job) => mediaQueue.add(job),
    putMedia: (plain, mimeType) => host.store.put(plain, { mimeType }),
    saveCreds: async () => undefined,
    forgetCreds: () => sessions.deleteCreds(sid),
    onEnded: () => undefined,
    // Multi-device media goes to WhatsApp's media host through the connector, never here.
    upload: async () => {
      throw new Error('the legacy media host was used for a multi-device send');
    },
  };
  return { runner: new SessionRunner(connector, deps), connector };
}

describe('multi-device → worker path → edge → seed client', () => {
  it('links with a QR, delivers message, quote, media and acks to the seed Python client, restores from Redis', async () => {
    const { token, sid } = await new TokenStore(redis).create({ label: 'md-e2e', connector: 'multidevice' });
    const sessions = new SessionStore(redis);
    const queue = new PublishQueue({ maxItems: 1000, logger });
    const wa = new FakeWhatsApp();
    const first = await multiDeviceRunner(sid, wa, queue);
    await first.runner.start();
    const qr = await waitFor(async () => (await sessions.get(sid))?.qr, {
      what: 'the QR in the session record',
    });
    expect(qr.split(',')).toHaveLength(4);
    wa.current.pair();
    await waitFor(async () => (await sessions.get(sid))?.state === 'connected', { what: 'connected' });

    const client = runSeedClient('python', edge.port, token);
    await client.waitForOutput(/Connected to server/);

    const plain = Buffer.from('\xff\xd8 a JPEG from the phone '.repeat(50));
    const mediaKey = randomBytes(32);
    const enc = encryptMedia(plain, mediaKey, 'image');
    host.files.set('/v/t62.7118-24/photo.enc', enc.file);
    wa.current.upsert([
      textMessage('3EB0A1', CONTACT_WIRE, 'Hola, ¿qué tal? 😀'),
      proto.WebMessageInfo.fromObject({
        key: { remoteJid: CONTACT_WIRE, fromMe: false, id: '3EB0A2' },
        message: {
          extendedTextMessage: {
            text: '¡Claro!',
            contextInfo: {
              stanzaId: '3EB0A1',
              participant: CONTACT_WIRE,
              quotedMessage: { conversation: 'Hola' },
            },
          },
        },
        messageTimestamp: 1_719_598_100,
      }) as never,
      proto.WebMessageInfo.fromObject({
        key: { remoteJid: CONTACT_WIRE, fromMe: false, id: '3EB0A3' },
        message: {
          imageMessage: {
            // No directPath: Baileys would prefer it, over https, which this plain HTTP host lacks.
            url: `${host.base}/v/t62.7118-24/photo.enc`,
            mimetype: 'image/jpeg',
            mediaKey,
            fileSha256: enc.fileSha256,
            fileEncSha256: enc.fileEncSha256,
            fileLength: plain.length,
          },
        },
        messageTimestamp: 1_719_598_101,
      }) as never,
      textMessage('3EB0B1', CONTACT_WIRE, 'sent from my phone', { fromMe: true }),
    ]);
    wa.current.updates([
      { key: { remoteJid: CONTACT_WIRE, fromMe: true, id: '3EB0B1' }, update: { status: S.DELIVERY_ACK } },
      { key: { remoteJid: CONTACT_WIRE, fromMe: true, id: '3EB0B1' }, update: { status: S.READ } },
      // Late and lower: publishes nothing.
      { key: { remoteJid: CONTACT_WIRE, fromMe: true, id: '3EB0B1' }, update: { status: S.DELIVERY_ACK } },
    ]);

    const events = await waitFor(
      () => {
        const got = printedEvents('python', client.stdout);
        return (
          got.some((e) => e.content === 'media') && got.filter((e) => e.content === 'ack').length >= 2 && got
        );
      },
      { what: 'message, media and ack events', timeoutMs: 15_000 },
    );
    expect(client.stdout).not.toMatch(/Exception/);
    for (const e of events) expect(e.number).toBe(token);
    const byId = (id: string) =>
      events.find((e) => e.content === 'message' && String(e.messageId).endsWith(`_${id}`));
    expect(byId('3EB0A1')).toEqual({
      number: token,
      content: 'message',
      messageId: `false_${CONTACT}_3EB0A1`,
      from: CONTACT,
      to: ME,
      fromMe: false,
      body: 'Hola, ¿qué tal? 😀',
      type: 'chat',
      timestamp: 1_719_598_097,
      quotedMessage: null,
      hasMedia: false,
      hasQuoteMsg: false,
    });
    expect(byId('3EB0A2')).toMatchObject({ body: '¡Claro!', quotedMessage: 'Hola', hasQuoteMsg: true });
    expect(byId('3EB0A3')).toMatchObject({ type: 'image', hasMedia: true });
    expect(byId('3EB0B1')).toMatchObject({ fromMe: true, from: ME, to: CONTACT });
    const mediaEvent = events.find((e) => e.content === 'media')!;
    expect(mediaEvent).toMatchObject({ mimeType: 'image/jpeg', mediaKey: mediaKey.toString('base64') });
    expect(Buffer.from(await (await fetch(String(mediaEvent.mediaData))).arrayBuffer())).toEqual(plain);
    expect(events.indexOf(mediaEvent)).toBeGreaterThan(events.indexOf(byId('3EB0A3')!));
    expect(events.filter((e) => e.content === 'ack')).toEqual([
      { number: token, content: 'ack', messageId: `true_${CONTACT}_3EB0B1`, ack: 1 },
      { number: token, content: 'ack', messageId: `true_${CONTACT}_3EB0B1`, ack: 2 },
    ]);
    // The job went the multi-device way (Baileys' helper), not the legacy decryptor.
    const job = await mediaQueue.queue.getJob(`${sid}.false_${CONTACT}_3EB0A3`.replace(/:/g, '_'));
    expect(job?.data).toMatchObject({ source: 'multidevice' });

    // The auth state is in Redis only, sealed: another runner (a takeover) logs in without a QR,
    // and WhatsApp's re-delivery of a message already published appends nothing.
    expect(await redis.hget(keys.mdAuth(sid), 'creds')).toMatch(/^v1\./);
    await first.runner.stop();
    const second = await multiDeviceRunner(sid, wa, queue);
    const qrsBefore = wa.sockets.length;
    await second.runner.start();
    await waitFor(() => second.connector.state === 'connected', { what: 'restored' });
    expect(wa.sockets).toHaveLength(qrsBefore + 1);
    expect((await sessions.get(sid))?.qr).toBeUndefined();
    wa.current.upsert([textMessage('3EB0A1', CONTACT_WIRE, 'Hola, ¿qué tal? 😀')], 'append');
    wa.current.upsert([textMessage('3EB0C1', CONTACT_WIRE, 'after the takeover')]);
    const after = await waitFor(
      () => {
        const got = printedEvents('python', client.stdout);
        return got.some((e) => String(e.messageId).endsWith('_3EB0C1')) && got;
      },
      { what: 'the message after the takeover' },
    );
    expect(after.filter((e) => String(e.messageId).endsWith('_3EB0A1'))).toHaveLength(1);
    await client.stop();
    await second.runner.stop();
    queue.stop();
  });

  it('sends a text, a reply and a photo through Baileys and publishes them fromMe, with their acks', async () => {
    const { token, sid } = await new TokenStore(redis).create({ label: 'md-send', connector: 'multidevice' });
    const sessions = new SessionStore(redis);
    const queue = new PublishQueue({ maxItems: 1000, logger });
    const wa = new FakeWhatsApp();
    const { runner } = await multiDeviceRunner(sid, wa, queue);
    await runner.start();
    await waitFor(async () => (await sessions.get(sid))?.qr, { what: 'the QR' });
    wa.current.pair();
    await waitFor(async () => (await sessions.get(sid))?.state === 'connected', { what: 'connected' });
    const client = runSeedClient('python', edge.port, token);
    await client.waitForOutput(/Connected to server/);

    const photo = Buffer.from('\xff\xd8 a JPEG from the API '.repeat(40));
    await runner.send({ sid, waId: '3EB0S1', request: { to: CONTACT, text: 'hola desde la API' } });
    await runner.send({
      sid,
      waId: '3EB0S2',
      request: { to: CONTACT, text: 'sí', replyTo: `false_${CONTACT}_3EB0Q1` },
    });
    await runner.send({
      sid,
      waId: '3EB0S3',
      request: {
        to: CONTACT,
        text: 'una foto',
        media: { kind: 'image', mimeType: 'image/jpeg', data: photo.toString('base64') },
      },
    });

    // What reached WhatsApp: phone-number jids, the fixed ids, the photo on the media host.
    const relayed = wa.current.relayed;
    expect(relayed.map((r) => [r.jid, r.messageId])).toEqual([
      [CONTACT_WIRE, '3EB0S1'],
      [CONTACT_WIRE, '3EB0S2'],
      [CONTACT_WIRE, '3EB0S3'],
    ]);
    expect(relayed[0]!.message.conversation).toBe('hola desde la API');
    expect(relayed[1]!.message.extendedTextMessage?.contextInfo).toMatchObject({
      stanzaId: '3EB0Q1',
      participant: CONTACT_WIRE,
    });
    const image = relayed[2]!.message.imageMessage!;
    expect(image).toMatchObject({ mimetype: 'image/jpeg', caption: 'una foto' });
    expect(image.directPath).toMatch(/^\/v\//);
    expect(image.url).toContain(image.directPath!);
    const uploaded = wa.uploads.get(image.directPath!)!;
    expect(uploaded.mediaType).toBe('image');
    expect(decryptMedia(uploaded.file, image.mediaKey!, 'image')).toEqual(photo);

    // The recipient's phone receives and reads the photo.
    const key = { remoteJid: CONTACT_WIRE, fromMe: true, id: '3EB0S3' };
    wa.current.updates([
      { key, update: { status: S.DELIVERY_ACK } },
      { key, update: { status: S.READ } },
    ]);
    const events = await waitFor(
      () => {
        const got = printedEvents('python', client.stdout);
        return (
          got.filter((e) => e.content === 'ack').length >= 2 && got.some((e) => e.content === 'media') && got
        );
      },
      { what: 'the sent messages, the photo and the acks', timeoutMs: 15_000 },
    );
    const sent = events.filter((e) => e.content === 'message');
    expect(sent.map((e) => e.messageId)).toEqual([
      `true_${CONTACT}_3EB0S1`,
      `true_${CONTACT}_3EB0S2`,
      `true_${CONTACT}_3EB0S3`,
    ]);
    expect(sent[0]).toMatchObject({ fromMe: true, from: ME, to: CONTACT, body: 'hola desde la API' });
    expect(sent[2]).toMatchObject({ type: 'image', hasMedia: true });
    // The photo is stored from the plaintext the worker holds: no download back from WhatsApp.
    const mediaEvent = events.find((e) => e.content === 'media')!;
    expect(events.indexOf(mediaEvent)).toBeGreaterThan(events.indexOf(sent[2]!));
    expect(mediaEvent).toMatchObject({ mimeType: 'image/jpeg', fileName: 'image.jpg' });
    expect(Buffer.from(await (await fetch(String(mediaEvent.mediaData))).arrayBuffer())).toEqual(photo);
    expect(await mediaQueue.queue.getJob(`${sid}.true_${CONTACT}_3EB0S3`.replace(/:/g, '_'))).toBeUndefined();
    expect(events.filter((e) => e.content === 'ack')).toEqual([
      { number: token, content: 'ack', messageId: `true_${CONTACT}_3EB0S3`, ack: 1 },
      { number: token, content: 'ack', messageId: `true_${CONTACT}_3EB0S3`, ack: 2 },
    ]);
    await client.stop();
    await runner.stop();
    queue.stop();
  });
});
