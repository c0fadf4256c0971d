import { createLogger, createRegistry, type HttpServerHandle, startHttpServer } from '@wasock/runtime';
import type { WaWebClient } from '@wasock/wa-web';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createControlHandler } from './control-api.ts';
import { WaSimControl, WaSimControlError } from './control-client.ts';
import type { WaSimServer } from './sim-server.ts';
import { newClient, nextEvent, startSim, until } from './testing.ts';

let sim: WaSimServer;
let http: HttpServerHandle;
let control: WaSimControl;
const clients: WaWebClient[] = [];
const CONTACT = '33698765432@c.us';

beforeEach(async () => {
  sim = await startSim();
  http = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    registry: createRegistry('wa-sim-test'),
    isReady: () => true,
    handle: createControlHandler(sim),
    logger: createLogger({ name: 'wa-sim-test', level: 'silent' }),
  });
  control = new WaSimControl(`http://127.0.0.1:${http.port}`);
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await http.close();
  await sim.close();
});

async function pairViaControl() {
  const client = newClient(sim);
  clients.push(client);
  const qr = nextEvent(client, 'qr');
  const ready = nextEvent(client, 'ready');
  await client.connect();
  const { qr: text, ref } = await qr;
  const pending = await control.sessions();
  expect(pending.pendingRefs.map((p) => p.ref)).toContain(ref);
  const session = await control.scan({ qr: text, wid: '33611111111@c.us', pushname: 'Demo' });
  await ready;
  return { client, session };
}

describe('control API', () => {
  it('scans a QR, lists the session, sends a message and a receipt, and reads what the client relayed', async () => {
    const { client, session } = await pairViaControl();
    expect(session).toMatchObject({ wid: '33611111111@c.us', pushname: 'Demo', connected: true });
    const listed = await control.sessions();
    expect(listed.sessions.map((s) => s.id)).toEqual([session.id]);

    const msg = nextEvent(client, 'message');
    const sent = await control.sendMessage({
      session: session.id,
      kind: 'image',
      from: CONTACT,
      caption: 'hi',
      size: 2000,
    });
    const got = await msg;
    expect(got.message.key.id).toBe(sent.id);
    expect(got.message.message?.imageMessage?.url).toBe(sent.mediaUrl);
    expect(Buffer.from(got.message.message!.imageMessage!.mediaKey!).toString('base64')).toBe(sent.mediaKey);

    const receipt = nextEvent(client, 'receipt');
    await control.sendReceipt({
      session: session.id,
      ids: [sent.id],
      remoteJid: CONTACT,
      ack: 'read',
      via: 'received',
    });
    expect(await receipt).toMatchObject({ ids: [sent.id], ack: 3 });

    const out = await client.sendText(CONTACT, 'hello from the client');
    const relayed = await control.relayed(session.id);
    expect(relayed.map((m) => m.key.id)).toEqual([out.id]);
    expect(relayed[0]!.message).toEqual({ conversation: 'hello from the client' });
    expect((await control.stats()).scans).toBe(1);
  });

  it('injects a fault and logs a session out', async () => {
    const { client, session } = await pairViaControl();
    await control.injectFault({ session: session.id, fault: 'bad_mac' });
    await until(() => client.counters().badMac === 1);
    const loggedOut = nextEvent(client, 'state', (s) => s.state === 'logged_out');
    await control.logout(session.id);
    await loggedOut;
    expect((await control.sessions()).sessions[0]!.loggedOut).toBe(true);
  });

  it('refuses invalid bodies with 400 and names the field', async () => {
    const err = await control
      .sendMessage({ session: 's1', kind: 'text', from: 'not-a-jid' } as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaSimControlError);
    expect((err as WaSimControlError).status).toBe(400);
    expect((err as WaSimControlError).message).toMatch(/^from:/);
    const raw = await fetch(`http://127.0.0.1:${http.port}/faults`, { method: 'POST', body: '{nope' });
    expect(raw.status).toBe(400);
  });

  it('answers 404 for an unknown session or ref and 409 for a session without a connection', async () => {
    await expect(control.injectFault({ session: 'nope', fault: 'drop_socket' })).rejects.toMatchObject({
      status: 404,
    });
    await expect(control.scan({ qr: '1@abc,AAAA,BBBB' })).rejects.toMatchObject({
      status: 404,
      code: 'unknown_ref',
    });
    const { client, session } = await pairViaControl();
    await client.close();
    await until(() => sim.listSessions()[0]?.connected === false);
    await expect(
      control.sendReceipt({ session: session.id, ids: ['x'], remoteJid: CONTACT, ack: 'read' }),
    ).rejects.toMatchObject({ status: 409, code: 'not_connected' });
  });

  it('keeps the runtime health routes beside the control routes', async () => {
    expect((await fetch(`http://127.0.0.1:${http.port}/livez`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${http.port}/nothing`)).status).toBe(404);
  });
});
