// The connector contract: what the session worker relies on from any WhatsApp connector, whatever
// protocol it speaks. Each connector runs this suite against its own stand-in for WhatsApp (the
// legacy one against wa-sim, the multi-device one against Baileys events built with Baileys'
// proto types), so a new connector is held to the same behaviour the runner was written for.
import type { Connector, ConnectorEvents, SendResult, StateChange, WebMessage } from '@wasock/wa-web';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeMessage } from '../../packages/normalizer/src/index.ts';

/** A connector as the session worker drives it: it also logs out and sends. */
export type ContractConnector = Connector & {
  logout(): Promise<void>;
  sendMessage(jid: string, message: WebMessage, opts: { id?: string }): Promise<SendResult>;
};

/** One connector and the levers its test double gives over "WhatsApp" and "the phone". */
export interface ContractHarness {
  /** The contact that writes to the linked phone, in seed form (`…@c.us`). */
  readonly contact: string;
  /** A connector for a session that was never linked. */
  fresh(): Promise<ContractConnector>;
  /** The phone links the device whose QR this is (scan, or the pairing it stands for). */
  link(qr: string): Promise<void>;
  /** A connector for the last linked session, from what was persisted (restart, takeover). */
  restored(): Promise<ContractConnector>;
  /** The contact sends a text; resolves with its message id. */
  incomingText(text: string): Promise<string>;
  /** What WhatsApp took from us under message id `id`: to whom (seed form) and the text. */
  relayedText(id: string): Promise<{ to: string; text: string } | undefined>;
  /** The contact's phone reports our message delivered or read. */
  receipt(id: string, level: 'delivered' | 'read'): Promise<void>;
  /** The network drops the live connection. */
  dropConnection(): Promise<void>;
  /** Another client takes the session over. */
  replace(): Promise<void>;
  /** The phone removes the linked device. */
  unlinkFromPhone(): Promise<void>;
  /** Releases what the harness started (extra clients, servers). */
  cleanup(): Promise<void>;
}

