// The multi-device connector down the real worker path to a seed client: Baileys events (built
// with Baileys' proto types, through its event buffer) → MultiDeviceConnector → SessionRunner →
// publish queue → StreamPublisher → Redis → sock-edge → the seed's Python client. Media goes
// through the BullMQ job and Baileys' download helper; the auth state lives in Redis only.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createRegistry } from '@wasock/runtime';
import { connectRedis, keys, type Redis, SessionStore, StreamPublisher, TokenStore } from '@wasock/store';
import { RedisServer, waitFor } from '@wasock/testkit';
import { encryptMedia } from '@wasock/wa-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCreds, sealCreds } from '../../apps/session-worker/src/creds-crypto.ts';
import {
  MediaQueue,
  startMediaWorker,
  withMultiDeviceMedia,
} from '../../apps/session-worker/src/media-jobs.ts';
import { DirectoryMediaStore } from '../../apps/session-worker/src/media-store.ts';
import { createWorkerMetrics } from '../../apps/session-worker/src/metrics.ts';
import { normalize } from '../../apps/session-worker/src/normalize.ts';
import { PublishQueue } from '../../apps/session-worker/src/publish-queue.ts';
import { SessionRunner, type SessionRunnerDeps } from '../../apps/session-worker/src/session-runner.ts';
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
let media: Server;
let base: string;
let mediaQueue: MediaQueue;
let mediaWorker: ReturnType<typeof startMediaWorker>;
const files = new Map<string, Buffer>();
const key = randomBytes(32);
const sealer: AuthSealer = {
  seal: (context, plain) => sealCreds(key, context, plain),
  open: (context, blob) => openCreds(key, context, blob),
};
const logger = createLogger({ name: 'test-md-e2e', level: 'silent' });
const metrics = createWorkerMetrics(createRegistry('test-md-e2e'));
let store: DirectoryMediaStore;

let own: RedisServer;

beforeAll(async () => {
  // A Redis of its own: in the shared one, a worker of a parallel test file would claim this
  // multi-device session and dial WhatsApp.
  own = await RedisServer.start();
  redis = connectRedis(own.url, { name: 'test-md-e2e' });
  // One HTTP server plays WhatsApp's media host (encrypted files) and the worker's media route.
  store = new DirectoryMediaStore(mkdtempSync(join(tmpdir(), 'wasock-md-media-')), 'http://placeholder');
  media = createServer((req, res) => {
    void store.serve(req, res).then((served) => {
      if (served) return;
      const file = files.get(req.url ?? '');
      if (!file) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': file.length }).end(file);
    });
  });
  await new Promise<void>((r) => media.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
  mediaQueue = new MediaQueue({ connection: redis, logger, metrics, attempts: 2 });
  mediaWorker = startMediaWorker({
    connection: redis.duplicate(),
    logger,
    metrics,
    attempts: 2,
    store: new DirectoryMediaStore(store.dir, base),
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
  media?.close();
  redis?.disconnect();
  await own?.dispose();
});

/** What the runner needs to receive; nothing here sends, so the rest is left out. */
type ReceivingDeps = Pick<
  SessionRunnerDeps,
  | 'sid'
  | 'me'
  | 'logger'
  | 'metrics'
  | 'sessions'
  | 'publisher'
  | 'queue'
  | 'normalize'
  | 'addMediaJob'
  | 'saveCreds'
  | 'forgetCreds'
  | 'onEnded'
>;

/** A runner wired as the worker's runMultiDevice wires it, on the fake WhatsApp. */
async function multiDeviceRunner(sid: string, wa: FakeWhatsApp, queue: PublishQueue) {
  const sessions = new SessionStore(redis);
  const connector = new MultiDeviceConnector({
    auth: await loadRedisAuthState({ redis, sid, sealer }),
    logger: silentLogger,
    makeSocket: wa.factory,
    backoff: { initialMs: 20, maxMs: 200, factor: 2, jitter: 0 },
  });
  const deps: ReceivingDeps = {
    sid,
    me: 'test-worker',
    logger,
    metrics,
    sessions,
    publisher: new StreamPublisher(redis),
    queue,
    normalize: withMultiDeviceMedia(normalize),
    addMediaJob: (job) => mediaQueue.add(job),
    saveCreds: async () => undefined,
    forgetCreds: () => sessions.deleteCreds(sid),
    onEnded: () => undefined,
  };
  return { runner: new SessionRunner(connector, deps as SessionRunnerDeps), connector };
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
    files.set('/v/t62.7118-24/photo.enc', enc.file);
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
            url: `${base}/v/t62.7118-24/photo.enc`,
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
});
