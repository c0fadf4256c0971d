import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { ConnectorEvents, StateChange } from '@wasock/wa-web';
import { DisconnectReason, initAuthCreds, proto, type WAMessage } from '@whiskeysockets/baileys';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MultiDeviceConnector,
  type MultiDeviceConnectorOptions,
  type MultiDeviceEvents,
} from './connector.ts';
import { FAKE_PHONE, FakeWhatsApp, memoryAuth, silentLogger, textMessage } from './testing.ts';

const CONTACT = '593123456789@s.whatsapp.net';
const FAST = { initialMs: 20, maxMs: 100, factor: 2, jitter: 0 };

const open: MultiDeviceConnector[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

function setup(opts: Partial<MultiDeviceConnectorOptions> = {}) {
  const wa = new FakeWhatsApp();
  const auth = memoryAuth();
  const connector = new MultiDeviceConnector({
    auth,
    logger: silentLogger,
    makeSocket: wa.factory,
    backoff: FAST,
    ...opts,
  });
  open.push(connector);
  const states: StateChange[] = [];
  connector.events.on('state', (s) => states.push(s));
  return { wa, auth: (opts.auth as typeof auth | undefined) ?? auth, connector, states };
}

function next<K extends keyof MultiDeviceEvents & string>(
  connector: MultiDeviceConnector,
  event: K,
  match: (...args: MultiDeviceEvents[K]) => boolean = () => true,
  timeoutMs = 2000,
): Promise<MultiDeviceEvents[K][0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    const listener = (...args: MultiDeviceEvents[K]) => {
      if (!match(...args)) return;
      clearTimeout(timer);
      connector.events.off(event, listener);
      resolve(args[0]);
    };
    connector.events.on(event, listener);
  });
}

/** A linked device's credentials, as a previous run left them in the auth state. */
function linkedAuth() {
  const creds = initAuthCreds();
  creds.me = { id: FAKE_PHONE.id, name: FAKE_PHONE.name };
  creds.registered = true;
  return memoryAuth(creds);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('MultiDeviceConnector: linking', () => {
  it('shows the QR, and after the scan restarts at once and is ready (not restored)', async () => {
    const { wa, auth, connector, states } = setup();
    const qr = next(connector, 'qr');
    await connector.connect();
    const shown = await qr;
    expect(shown).toMatchObject({ rotation: 0, ttlMs: 60_000 });
    expect(shown.qr.split(',')).toHaveLength(4);
    expect(connector.state).toBe('awaiting_scan');

    const ready = next(connector, 'ready');
    wa.current.pair();
    const r = await ready;
    expect(r).toMatchObject({ wid: FAKE_PHONE.id, pushname: 'Albert', platform: 'android', restored: false });
    expect(wa.sockets).toHaveLength(2);
    expect(auth.saves).toBeGreaterThan(0);
    expect(auth.state.creds.registered).toBe(true);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'awaiting_scan', 'connecting', 'connected']);
    expect(states[2]?.reason).toMatch(/^restartRequired \(515\)/);
  });

  it('announces each rotated QR with the shorter lifetime', async () => {
    const { wa, connector } = setup();
    await connector.connect();
    const second = next(connector, 'qr');
    wa.current.showQr('2@second');
    expect(await second).toMatchObject({ ref: '2@second', rotation: 1, ttlMs: 20_000 });
  });

  it('links by phone number: a pairing code (method and event), then the phone confirms', async () => {
    const { wa, connector } = setup();
    wa.autoRespond = false;
    const started = connector.connect();
    // Asked before the socket can link: the request waits for it.
    const code = connector.requestPairingCode('+593 98 765 4321');
    const event = next(connector, 'pairing-code');
    await sleep(20);
    wa.current.showQr();
    await started;
    expect(await code).toBe('WASK1234');
    expect(await event).toEqual({ code: 'WASK1234', phoneNumber: '593987654321' });
    expect(wa.current.pairingRequests).toEqual(['593987654321']);

    wa.autoRespond = true;
    const ready = next(connector, 'ready');
    wa.current.pair();
    expect(await ready).toMatchObject({ restored: false, wid: FAKE_PHONE.id });
    await expect(connector.requestPairingCode('593987654321')).rejects.toMatchObject({
      code: 'already_linked',
    });
  });

  it('gives up a code request the caller aborted before the socket could link', async () => {
    const { wa, connector } = setup();
    wa.autoRespond = false;
    void connector.connect().catch(() => undefined);
    const controller = new AbortController();
    const code = connector.requestPairingCode('593987654321', { signal: controller.signal });
    controller.abort();
    await expect(code).rejects.toMatchObject({ code: 'pairing_timeout' });
    wa.current.showQr();
    await sleep(20);
    expect(wa.current.pairingRequests).toEqual([]); // nothing asked of WhatsApp afterwards
  });

  it('refuses a malformed phone number, and a code before connect()', async () => {
    const { connector } = setup();
    await expect(connector.requestPairingCode('12ab')).rejects.toMatchObject({ code: 'bad_phone_number' });
    await expect(connector.requestPairingCode('593987654321')).rejects.toMatchObject({
      code: 'not_connected',
    });
  });

  it('refuses a second connect()', async () => {
    const { connector } = setup();
    await connector.connect();
    await expect(connector.connect()).rejects.toMatchObject({ code: 'already_connecting' });
  });
});

