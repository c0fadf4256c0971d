import {
  decryptMedia,
  downloadMedia,
  mediaOf,
  type WaWebClient,
  type WaWebClientEvents,
} from '@wasock/wa-web';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { WaSimServer } from './sim-server.ts';
import { newClient, nextEvent, pairedClient, startSim, until } from './testing.ts';

let sim: WaSimServer;
const clients: WaWebClient[] = [];
const CONTACT = '33698765432@c.us';

beforeEach(async () => {
  sim = await startSim({ ttlMs: 5000 });
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await sim.close();
});

async function paired(options = {}) {
  const p = await pairedClient(sim, options);
  clients.push(p.client);
  return p;
}

function collect<K extends 'message' | 'receipt'>(client: WaWebClient, event: K): WaWebClientEvents[K][0][] {
  const out: WaWebClientEvents[K][0][] = [];
  client.events.on(event, (...args: WaWebClientEvents[K]) => {
    out.push(args[0]);
  });
  return out;
}

describe('QR login against the simulator', () => {
  it('shows a QR of ref, public key and clientId, then is ready after the scan', async () => {
    const client = newClient(sim);
    clients.push(client);
    const qrP = nextEvent(client, 'qr');
    const readyP = nextEvent(client, 'ready');
    await client.connect();
    const qr = await qrP;
    expect(client.state).toBe('awaiting_scan');
    const [ref, pub, clientId] = qr.qr.split(',');
    expect(ref).toBe(qr.ref);
    expect(Buffer.from(pub!, 'base64')).toHaveLength(32);
    expect(Buffer.from(clientId!, 'base64')).toHaveLength(16);
    const session = sim.scan(qr.qr, { wid: '33612345678@c.us', pushname: 'Albert' });
    const ready = await readyP;
    expect(ready.restored).toBe(false);
    expect(ready.wid).toBe('33612345678@c.us');
    expect(ready.pushname).toBe('Albert');
    expect(ready.credentials.clientId).toBe(clientId);
    expect(client.state).toBe('connected');
    expect(session.connected).toBe(true);
  });

  it('asks for a new ref when the ttl runs out and the new QR can be scanned', async () => {
    await sim.close();
    sim = await startSim({ ttlMs: 150 });
    const client = newClient(sim);
    clients.push(client);
    const first = nextEvent(client, 'qr');
    await client.connect();
    const q0 = await first;
    const q1 = await nextEvent(client, 'qr', (q) => q.rotation === 1);
    expect(q1.ref).not.toBe(q0.ref);
    expect(q1.qr.split(',')[1]).toBe(q0.qr.split(',')[1]);
    expect(() => sim.scan(q0.qr)).toThrow(/ref/);
    const q2 = await nextEvent(client, 'qr', (q) => q.rotation >= 2);
    const ready = nextEvent(client, 'ready');
    sim.scan(q2.qr);
    await ready;
  });

  it('refuses to pair a ref nobody renewed once 1.5 × its ttl has passed', async () => {
    await sim.close();
    sim = await startSim({ ttlMs: 100 });
    const ws = new WebSocket(sim.url);
    await new Promise((r) => ws.once('open', r));
    const answer = new Promise<string>((r) => ws.once('message', (d) => r(String(d))));
    ws.send('1.--0,["admin","init",[2,2017,6],["Linux","Chrome","x86_64"],"Y2xpZW50",true]');
    const { ref, ttl } = JSON.parse((await answer).slice('1.--0,'.length));
    expect(ttl).toBe(100);
    const qr = `${ref},${Buffer.alloc(32, 9).toString('base64')},Y2xpZW50`;
    await new Promise((r) => setTimeout(r, 200));
    expect(() => sim.scan(qr)).toThrow(/ref/);
    ws.close();
  });

  it('gives up after maxQrRefs refs with state closed', async () => {
    await sim.close();
    sim = await startSim({ ttlMs: 60 });
    const client = newClient(sim, { maxQrRefs: 3 });
    clients.push(client);
    const closed = nextEvent(client, 'state', (s) => s.state === 'closed');
    await client.connect();
    expect((await closed).reason).toBe('qr_expired');
    expect(client.counters().qrRefs).toBe(3);
  });

  it('receives s2..s4, the preempt frames, and answers the seed queries and presence', async () => {
    const client = newClient(sim);
    clients.push(client);
    const qr = nextEvent(client, 'qr');
    const blocklist = nextEvent(client, 'blocklist');
    const stream = nextEvent(client, 'stream');
    const props = nextEvent(client, 'props');
    const battery = nextEvent(client, 'battery');
    await client.connect();
    sim.scan((await qr).qr);
    expect(await blocklist).toEqual([]);
    expect(await stream).toEqual({ update: false, version: '2.2017.6' });
    expect((await props).maxParticipants).toBe(257);
    expect(await battery).toEqual({ value: 30, live: false, powersave: false });
    expect(await client.setPresenceAvailable()).toBe(200);
    // The 4 post-login queries and the presence reached the simulator encrypted and were answered.
    await until(() => sim.listSessions()[0]?.queries === 4);
    expect(sim.listSessions()[0]?.presence).toBe('available');
    expect(client.counters().badMac).toBe(0);
    expect(client.counters().decodeErrors).toBe(0);
  });
});

