import { SessionStore } from '@wasock/store';
import { sleep, waitFor } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue } from './support/edge-process.ts';
import { printedEvents, runSeedClient } from './support/seed-client.ts';
import { Stack } from './support/stack.ts';

const CONTACT = '593123456789@c.us';
let stack: Stack;

beforeAll(async () => {
  stack = await Stack.start({ edgeEnv: {} });
});
afterAll(() => stack?.stop());

describe('simulator → worker → Redis → edge → seed client', () => {
  it('delivers message, media and ack events in seed 000 shape to the seed Python client', async () => {
    const { sim, worker, edge } = stack;
    const { token, simId: simSession } = await stack.linkedSession('e2e', '593987654321@c.us');
    const client = runSeedClient('python', edge.port, token);
    await client.waitForOutput(/Connected to server/);

    const text = await sim.control.sendMessage({
      session: simSession,
      kind: 'text',
      from: CONTACT,
      text: 'Hola, ¿qué tal? 😀',
    });
    const audio = Buffer.from('OggS fake opus voice note bytes '.repeat(40));
    const voice = await sim.control.sendMessage({
      session: simSession,
      kind: 'ptt',
      from: CONTACT,
      data: audio.toString('base64'),
      mimetype: 'audio/ogg; codecs=opus',
    });
    const quoted = await sim.control.sendMessage({
      session: simSession,
      kind: 'quoted',
      from: CONTACT,
      text: '¡Claro!',
      quoted: { id: text.id, text: 'Hola, ¿qué tal? 😀' },
    });
    const mine = await sim.control.sendMessage({
      session: simSession,
      kind: 'text',
      from: CONTACT,
      text: 'sent by me',
      fromMe: true,
    });
    await sim.control.sendReceipt({
      session: simSession,
      ids: [mine.id],
      remoteJid: CONTACT,
      ack: 'delivered',
    });
    await sim.control.sendReceipt({ session: simSession, ids: [mine.id], remoteJid: CONTACT, ack: 'read' });
    await sim.control.sendReceipt({
      session: simSession,
      ids: [mine.id],
      remoteJid: CONTACT,
      ack: 'delivered',
    });

    const events = await waitFor(
      () => {
        const got = printedEvents('python', client.stdout);
        return (
          got.some((e) => e.content === 'media') && got.filter((e) => e.content === 'ack').length >= 2 && got
        );
      },
      { what: 'message, media and ack events', timeoutMs: 20_000 },
    );
    await client.stop();
    expect(client.stdout).not.toMatch(/Exception/);
    for (const e of events) expect(e.number).toBe(token);

    const byId = (id: string) =>
      events.find((e) => e.content === 'message' && String(e.messageId).endsWith(`_${id}`));
    expect(byId(text.id)).toMatchObject({
      content: 'message',
      messageId: `false_${CONTACT}_${text.id}`,
      from: CONTACT,
      to: '593987654321@c.us',
      fromMe: false,
      body: 'Hola, ¿qué tal? 😀',
      type: 'chat',
      hasMedia: false,
      hasQuoteMsg: false,
      quotedMessage: null,
    });
    expect(byId(voice.id)).toMatchObject({ type: 'ptt', hasMedia: true });
    expect(byId(quoted.id)).toMatchObject({ hasQuoteMsg: true, body: '¡Claro!' });
    expect(byId(mine.id)).toMatchObject({ fromMe: true, messageId: `true_${CONTACT}_${mine.id}` });

    const media = events.find((e) => e.content === 'media')!;
    expect(media).toMatchObject({ mimeType: 'audio/ogg; codecs=opus', mediaKey: voice.mediaKey });
    const file = await fetch(String(media.mediaData));
    expect(Buffer.from(await file.arrayBuffer())).toEqual(audio);
    // media follows its message
    expect(events.indexOf(media)).toBeGreaterThan(events.indexOf(byId(voice.id)!));

    // delivered (1) then read (2); the late "delivered" publishes nothing
    expect(events.filter((e) => e.content === 'ack')).toEqual([
      { number: token, content: 'ack', messageId: `true_${CONTACT}_${mine.id}`, ack: 1 },
      { number: token, content: 'ack', messageId: `true_${CONTACT}_${mine.id}`, ack: 2 },
    ]);
    const metrics = await worker.metrics();
    expect(
      metricValue(metrics, 'wasock_worker_events_published_total', '{kind="media"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      metricValue(metrics, 'wasock_worker_events_deduplicated_total', '{kind="ack"}'),
    ).toBeGreaterThanOrEqual(1);
  });
});

describe('operator commands to a running session', () => {
  it('restarts a session from its stored credentials (no QR), then logs it out for good', async () => {
    const { gw, worker } = stack;
    const { sid } = await stack.linkedSession('commands');
    const sessions = new SessionStore(gw.redis);
    const takeovers = async () => metricValue(await worker.metrics(), 'wasock_worker_takeovers_total');
    const before = await takeovers();
    await sessions.restart(sid);
    await waitFor(
      async () => (await takeovers()) > before && (await sessions.get(sid))?.state === 'connected',
      {
        what: 'the session restored by takeover',
        timeoutMs: 15_000,
      },
    );
    expect((await sessions.get(sid))?.qr).toBeUndefined();

    await sessions.logout(sid);
    await waitFor(async () => (await sessions.get(sid))?.state === 'logged_out', { what: 'logged_out' });
    expect(await sessions.getCreds(sid)).toBeNull();
    // A logged-out session is not runnable: no worker picks it up again by itself.
    await sleep(1000);
    expect((await sessions.get(sid))?.state).toBe('logged_out');
  });
});