/** Waits for the next `event` the connector emits that matches. */
export function nextEvent<K extends keyof ConnectorEvents & string>(
  connector: Connector,
  event: K,
  match: (...args: ConnectorEvents[K]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<ConnectorEvents[K][0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      connector.events.off(event, listener);
      reject(new Error(`no ${event} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (...args: ConnectorEvents[K]) => {
      if (!match(...args)) return;
      clearTimeout(timer);
      connector.events.off(event, listener);
      resolve(args[0]);
    };
    connector.events.on(event, listener);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Registers the contract suite for one connector. */
export function connectorContract(name: string, makeHarness: () => Promise<ContractHarness>): void {
  describe(`connector contract: ${name}`, () => {
    const open: ContractConnector[] = [];
    let harness: ContractHarness | undefined;

    afterEach(async () => {
      await Promise.all(open.splice(0).map((c) => c.close()));
      await harness?.cleanup();
      harness = undefined;
    });

    async function start() {
      harness = await makeHarness();
      return harness;
    }

    /** A fresh connector, linked through its first QR; returns it with its ready event. */
    async function linked(h: ContractHarness) {
      const c = await h.fresh();
      open.push(c);
      const qr = nextEvent(c, 'qr');
      const ready = nextEvent(c, 'ready');
      await c.connect();
      await h.link((await qr).qr);
      return { connector: c, ready: await ready };
    }

    it('shows a QR (connect() resolves then), and is ready once the phone links it', async () => {
      const h = await start();
      const c = await h.fresh();
      open.push(c);
      const states: StateChange[] = [];
      c.events.on('state', (s) => states.push(s));
      const qr = nextEvent(c, 'qr');
      await c.connect();
      const shown = await qr;
      expect(shown.qr.length).toBeGreaterThan(10);
      expect(shown.ttlMs).toBeGreaterThan(0);
      expect(c.state).toBe('awaiting_scan');
      expect(states.find((s) => s.state === 'awaiting_scan')?.qr).toBe(shown.qr);

      const ready = nextEvent(c, 'ready');
      await h.link(shown.qr);
      const r = await ready;
      expect(r.restored).toBe(false);
      expect(r.wid).toMatch(/^593987654321\b/);
      expect(c.state).toBe('connected');
      expect(states.at(-1)?.state).toBe('connected');
    });

    it('restores a linked session from what was persisted, without a QR', async () => {
      const h = await start();
      const first = await linked(h);
      await first.connector.close();
      const again = await h.restored();
      open.push(again);
      let qrs = 0;
      again.events.on('qr', () => qrs++);
      const ready = nextEvent(again, 'ready');
      await again.connect();
      expect(await ready).toMatchObject({ restored: true });
      expect(qrs).toBe(0);
    });

    it('emits an incoming text that the shared normalizer turns into the seed message', async () => {
      const h = await start();
      const { connector, ready } = await linked(h);
      const message = nextEvent(connector, 'message');
      const id = await h.incomingText('Hola, ¿qué tal? 😀');
      const m = await message;
      expect(normalizeMessage(m.message, { ownJid: ready.wid })?.event).toMatchObject({
        content: 'message',
        messageId: `false_${h.contact}_${id}`,
        from: h.contact,
        to: '593987654321@c.us',
        fromMe: false,
        body: 'Hola, ¿qué tal? 😀',
        type: 'chat',
        hasMedia: false,
        hasQuoteMsg: false,
      });
    });

    it('sends a text to the contact under the id the caller fixed (a retry is the same message)', async () => {
      const h = await start();
      const { connector } = await linked(h);
      const result = await connector.sendMessage(
        h.contact,
        { conversation: 'Su pedido salió' },
        {
          id: '3EB0C0FFEE000001',
        },
      );
      expect(result).toMatchObject({ id: '3EB0C0FFEE000001', status: 200 });
      expect(await h.relayedText('3EB0C0FFEE000001')).toEqual({ to: h.contact, text: 'Su pedido salió' });
    });

    it('emits receipts of our messages at WhatsApp levels (delivered 2, read 3)', async () => {
      const h = await start();
      const { connector } = await linked(h);
      const got: ConnectorEvents['receipt'][0][] = [];
      connector.events.on('receipt', (r) => got.push(r));
      await h.receipt('3EB0C0FFEE', 'delivered');
      await h.receipt('3EB0C0FFEE', 'read');
      await waitUntil(() => got.length >= 2);
      expect(got.map((r) => ({ ids: r.ids, ack: r.ack, remoteJid: r.remoteJid, fromMe: r.fromMe }))).toEqual([
        { ids: ['3EB0C0FFEE'], ack: 2, remoteJid: h.contact, fromMe: true },
        { ids: ['3EB0C0FFEE'], ack: 3, remoteJid: h.contact, fromMe: true },
      ]);
    });

    it('reconnects by itself after the connection drops, without a QR', async () => {
      const h = await start();
      const { connector } = await linked(h);
      let qrs = 0;
      connector.events.on('qr', () => qrs++);
      const reconnecting = nextEvent(connector, 'state', (s) => s.state === 'connecting');
      const again = nextEvent(connector, 'ready');
      await h.dropConnection();
      await reconnecting;
      expect(await again).toMatchObject({ restored: true });
      expect(connector.state).toBe('connected');
      expect(qrs).toBe(0);
    });

    it('stops as replaced when another client takes the session over, and does not fight it', async () => {
      const h = await start();
      const { connector } = await linked(h);
      const states: string[] = [];
      connector.events.on('state', (s) => states.push(s.state));
      await h.replace();
      await waitUntil(() => connector.state === 'replaced');
      await sleep(300);
      expect(states).toEqual(['replaced']);
    });

    it('reports logged_out when the phone removes the device', async () => {
      const h = await start();
      const { connector } = await linked(h);
      const loggedOut = nextEvent(connector, 'state', (s) => s.state === 'logged_out');
      await h.unlinkFromPhone();
      expect((await loggedOut).reason).toBeTruthy();
    });

    it('close() stops for good: closed, no reconnect, nothing emitted after', async () => {
      const h = await start();
      const { connector } = await linked(h);
      await connector.close();
      expect(connector.state).toBe('closed');
      const after: string[] = [];
      connector.events.on('state', (s) => after.push(s.state));
      connector.events.on('message', () => after.push('message'));
      await h.incomingText('after close');
      await sleep(300);
      expect(after).toEqual([]);
    });
  });
}

async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}