describe('MultiDeviceConnector: restore and traffic', () => {
  it('restores a linked session without a QR and releases the events buffered during login', async () => {
    const auth = linkedAuth();
    const { wa, connector } = setup({ auth });
    wa.autoFlush = false;
    let qrs = 0;
    connector.events.on('qr', () => qrs++);
    const ready = next(connector, 'ready');
    const message = next(connector, 'message');
    await connector.connect();
    expect(await ready).toMatchObject({ restored: true, wid: FAKE_PHONE.id });
    // Arrives while Baileys buffers the offline backlog: held until the flush.
    wa.current.upsert([textMessage('OFF1', CONTACT, 'sent while offline')], 'append');
    await sleep(20);
    wa.current.offlineDone();
    const m = await message;
    expect(m.add).toBe('last');
    expect(m.message).toMatchObject({
      key: { id: 'OFF1', remoteJid: CONTACT },
      message: { conversation: 'sent while offline' },
    });
    expect(qrs).toBe(0);
  });

  it('emits live messages converted to WebMessageInfo (numbers, not Longs)', async () => {
    const { wa, connector } = setup({ auth: linkedAuth() });
    await connector.connect();
    const got: ConnectorEvents['message'][0][] = [];
    connector.events.on('message', (m) => got.push(m));
    const wire = proto.WebMessageInfo.decode(
      proto.WebMessageInfo.encode(
        textMessage('LIVE1', CONTACT, 'hola', { timestamp: 1_719_598_200 }),
      ).finish(),
    ) as WAMessage;
    wa.current.upsert([wire, textMessage('LIVE2', CONTACT, 'otra')]);
    expect(got.map((m) => [m.add, m.message.key.id])).toEqual([
      ['relay', 'LIVE1'],
      ['relay', 'LIVE2'],
    ]);
    expect(got[0]?.message.messageTimestamp).toBe(1_719_598_200);
  });

  it('turns status updates into receipts with WhatsApp levels, by phone-number chat', async () => {
    const { wa, connector } = setup({ auth: linkedAuth() });
    await connector.connect();
    const receipts: ConnectorEvents['receipt'][0][] = [];
    connector.events.on('receipt', (r) => receipts.push(r));
    const S = proto.WebMessageInfo.Status;
    wa.current.updates([
      { key: { remoteJid: CONTACT, fromMe: true, id: 'M1' }, update: { status: S.SERVER_ACK } },
      {
        key: { remoteJid: CONTACT, fromMe: true, id: 'M1' },
        update: { status: S.DELIVERY_ACK, messageTimestamp: 1_719_598_300 },
      },
      {
        key: { remoteJid: '445566@lid', remoteJidAlt: CONTACT, fromMe: true, id: 'M1' },
        update: { status: S.READ },
      },
      { key: { remoteJid: CONTACT, fromMe: true, id: 'M2' }, update: { status: S.PLAYED } },
      // Not a receipt: an edit, a stub.
      {
        key: { remoteJid: CONTACT, fromMe: true, id: 'M3' },
        update: { message: { conversation: 'edited' } },
      },
    ]);
    expect(receipts).toEqual([
      { ids: ['M1'], ack: 1, remoteJid: '593123456789@c.us', fromMe: true, source: 'received' },
      {
        ids: ['M1'],
        ack: 2,
        remoteJid: '593123456789@c.us',
        fromMe: true,
        source: 'received',
        t: 1_719_598_300,
      },
      { ids: ['M1'], ack: 3, remoteJid: '593123456789@c.us', fromMe: true, source: 'received' },
      { ids: ['M2'], ack: 4, remoteJid: '593123456789@c.us', fromMe: true, source: 'received' },
    ]);
  });

  it('turns group per-user receipts into receipts with the reader as participant', async () => {
    const { wa, connector } = setup({ auth: linkedAuth() });
    await connector.connect();
    const receipt = next(connector, 'receipt');
    wa.current.receipts([
      {
        key: { remoteJid: '120363025@g.us', fromMe: true, id: 'G1' },
        receipt: { userJid: '593555555555@s.whatsapp.net', readTimestamp: 1_719_598_400 },
      },
    ]);
    expect(await receipt).toEqual({
      ids: ['G1'],
      ack: 3,
      remoteJid: '120363025@g.us',
      fromMe: true,
      participant: '593555555555@c.us',
      source: 'received',
      t: 1_719_598_400,
    });
  });
});

