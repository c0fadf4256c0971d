import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from '@wasock/outbox';
import { connectRedis, type Redis } from '@wasock/store';
import { AppProcess, isolatedRedis, sleep, waitFor } from '@wasock/testkit';
import { decryptMedia } from '@wasock/wa-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdmin } from './admin/admin-process.ts';
import { type EdgeProcess, repoRoot, startEdge } from './support/edge-process.ts';
import { Gateway } from './support/fixtures.ts';
import { printedEvents, runSeedClient } from './support/seed-client.ts';
import {
  linkSession,
  type SimProcess,
  startSim,
  startWorker,
  testCredsKey,
  type WorkerProcess,
} from './support/system.ts';

// Sending, end to end: the outbox (what the admin API and CLI call) → the worker holding the
// session's lease → the simulator's recipient, whose receipts come back as seed acks.

const TO = '593123456789@c.us';
let redisUrl: string;
let redis: Redis;
let sim: SimProcess;
let worker: WorkerProcess;
let edge: EdgeProcess;
let gw: Gateway;
let outbox: Outbox;
const credsKey = testCredsKey();

beforeAll(async () => {
  redisUrl = (await isolatedRedis()).url;
  redis = connectRedis(redisUrl, { name: 'wasock-test-outbox' });
  gw = new Gateway(redisUrl);
  outbox = new Outbox(redis, { sendsPerMinute: 1000 });
  sim = await startSim();
  [worker, edge] = await Promise.all([startWorker(redisUrl, sim.wsUrl, credsKey), startEdge(redisUrl)]);
});
afterAll(async () => {
  await Promise.all([worker?.stop(), edge?.stop()]);
  await sim?.stop();
  await outbox?.close();
  redis?.disconnect();
  gw?.close();
});

