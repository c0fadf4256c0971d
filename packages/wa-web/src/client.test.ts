import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import type { WaWebClientEvents } from './client.ts';
import { WaWebClient } from './client.ts';
import { encryptFramePayload } from './frame-crypto.ts';
import { createConnSecret, randomSessionKeys } from './login-crypto.ts';

// A scripted fake server (127.0.0.1 only) for answers the simulator never gives.
let wss: WebSocketServer | undefined;
let client: WaWebClient | undefined;

afterEach(async () => {
  await client?.close();
  await new Promise<void>((r) => (wss ? wss.close(() => r()) : r()));
  wss = undefined;
});

async function fakeServer(onText: (ws: WebSocket, tag: string, json: unknown) => void): Promise<string> {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss!.once('listening', () => r()));
  wss.on('connection', (ws) =>
    ws.on('message', (data, isBinary) => {
      const text = String(data);
      if (isBinary || text === '?,,') return;
      const comma = text.indexOf(',');
      onText(ws, text.slice(0, comma), JSON.parse(text.slice(comma + 1)));
    }),
  );
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
}

function next<K extends keyof WaWebClientEvents & string>(
  c: WaWebClient,
  event: K,
  match: (...a: WaWebClientEvents[K]) => boolean = () => true,
): Promise<WaWebClientEvents[K][0]> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${event}`)), 3000);
    const l = (...a: WaWebClientEvents[K]) => {
      if (!match(...a)) return;
      clearTimeout(t);
      c.events.off(event, l);
      resolve(a[0]);
    };
    c.events.on(event, l);
  });
}

const fast = {
  requestTimeoutMs: 500,
  keepaliveIntervalMs: 1000,
  deadAfterMs: 2000,
  backoff: { initialMs: 20, maxMs: 100, factor: 2, jitter: 0 },
};

describe('WaWebClient against a scripted server', () => {
  it('accepts tag,,json answers, ignores bare tag, frames, and treats a secret failing its HMAC as an error, not a crash', async () => {
    let connections = 0;
    const url = await fakeServer((ws, tag, json) => {
      const msg = json as unknown[];
      if (msg[1] === 'init') {
        connections++;
        ws.send(`${tag},`);
        ws.send(`${tag},,${JSON.stringify({ status: 200, ref: '1@ref', ttl: 20000 })}`);
      }
    });
    client = new WaWebClient({ url, ...fast });
    const qr = next(client, 'qr');
    await client.connect();
    const pub = Buffer.from((await qr).qr.split(',')[1]!, 'base64');
    const secret = createConnSecret(pub, randomSessionKeys());
    secret[40]! ^= 1;
    const warning = next(client, 'warning', (w) => w.code === 'bad_secret');
    const again = next(client, 'qr', () => true);
    for (const ws of wss!.clients)
      ws.send(
        `s1,${JSON.stringify(['Conn', { wid: '1@c.us', clientToken: 'c', serverToken: 's', secret: secret.toString('base64') }])}`,
      );
    await warning;
    await again;
    expect(client.counters().loginFailures).toBe(1);
    expect(connections).toBe(2);
    expect(client.state).toBe('awaiting_scan');
  });

  it('retries with backoff when admin init is refused, then gives up after maxReconnectAttempts', async () => {
    const url = await fakeServer((ws, tag) => ws.send(`${tag},${JSON.stringify({ status: 500 })}`));
    client = new WaWebClient({ url, ...fast, maxReconnectAttempts: 3 });
    const closed = next(client, 'state', (s) => s.state === 'closed');
    await expect(client.connect()).rejects.toMatchObject({ code: 'closed' });
    expect((await closed).reason).toMatch(/gave up after 3/);
    expect(client.counters().reconnects).toBe(3);
  });

  it('restores with takeover: 409 stops as replaced', async () => {
    const url = await fakeServer((ws, tag, json) => {
      const msg = json as unknown[];
      if (msg[1] === 'init') ws.send(`${tag},${JSON.stringify({ status: 200, ref: '1@r', ttl: 20000 })}`);
      if (msg[1] === 'login') ws.send(`${tag},${JSON.stringify({ status: 409 })}`);
    });
    const keys = randomSessionKeys();
    client = new WaWebClient({
      url,
      ...fast,
      credentials: {
        clientId: 'Y2xpZW50',
        clientToken: 'c',
        serverToken: 's',
        encKey: keys.encKey.toString('base64'),
        macKey: keys.macKey.toString('base64'),
      },
    });
    await expect(client.connect()).rejects.toMatchObject({ code: 'replaced' });
    expect(client.state).toBe('replaced');
  });

  it('refuses to send before it is connected', async () => {
    client = new WaWebClient({ url: 'ws://127.0.0.1:1', ...fast, maxReconnectAttempts: 0 });
    await expect(client.sendText('1@c.us', 'x')).rejects.toMatchObject({ code: 'connection_closed' });
  });
});

describe('WaWebClient under hostile frames', () => {
  it('survives hundreds of random text, binary and validly encrypted garbage frames while connected', async () => {
    const keys = randomSessionKeys();
    const url = await fakeServer((ws, tag, json) => {
      const msg = json as unknown[];
      if (msg[1] === 'init') ws.send(`${tag},${JSON.stringify({ status: 200, ref: '1@r', ttl: 20000 })}`);
    });
    client = new WaWebClient({ url, ...fast, postConnectQueries: false });
    const qr = next(client, 'qr');
    const ready = next(client, 'ready');
    await client.connect();
    const pub = Buffer.from((await qr).qr.split(',')[1]!, 'base64');
    const [ws] = [...wss!.clients];
    const conn = {
      wid: '1@c.us',
      clientToken: 'c',
      serverToken: 's',
      secret: createConnSecret(pub, keys).toString('base64'),
    };
    ws!.send(`s1,${JSON.stringify(['Conn', conn])}`);
    await ready;
    const rnd = fc.sample(
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 80 }).map((s) => ({ kind: 'text' as const, data: s })),
        fc.uint8Array({ maxLength: 120 }).map((b) => ({ kind: 'bin' as const, data: b })),
        fc.uint8Array({ maxLength: 120 }).map((b) => ({ kind: 'sealed' as const, data: b })),
        fc
          .jsonValue()
          .map((j) => ({ kind: 'text' as const, data: `t${Math.random()},${JSON.stringify(j)}` })),
      ),
      { numRuns: 600, seed: 42 },
    );
    for (const f of rnd) {
      if (f.kind === 'text') ws!.send(f.data);
      else if (f.kind === 'bin') ws!.send(Buffer.concat([Buffer.from('x,'), f.data]));
      else ws!.send(Buffer.concat([Buffer.from('y,'), encryptFramePayload(f.data, keys)]));
    }
    // A last well-formed frame proves the connection still reads after all the garbage.
    const ack = next(client, 'receipt');
    ws!.send(
      `z,${JSON.stringify(['Msg', { cmd: 'ack', id: 'LAST', ack: 2, from: '2@c.us', to: '1@c.us' }])}`,
    );
    expect((await ack).ids).toEqual(['LAST']);
    expect(client.state).toBe('connected');
    const c = client.counters();
    expect(c.decodeErrors + c.badMac + c.decryptErrors).toBeGreaterThan(100);
    expect(c.reconnects).toBe(0);
  });
});