describe('MultiDeviceConnector: sending', () => {
  async function connected() {
    const ctx = setup({ auth: linkedAuth() });
    const ready = next(ctx.connector, 'ready');
    await ctx.connector.connect();
    await ready;
    return ctx;
  }

  it('relays a message under the caller-chosen id to the phone-number jid', async () => {
    const { wa, connector } = await connected();
    const result = await connector.sendMessage(
      '593123456789@c.us',
      { conversation: 'hola' },
      { id: '3EB0AB' },
    );
    expect(result).toMatchObject({ id: '3EB0AB', status: 200 });
    expect(result.t).toBeGreaterThan(1_700_000_000);
    const [sent] = wa.current.relayed;
    expect(sent).toMatchObject({ jid: CONTACT, messageId: '3EB0AB' });
    expect(sent!.message).toBeInstanceOf(proto.Message);
    expect(sent!.message.conversation).toBe('hola');
  });

  it('names the quoted author of a reply by phone-number jid', async () => {
    const { wa, connector } = await connected();
    await connector.sendMessage(
      '593123456789@c.us',
      {
        extendedTextMessage: {
          text: 'sí',
          contextInfo: {
            stanzaId: 'Q1',
            participant: '593123456789@c.us',
            quotedMessage: { conversation: '' },
          },
        },
      },
      { id: 'R1' },
    );
    expect(wa.current.relayed[0]!.message.extendedTextMessage?.contextInfo).toMatchObject({
      stanzaId: 'Q1',
      participant: CONTACT,
    });
  });

  it('answers a retry request with the message it sent, and nothing else', async () => {
    const { wa, connector } = await connected();
    await connector.sendMessage('593123456789@c.us', { conversation: 'again?' }, { id: 'RETRY1' });
    const getMessage = wa.current.config.getMessage!;
    expect((await getMessage({ id: 'RETRY1' }))?.conversation).toBe('again?');
    expect(await getMessage({ id: 'NEVER-SENT' })).toBeUndefined();
  });

  it('refuses to send while not connected, and reports a relay WhatsApp refused', async () => {
    const idle = setup();
    await expect(idle.connector.sendMessage(CONTACT, { conversation: 'x' })).rejects.toMatchObject({
      code: 'not_connected',
    });
    const { wa, connector } = await connected();
    wa.refuseSends = true;
    await expect(connector.sendMessage(CONTACT, { conversation: 'x' }, { id: 'NO' })).rejects.toMatchObject({
      code: 'send_failed',
    });
  });

  it('uploads an encrypted file to the media host and returns its url and direct path', async () => {
    const { wa, connector } = await connected();
    const file = Buffer.from('encrypted bytes and a ten-byte mac');
    const fileEncSha256 = createHash('sha256').update(file).digest();
    const uploaded = await connector.uploadMedia(file, { mediaType: 'image', fileEncSha256 });
    expect(uploaded.url).toMatch(/^https:\/\/mmg\.whatsapp\.net\/v\//);
    expect(uploaded.directPath).toMatch(/^\/v\//);
    expect(wa.uploads.get(uploaded.directPath!)).toEqual({ mediaType: 'image', file });
  });

  it('reports a failed upload with its reason and leaves no temporary file behind', async () => {
    const { connector } = await connected();
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('wasock-md-upload-')).length;
    const wrongHash = Buffer.alloc(32);
    await expect(
      connector.uploadMedia(Buffer.from('bytes'), { mediaType: 'document', fileEncSha256: wrongHash }),
    ).rejects.toMatchObject({ code: 'upload_failed' });
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('wasock-md-upload-'))).toHaveLength(before);
  });
});