describe('sending', () => {
  it('delivers text, a quoted reply, an image and a voice note, and the seed client sees them rise to their acks', async () => {
    const { token, sid } = await gw.createToken('send');
    const simId = await linkSession(redisUrl, sim.control, sid, '593987654321@c.us');
    const client = runSeedClient('python', edge.port, token);
    await client.waitForOutput(/Connected to server/);

    const incoming = await sim.control.sendMessage({
      session: simId,
      kind: 'text',
      from: TO,
      text: '¿Tienen stock?',
    });
    const image = randomBytes(3000);
    const voice = randomBytes(2000);
    const text = await outbox.enqueue(sid, { to: TO, text: 'Hola, ¿en qué le ayudo? 😀' });
    const reply = await outbox.enqueue(sid, {
      to: TO,
      text: 'Sí, hay stock',
      replyTo: `false_${TO}_${incoming.id}`,
    });
    const photo = await outbox.enqueue(sid, {
      to: TO,
      text: 'Foto',
      media: { kind: 'image', data: image.toString('base64'), mimeType: 'image/jpeg' },
    });
    const note = await outbox.enqueue(sid, {
      to: TO,
      media: { kind: 'ptt', data: voice.toString('base64'), mimeType: 'audio/ogg; codecs=opus' },
    });

    const relayed = await waitFor(
      async () => {
        const r = await sim.control.relayed(simId);
        return r.length >= 4 && r;
      },
      { what: 'four relayed messages', timeoutMs: 15_000 },
    );
    const byId = (id: string) => relayed.find((m) => m.key.id === id)!;
    expect(byId(text.waId).message).toMatchObject({ conversation: 'Hola, ¿en qué le ayudo? 😀' });
    expect(byId(reply.waId).message).toMatchObject({
      extendedTextMessage: { text: 'Sí, hay stock', contextInfo: { stanzaId: incoming.id } },
    });
    // The recipient downloads and decrypts what the worker encrypted and uploaded.
    const img = byId(photo.waId).message!.imageMessage as { url: string; mediaKey: string; caption: string };
    const enc = Buffer.from(await (await fetch(img.url)).arrayBuffer());
    expect(decryptMedia(enc, Buffer.from(img.mediaKey, 'base64'), 'image')).toEqual(image);
    expect(img.caption).toBe('Foto');
    const ptt = byId(note.waId).message!.audioMessage as { url: string; mediaKey: string; ptt: boolean };
    expect(ptt.ptt).toBe(true);
    const encVoice = Buffer.from(await (await fetch(ptt.url)).arrayBuffer());
    expect(decryptMedia(encVoice, Buffer.from(ptt.mediaKey, 'base64'), 'audio')).toEqual(voice);

    const events = await waitFor(
      () => {
        const got = printedEvents('python', client.stdout);
        const acks = (id: string) =>
          got.filter((e) => e.content === 'ack' && e.messageId === id).map((e) => e.ack);
        return acks(note.messageId).length >= 3 && acks(text.messageId).length >= 2 && got;
      },
      { what: 'acks of the sent messages', timeoutMs: 15_000 },
    );
    await client.stop();
    const mine = events.filter((e) => e.content === 'message' && e.fromMe === true).map((e) => e.messageId);
    expect(mine).toEqual(
      expect.arrayContaining([text.messageId, reply.messageId, photo.messageId, note.messageId]),
    );
    const acks = (id: string) =>
      events.filter((e) => e.content === 'ack' && e.messageId === id).map((e) => e.ack);
    expect(acks(text.messageId)).toEqual([1, 2]);
    expect(acks(note.messageId)).toEqual([1, 2, 3]);
    const sentEvent = events.find((e) => e.messageId === text.messageId && e.content === 'message');
    expect(events.indexOf(sentEvent!)).toBeLessThan(
      events.findIndex((e) => e.content === 'ack' && e.messageId === text.messageId),
    );
    expect(await outbox.status(sid, text.waId)).toMatchObject({ state: 'sent', attempts: 1 });
  }, 60_000);

  it('sends each of 50 queued messages exactly once although the worker holding the session is SIGKILLed', async () => {
    const { sid } = await gw.createToken('send-kill');
    const a = await startWorker(redisUrl, sim.wsUrl, credsKey);
    const simId = await linkSession(redisUrl, sim.control, sid);
    const sent: { waId: string; messageId: string }[] = [];
    for (let i = 0; i < 50; i++) sent.push(await outbox.enqueue(sid, { to: TO, text: `pedido ${i}` }));
    // Kill whichever worker holds the session right away, while sends are queued.
    const holder = (await gw.redis.get(`wasock:{${sid}}:lease`)) === a.id ? a : worker;
    await holder.stop('SIGKILL');
    const survivor = holder === a ? worker : await startWorker(redisUrl, sim.wsUrl, credsKey);
    try {
      const relayed = await waitFor(
        async () => {
          const r = await sim.control.relayed(simId);
          return r.length >= 50 && r;
        },
        { what: 'all 50 sends relayed', timeoutMs: 45_000 },
      );
      await sleep(500);
      const ids = (await sim.control.relayed(simId)).map((m) => m.key.id);
      expect(ids).toHaveLength(50);
      expect(new Set(ids)).toEqual(new Set(sent.map((s) => s.waId)));
      expect(relayed.map((m) => m.message?.conversation)).toEqual(
        expect.arrayContaining(['pedido 0', 'pedido 49']),
      );
      // A send the killed worker relayed but could not record is re-run by the survivor once its
      // lock expires: same id, so the recipient still sees it once; then it is `sent` too.
      await waitFor(
        async () => {
          const states = await Promise.all(sent.map(async (s) => (await outbox.status(sid, s.waId))?.state));
          return states.every((state) => state === 'sent');
        },
        { what: 'every send recorded as sent', timeoutMs: 30_000 },
      );
      expect(await sim.control.relayed(simId)).toHaveLength(50);
    } finally {
      if (survivor !== worker) worker = survivor;
      if (holder !== a) await a.stop();
    }
  }, 90_000);
});

