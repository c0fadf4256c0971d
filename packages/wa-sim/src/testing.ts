// Helpers for tests that drive a WaWebClient against an in-process simulator (this package's
// tests and the session worker's). No test framework here: plain promises with time bounds.
import { WaWebClient, type WaWebClientEvents, type WaWebClientOptions } from '@wasock/wa-web';
import { type WaSimOptions, WaSimServer } from './sim-server.ts';

/** Short timeouts so socket tests finish in well under a second each. */
export const FAST: WaWebClientOptions = {
  requestTimeoutMs: 2000,
  keepaliveIntervalMs: 200,
  deadAfterMs: 600,
  backoff: { initialMs: 50, maxMs: 400, factor: 2, jitter: 0 },
  maxReconnectAttempts: 20,
};

/** A simulator on an ephemeral 127.0.0.1 port. */
export async function startSim(options: WaSimOptions = {}): Promise<WaSimServer> {
  const sim = new WaSimServer({ host: '127.0.0.1', port: 0, ...options });
  await sim.listen();
  return sim;
}

/** A client pointed at the simulator with the fast timeouts. */
export function newClient(sim: WaSimServer, options: WaWebClientOptions = {}): WaWebClient {
  return new WaWebClient({ url: sim.url, origin: 'https://web.whatsapp.com', ...FAST, ...options });
}

/** The next `event` the client emits that satisfies `match`, or a rejection after `timeoutMs`. */
export function nextEvent<K extends keyof WaWebClientEvents & string>(
  client: WaWebClient,
  event: K,
  match: (...args: WaWebClientEvents[K]) => boolean = () => true,
  timeoutMs = 3000,
): Promise<WaWebClientEvents[K][0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.events.off(event, listener);
      reject(new Error(`no ${event} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (...args: WaWebClientEvents[K]) => {
      if (!match(...args)) return;
      clearTimeout(timer);
      client.events.off(event, listener);
      resolve(args[0]);
    };
    client.events.on(event, listener);
  });
}

/** Connects a fresh client and scans its first QR; resolves once it is ready. */
export async function pairedClient(sim: WaSimServer, options: WaWebClientOptions = {}, wid?: string) {
  const client = newClient(sim, options);
  const qr = nextEvent(client, 'qr');
  const ready = nextEvent(client, 'ready');
  await client.connect();
  const session = sim.scan((await qr).qr, wid ? { wid, pushname: 'Albert' } : { pushname: 'Albert' });
  return { client, session, ready: await ready };
}

/** Polls `check` every 10 ms until it holds (bounded by `timeoutMs`). */
export async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