describe('MultiDeviceConnector: disconnect reasons', () => {
  it('reconnects with backoff after a lost connection, and is ready again', async () => {
    const { wa, connector, states } = setup({ auth: linkedAuth() });
    await connector.connect();
    const again = next(connector, 'ready');
    wa.current.close(DisconnectReason.connectionLost, 'Connection was lost');
    expect(await again).toMatchObject({ restored: true });
    expect(wa.sockets).toHaveLength(2);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'connected', 'connecting', 'connected']);
    expect(states[2]?.reason).toBe('timedOut (408): Connection was lost');
  });

  it('stops as logged_out, forgets the auth state and never retries when the phone unlinks', async () => {
    const auth = linkedAuth();
    const { wa, connector } = setup({ auth });
    await connector.connect();
    const loggedOut = next(connector, 'state', (s) => s.state === 'logged_out');
    wa.unlink();
    expect((await loggedOut).reason).toMatch(/^loggedOut \(401\)/);
    expect(auth.cleared).toBe(1);
    await sleep(150);
    expect(wa.sockets).toHaveLength(1);
    expect(connector.state).toBe('logged_out');
  });

  it('stops as replaced when another client takes the session, without fighting it', async () => {
    const { wa, connector } = setup({ auth: linkedAuth() });
    await connector.connect();
    const replaced = next(connector, 'state', (s) => s.state === 'replaced');
    wa.current.close(DisconnectReason.connectionReplaced, 'Stream Errored (conflict)');
    await replaced;
    await sleep(150);
    expect(wa.sockets).toHaveLength(1);
  });

  it('gives up as closed after the configured number of failed reconnects', async () => {
    const { wa, connector } = setup({ auth: linkedAuth(), maxReconnectAttempts: 2 });
    wa.autoRespond = false;
    const started = connector.connect().then(
      () => null,
      (err: unknown) => err,
    );
    const closed = next(connector, 'state', (s) => s.state === 'closed');
    for (let i = 0; i < 3; i++) {
      await sleep(10);
      wa.current.close(DisconnectReason.unavailableService, 'Service Unavailable');
      await sleep(120);
    }
    expect((await closed).reason).toMatch(/gave up after 2 reconnect attempts: unavailableService \(503\)/);
    expect(await started).toMatchObject({ code: 'closed' });
  });

  it('rejects connect() when the stored device was unlinked meanwhile', async () => {
    const auth = linkedAuth();
    const { wa, connector } = setup({ auth });
    wa.unlinked.add(FAKE_PHONE.id);
    await expect(connector.connect()).rejects.toMatchObject({ code: 'logged_out' });
    expect(auth.cleared).toBe(1);
  });
});

describe('MultiDeviceConnector: failures it survives', () => {
  it('retries when Baileys cannot even create a socket', async () => {
    const wa = new FakeWhatsApp();
    let calls = 0;
    const { connector } = setup({
      auth: linkedAuth(),
      makeSocket: (config) => {
        if (calls++ === 0) throw new Error('bad socket config');
        return wa.factory(config);
      },
    });
    const warning = next(connector, 'warning');
    const ready = next(connector, 'ready');
    const started = connector.connect();
    expect(await warning).toMatchObject({ code: 'socket_failed' });
    await started;
    expect(await ready).toMatchObject({ restored: true });
  });

  it('reports a listener that throws as a warning instead of ending the process', async () => {
    const { wa, connector } = setup({ auth: linkedAuth() });
    await connector.connect();
    const seen: string[] = [];
    connector.events.on('message', (m) => {
      if (m.message.key.id === 'BOOM') throw new Error('listener bug');
      seen.push(m.message.key.id ?? '');
    });
    const warning = next(connector, 'warning');
    wa.current.upsert([textMessage('BOOM', CONTACT, 'x')]);
    expect(await warning).toMatchObject({ code: 'event_failed', message: /listener bug/ });
    wa.current.upsert([textMessage('OK1', CONTACT, 'y')]);
    expect(seen).toEqual(['OK1']);
  });
});

describe('MultiDeviceConnector: close and logout', () => {
  it('close() ends the socket, keeps the auth state and does not reconnect', async () => {
    const auth = linkedAuth();
    const { wa, connector } = setup({ auth });
    await connector.connect();
    await connector.close();
    expect(connector.state).toBe('closed');
    expect(wa.current.ended).toBe(true);
    await sleep(100);
    expect(wa.sockets).toHaveLength(1);
    expect(auth.cleared).toBe(0);
  });

  it('logout() unlinks on WhatsApp, deletes the auth state and ends logged_out', async () => {
    const auth = linkedAuth();
    const { wa, connector, states } = setup({ auth });
    await connector.connect();
    await connector.logout();
    expect(wa.current.loggedOut).toBe(true);
    expect(auth.cleared).toBe(1);
    expect(states.at(-1)).toMatchObject({ state: 'logged_out', reason: 'logged out by owner' });
    await sleep(100);
    expect(wa.sockets).toHaveLength(1);
  });

  it('emits nothing after close()', async () => {
    const { wa, connector } = setup({ auth: linkedAuth() });
    await connector.connect();
    const sock = wa.current;
    await connector.close();
    let messages = 0;
    connector.events.on('message', () => messages++);
    sock.upsert([textMessage('LATE', CONTACT, 'late')]);
    expect(messages).toBe(0);
  });
});