describe('wasock send', () => {
  it('sends a text and a file, waits until WhatsApp accepted them, and refuses bad input with a reason', async () => {
    const { sid } = await gw.createToken('send-cli');
    const simId = await linkSession(redisUrl, sim.control, sid);
    const cli = async (...args: string[]) => {
      const p = AppProcess.node(join(repoRoot, 'apps/cli/src/main.ts'), args, {
        env: { REDIS_URL: redisUrl },
      });
      return { code: await p.waitForExit(), stdout: p.stdout, stderr: p.stderr };
    };
    const text = await cli('send', sid, '--to', TO, '--text', 'desde la CLI', '--wait');
    expect(text.code).toBe(0);
    expect(text.stdout.trim()).toMatch(new RegExp(`^true_${TO}_3EB0[0-9A-F]{16}$`));
    const file = join(mkdtempSync(join(tmpdir(), 'send-')), 'factura.pdf');
    writeFileSync(file, randomBytes(1500));
    const doc = await cli('send', sid, '--to', TO, '--file', file, '--wait');
    expect(doc.code).toBe(0);
    const relayed = await sim.control.relayed(simId);
    expect(
      relayed.map(
        (m) => m.message?.conversation ?? (m.message?.documentMessage as { fileName?: string })?.fileName,
      ),
    ).toEqual(['desde la CLI', 'factura.pdf']);

    expect((await cli('send', sid, '--to', 'not-a-jid', '--text', 'x')).code).toBe(4);
    expect((await cli('send', '0123456789abcdef', '--to', TO, '--text', 'x')).code).toBe(3);
    expect((await cli('send', sid, '--to', TO, '--ptt')).code).toBe(2);
    expect((await cli('send', sid, '--to', TO)).stderr).toMatch(/text, media or both/);
  }, 60_000);
});

describe('POST /sessions/:sid/messages on the admin API', () => {
  it('answers 202 with the messageId, sends once per Idempotency-Key, reports status, and refuses bad requests', async () => {
    const admin = await startAdmin(redisUrl, { SENDS_PER_MINUTE: '5' });
    try {
      const { sid } = await gw.createToken('send-api');
      const simId = await linkSession(redisUrl, sim.control, sid);
      const post = (body: unknown, headers: Record<string, string> = {}) =>
        admin.call(`/sessions/${sid}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        });
      const first = await post({ to: TO, text: 'pedido listo' }, { 'Idempotency-Key': 'order-1' });
      expect(first.status).toBe(202);
      const accepted = (await first.json()) as { messageId: string; state: string };
      expect(accepted).toMatchObject({
        state: 'queued',
        messageId: expect.stringMatching(new RegExp(`^true_${TO}_3EB0`)),
      });
      const again = await post({ to: TO, text: 'pedido listo' }, { 'Idempotency-Key': 'order-1' });
      expect(((await again.json()) as { messageId: string }).messageId).toBe(accepted.messageId);
      const waId = accepted.messageId.split('_').pop()!;
      await waitFor(
        async () =>
          ((await (await admin.call(`/sessions/${sid}/messages/${waId}`)).json()) as { state: string })
            .state === 'sent',
        { what: 'the message sent' },
      );
      await sleep(300);
      expect(
        (await sim.control.relayed(simId)).filter((m) => m.message?.conversation === 'pedido listo'),
      ).toHaveLength(1);

      expect((await post({ to: 'nope', text: 'x' })).status).toBe(400);
      expect((await post({ to: TO })).status).toBe(400);
      expect(
        (
          await admin.call(`/sessions/0123456789abcdef/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ to: TO, text: 'x' }),
          })
        ).status,
      ).toBe(404);
      expect((await admin.call(`/sessions/${sid}/messages/3EB00000000000000000`)).status).toBe(404);
      expect((await admin.call(`/sessions/${sid}/messages`, { method: 'POST', auth: false })).status).toBe(
        401,
      );
      // The allowance is 5 a minute: this request is the 5th accepted or beyond.
      let limited: Response | undefined;
      for (let i = 0; i < 6 && !limited; i++) {
        const r = await post({ to: TO, text: `rápido ${i}` });
        if (r.status === 429) limited = r;
      }
      expect(limited?.status).toBe(429);
      expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await admin.stop();
    }
  }, 60_000);
});