describe('messages and receipts', () => {
  it('decodes every scripted message kind from a contact', async () => {
    const { client, session } = await paired();
    const got = collect(client, 'message');
    sim.sendMessage(session.id, { kind: 'text', from: CONTACT, text: 'test', id: 'T1' });
    sim.sendMessage(session.id, {
      kind: 'quoted',
      from: CONTACT,
      text: 'réponse 😀',
      quoted: { id: 'T1', text: 'test', participant: CONTACT },
    });
    sim.sendMessage(session.id, { kind: 'ptt', from: CONTACT });
    sim.sendMessage(session.id, { kind: 'image', from: CONTACT, caption: 'look' });
    sim.sendMessage(session.id, { kind: 'video', from: CONTACT });
    sim.sendMessage(session.id, { kind: 'document', from: CONTACT, fileName: 'facture.pdf' });
    await until(() => got.length === 6);
    expect(got.every((e) => e.add === 'relay')).toBe(true);
    const [text, quoted, ptt, image, video, doc] = got.map((e) => e.message);
    expect(text!.message?.conversation).toBe('test');
    expect(text!.key).toMatchObject({ remoteJid: '33698765432@s.whatsapp.net', fromMe: false, id: 'T1' });
    expect(quoted!.message?.extendedTextMessage?.text).toBe('réponse 😀');
    expect(quoted!.message?.extendedTextMessage?.contextInfo?.stanzaId).toBe('T1');
    expect(quoted!.message?.extendedTextMessage?.contextInfo?.quotedMessage?.conversation).toBe('test');
    expect(ptt!.message?.audioMessage?.ptt).toBe(true);
    expect(image!.message?.imageMessage?.caption).toBe('look');
    expect(video!.message?.videoMessage?.mimetype).toBe('video/mp4');
    expect(doc!.message?.documentMessage?.fileName).toBe('facture.pdf');
  });

  it('serves encrypted media over HTTP that decrypts with the message mediaKey', async () => {
    const { client, session } = await paired();
    const msg = nextEvent(client, 'message');
    const data = Buffer.from('%PDF-1.4 pretend this is a document');
    const sent = sim.sendMessage(session.id, { kind: 'document', from: CONTACT, data });
    const doc = (await msg).message.message!.documentMessage!;
    expect(doc.url).toBe(sent.mediaUrl);
    expect(new URL(doc.url!).hostname).toBe('127.0.0.1');
    const file = new Uint8Array(await (await fetch(doc.url!)).arrayBuffer());
    const plain = decryptMedia(file, doc.mediaKey!, 'document', {
      fileEncSha256: doc.fileEncSha256 ?? null,
      fileSha256: doc.fileSha256 ?? null,
    });
    expect(plain.equals(data)).toBe(true);
    expect((await fetch(`${new URL(doc.url!).origin}/media/nope`)).status).toBe(404);
  });

  it('downloads and decrypts every media kind with downloadMedia', async () => {
    const { client, session } = await paired();
    const got = collect(client, 'message');
    const kinds = ['image', 'video', 'ptt', 'document', 'sticker'] as const;
    const sent = kinds.map((kind, i) => {
      const data = Buffer.alloc(500 + i * 300, i + 1);
      sim.sendMessage(session.id, { kind, from: CONTACT, data });
      return data;
    });
    await until(() => got.length === kinds.length);
    for (const [i, event] of got.entries()) {
      const ref = mediaOf(event.message.message);
      expect(ref?.type).toBe(['image', 'video', 'audio', 'document', 'sticker'][i]);
      expect((await downloadMedia(ref!)).equals(sent[i]!)).toBe(true);
    }
    await expect(downloadMedia(mediaOf(got[0]!.message.message)!, { maxBytes: 100 })).rejects.toMatchObject({
      code: 'media_too_large',
    });
    expect(mediaOf({ conversation: 'x' })).toBeNull();
  });

  it('delivers receipts as Msg, MsgInfo and binary received nodes', async () => {
    const { client, session } = await paired();
    const got = collect(client, 'receipt');
    sim.sendReceipt(session.id, { ids: ['A'], remoteJid: CONTACT, ack: 'server', via: 'Msg' });
    sim.sendReceipt(session.id, { ids: ['A', 'B'], remoteJid: CONTACT, ack: 'delivered', via: 'MsgInfo' });
    sim.sendReceipt(session.id, { ids: ['A'], remoteJid: CONTACT, ack: 'read', via: 'received' });
    sim.sendReceipt(session.id, { ids: ['A'], remoteJid: CONTACT, ack: 'played', via: 'received' });
    await until(() => got.length === 4);
    expect(got.map((r) => [r.source, r.ids, r.ack, r.remoteJid])).toEqual([
      ['Msg', ['A'], 1, CONTACT],
      ['MsgInfo', ['A', 'B'], 2, CONTACT],
      ['received', ['A'], 3, CONTACT],
      ['received', ['A'], 4, CONTACT],
    ]);
  });

  it('relays a sent text and the simulator records it', async () => {
    const { client, session } = await paired();
    const result = await client.sendText(CONTACT, 'bonjour');
    expect(result.status).toBe(200);
    expect(result.id).toMatch(/^3EB0[0-9A-F]{16}$/);
    const relayed = sim.relayed(session.id);
    expect(relayed).toHaveLength(1);
    expect(relayed[0]!.key).toMatchObject({
      remoteJid: '33698765432@s.whatsapp.net',
      fromMe: true,
      id: result.id,
    });
    expect(relayed[0]!.message?.conversation).toBe('bonjour');
  });

  it('answers the history query with the messages before an index', async () => {
    const { client, session } = await paired();
    for (let i = 0; i < 5; i++)
      sim.sendMessage(session.id, { kind: 'text', from: CONTACT, text: `m${i}`, id: `M${i}` });
    await until(() => sim.listSessions()[0]!.id === session.id);
    const before = await client.loadMessagesBefore({ jid: CONTACT, count: 2, index: 'M4', owner: false });
    expect(before.map((m) => m.message?.conversation)).toEqual(['m2', 'm3']);
  });

  it('replays the last messages with add:last after a restore', async () => {
    const { client, session, ready } = await paired();
    sim.sendMessage(session.id, { kind: 'text', from: CONTACT, text: 'while you were away', id: 'AWAY' });
    await client.close();
    const again = newClient(sim, { credentials: ready.credentials });
    clients.push(again);
    const last = nextEvent(again, 'message', (e) => e.add === 'last');
    await again.connect();
    expect((await last).message.key.id).toBe('AWAY');
  });
});

describe('restore, replacement and faults', () => {
  it('restores with takeover and a challenge, without a QR, and rotates the tokens', async () => {
    const { client, ready } = await paired();
    await client.close();
    const again = newClient(sim, { credentials: ready.credentials });
    clients.push(again);
    let sawQr = false;
    again.events.on('qr', () => {
      sawQr = true;
    });
    const restored = nextEvent(again, 'ready');
    await again.connect();
    const r = await restored;
    expect(sawQr).toBe(false);
    expect(r.restored).toBe(true);
    expect(r.credentials.encKey).toBe(ready.credentials.encKey);
    expect(r.credentials.clientToken).not.toBe(ready.credentials.clientToken);
    expect(r.credentials.serverToken).not.toBe(ready.credentials.serverToken);
    expect(again.state).toBe('connected');
  });

  it('restores without a challenge when the server does not ask', async () => {
    await sim.close();
    sim = await startSim({ challengeOnTakeover: false });
    const { client, ready } = await paired();
    await client.close();
    const again = newClient(sim, { credentials: ready.credentials });
    clients.push(again);
    const restored = nextEvent(again, 'ready');
    await again.connect();
    expect((await restored).restored).toBe(true);
  });

  it('goes logged_out and back to a QR when the stored tokens are stale (401)', async () => {
    const { client, ready } = await paired();
    await client.close();
    const first = newClient(sim, { credentials: ready.credentials });
    clients.push(first);
    const rotated = nextEvent(first, 'ready');
    await first.connect();
    await rotated;
    await first.close();
    const stale = newClient(sim, { credentials: ready.credentials });
    clients.push(stale);
    const loggedOut = nextEvent(stale, 'state', (s) => s.state === 'logged_out');
    const qr = nextEvent(stale, 'qr');
    await stale.connect();
    expect((await loggedOut).reason).toMatch(/401/);
    await qr;
    expect(stale.credentials).toBeNull();
    expect(stale.state).toBe('awaiting_scan');
  });

  it('stops on logged_out when asked to, and after a phone-side logout', async () => {
    const { client, session, ready } = await paired({ onLoggedOut: 'stop' });
    const loggedOut = nextEvent(client, 'state', (s) => s.state === 'logged_out');
    sim.logoutSession(session.id);
    await loggedOut;
    expect(ready.credentials.clientToken).toBeTruthy();
    expect(client.credentials).toBeNull();
  });

  it('logs out with goodbye: the server kills the tokens and the client forgets them', async () => {
    const { client, session } = await paired();
    const state = nextEvent(client, 'state', (s) => s.state === 'logged_out');
    await client.logout();
    await state;
    expect(client.credentials).toBeNull();
    await until(() => sim.listSessions().find((s) => s.id === session.id)?.loggedOut === true);
  });

  it('a second client taking over makes the first one stop with replaced, not reconnect', async () => {
    const { client, ready } = await paired();
    const replaced = nextEvent(client, 'state', (s) => s.state === 'replaced');
    const second = newClient(sim, { credentials: ready.credentials });
    clients.push(second);
    const secondReady = nextEvent(second, 'ready');
    await second.connect();
    await secondReady;
    await replaced;
    await new Promise((r) => setTimeout(r, 200));
    expect(client.state).toBe('replaced');
    expect(client.counters().reconnects).toBe(0);
    expect(second.state).toBe('connected');
    expect(sim.stats().replaced).toBe(1);
  });

  it('reconnects with takeover after the socket is dropped', async () => {
    const { client, session } = await paired();
    const back = nextEvent(client, 'ready', (r) => r.restored);
    sim.injectFault(session.id, 'drop_socket');
    const r = await back;
    expect(r.restored).toBe(true);
    expect(client.counters().reconnects).toBe(1);
    const got = nextEvent(client, 'message');
    sim.sendMessage(session.id, { kind: 'text', from: CONTACT, text: 'still here' });
    expect((await got).message.message?.conversation).toBe('still here');
  });

  it('drops and counts a bad-MAC frame, a truncated node and garbage text, and keeps the connection', async () => {
    const { client, session } = await paired();
    sim.injectFault(session.id, 'bad_mac');
    sim.injectFault(session.id, 'truncated_node');
    sim.injectFault(session.id, 'garbage_text');
    const got = nextEvent(client, 'message');
    sim.sendMessage(session.id, { kind: 'text', from: CONTACT, text: 'after the faults' });
    expect((await got).message.message?.conversation).toBe('after the faults');
    const counters = client.counters();
    expect(counters.badMac).toBe(1);
    expect(counters.decodeErrors).toBe(2);
    expect(counters.droppedFrames).toBe(2);
    expect(counters.reconnects).toBe(0);
    expect(client.state).toBe('connected');
  });

  it('detects a server that stops answering pings and reconnects', async () => {
    const { client, session } = await paired();
    const back = nextEvent(client, 'ready', (r) => r.restored, 4000);
    sim.injectFault(session.id, 'stop_pings');
    await back;
    expect(client.counters().deadConnections).toBe(1);
    expect(client.state).toBe('connected');
  });

  it('reconnects with backoff while the server is down and restores when it is back', async () => {
    const { client, ready } = await paired();
    const port = sim.port;
    await sim.close();
    await until(() => client.counters().reconnects >= 2);
    expect(client.state).toBe('connecting');
    expect(ready.restored).toBe(false);
    // Same port, but a fresh simulator knows no session: the restore is refused and a QR shows.
    sim = await startSim({ port });
    const qr = nextEvent(client, 'qr', () => true, 4000);
    await qr;
    expect(client.state).toBe('awaiting_scan');
  });
});

describe('keepalive and many sessions', () => {
  it('pings the server and counts its answers, and answers a server-initiated ping once', async () => {
    await sim.close();
    sim = await startSim({ serverPingIntervalMs: 100 });
    const { client } = await paired({ keepaliveIntervalMs: 150, deadAfterMs: 2000 });
    const before = sim.stats().framesIn;
    await new Promise((r) => setTimeout(r, 600));
    const c = client.counters();
    expect(c.pingsSent).toBeGreaterThanOrEqual(4);
    expect(c.pongsReceived).toBeGreaterThanOrEqual(4);
    // ~4 client pings and ~6 answers to server pings in 600 ms: a ping-pong storm would be thousands.
    expect(sim.stats().framesIn - before).toBeLessThan(30);
    expect(client.state).toBe('connected');
  });

  it('gives a second session of the same phone the chat list, contacts and last messages', async () => {
    const wid = '33622222222@c.us';
    const first = await pairedClient(sim, {}, wid);
    clients.push(first.client);
    sim.sendMessage(first.session.id, { kind: 'text', from: CONTACT, text: 'history', id: 'H1' });
    const second = newClient(sim);
    clients.push(second);
    const qr = nextEvent(second, 'qr');
    const chats = nextEvent(second, 'chats');
    const contacts = nextEvent(second, 'contacts');
    const last = nextEvent(second, 'message', (m) => m.add === 'last');
    await second.connect();
    sim.scan((await qr).qr, { wid });
    expect((await chats).map((c) => c.jid)).toEqual([CONTACT]);
    expect((await contacts).map((c) => c.jid)).toEqual([CONTACT]);
    expect((await last).message.key.id).toBe('H1');
  });

  it('hosts many sessions at once, each receiving only its own messages', async () => {
    const n = 12;
    const pairs = await Promise.all(
      Array.from({ length: n }, (_, i) => pairedClient(sim, {}, `3363000000${i + 10}@c.us`)),
    );
    for (const p of pairs) clients.push(p.client);
    const got = pairs.map((p) => nextEvent(p.client, 'message'));
    for (const [i, p] of pairs.entries())
      sim.sendMessage(p.session.id, { kind: 'text', from: CONTACT, text: `for ${i}` });
    const texts = (await Promise.all(got)).map((e) => e.message.message?.conversation);
    expect(texts).toEqual(pairs.map((_, i) => `for ${i}`));
    expect(sim.listSessions().filter((s) => s.connected)).toHaveLength(n);
  });
});
