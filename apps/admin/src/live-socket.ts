import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { LiveClientMessage, type LiveServerMessage } from '@wasock/contracts';
import type { Logger } from '@wasock/runtime';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { AdminAuth } from './auth.ts';
import type { LiveHub, LiveSink } from './live-hub.ts';
import type { AdminMetrics } from './metrics.ts';

/** Live-channel limits; tests shorten them. */
export interface LiveSocketOptions {
  path?: string;
  /** A client must authenticate within this long. */
  authTimeoutMs?: number;
  /** Unsent bytes a client may hold before it is cut off as too slow. */
  maxBufferedBytes?: number;
  /** Ping period; a client that missed the previous pong is dropped. */
  pingIntervalMs?: number;
}

// Close codes in the application range, so the console can tell them apart.
const CLOSE_UNAUTHORIZED = 4401;
const CLOSE_AUTH_TIMEOUT = 4408;
const CLOSE_TOO_SLOW = 4429;

function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
}

/**
 * The `/live` WebSocket. Browsers cannot set headers on a WebSocket, so the admin token comes
 * as `?token=` or as the first message `{"token": …}`; nothing is sent before it is checked.
 */
export class LiveSocketServer {
  readonly #wss: WebSocketServer;
  readonly #hub: LiveHub;
  readonly #auth: AdminAuth;
  readonly #metrics: AdminMetrics;
  readonly #logger: Logger;
  readonly #opts: Required<LiveSocketOptions>;
  readonly #alive = new WeakSet<WebSocket>();
  readonly #pinger: NodeJS.Timeout;

  constructor(
    hub: LiveHub,
    auth: AdminAuth,
    metrics: AdminMetrics,
    logger: Logger,
    opts: LiveSocketOptions = {},
  ) {
    this.#hub = hub;
    this.#auth = auth;
    this.#metrics = metrics;
    this.#logger = logger;
    this.#opts = {
      path: opts.path ?? '/live',
      authTimeoutMs: opts.authTimeoutMs ?? 5000,
      maxBufferedBytes: opts.maxBufferedBytes ?? 4 * 1024 * 1024,
      pingIntervalMs: opts.pingIntervalMs ?? 30_000,
    };
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
    this.#pinger = setInterval(() => this.#ping(), this.#opts.pingIntervalMs).unref();
  }

  /** Takes over the HTTP server's upgrade requests for the live path. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://admin.invalid');
      if (url.pathname !== this.#opts.path) return rejectUpgrade(socket, 404, 'Not Found');
      const token = url.searchParams.get('token');
      if (token !== null && !this.#auth.matches(token)) return rejectUpgrade(socket, 401, 'Unauthorized');
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, token !== null));
    });
  }

  /** Closes every client (going away) and stops accepting. */
  async close(): Promise<void> {
    clearInterval(this.#pinger);
    for (const ws of this.#wss.clients) ws.close(1001, 'admin shutting down');
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #accept(ws: WebSocket, authenticated: boolean): void {
    this.#alive.add(ws);
    ws.on('pong', () => this.#alive.add(ws));
    const send = (msg: LiveServerMessage) => sink.send(JSON.stringify(msg));
    const sink: LiveSink = {
      send: (text) => {
        if (ws.readyState !== WebSocket.OPEN) return;
        // A console that stops reading must not make the admin process hold its backlog.
        if (ws.bufferedAmount > this.#opts.maxBufferedBytes) {
          ws.close(CLOSE_TOO_SLOW, 'too slow');
          return;
        }
        ws.send(text);
      },
    };
    let ready = false;
    const admit = () => {
      ready = true;
      this.#hub.addClient(sink);
      this.#metrics.liveClients.inc();
      send({ type: 'ready' });
    };
    const timer = authenticated
      ? undefined
      : setTimeout(() => ws.close(CLOSE_AUTH_TIMEOUT, 'no token in time'), this.#opts.authTimeoutMs);
    if (authenticated) admit();

    ws.on('message', (data: RawData, isBinary: boolean) => {
      const msg = isBinary ? undefined : parseMessage(data);
      if (!msg) {
        send({
          type: 'error',
          code: 'invalid_message',
          message: 'expected {"token"}, {"subscribe"} or {"unsubscribe"}',
        });
        if (!ready) ws.close(CLOSE_UNAUTHORIZED, 'unauthorized');
        return;
      }
      if ('token' in msg) {
        if (ready) return;
        clearTimeout(timer);
        if (this.#auth.matches(msg.token)) admit();
        else {
          send({ type: 'error', code: 'unauthenticated', message: 'wrong admin token' });
          ws.close(CLOSE_UNAUTHORIZED, 'unauthorized');
        }
        return;
      }
      if (!ready) {
        send({ type: 'error', code: 'unauthenticated', message: 'send {"token": …} first' });
        ws.close(CLOSE_UNAUTHORIZED, 'unauthorized');
        return;
      }
      const done =
        'subscribe' in msg
          ? this.#hub
              .subscribe(sink, msg.subscribe)
              .then(() => send({ type: 'subscribed', sid: msg.subscribe }))
          : this.#hub
              .unsubscribe(sink, msg.unsubscribe)
              .then(() => send({ type: 'unsubscribed', sid: msg.unsubscribe }));
      done.catch((err: unknown) => {
        this.#logger.warn({ err }, 'live subscription change failed');
        send({ type: 'error', code: 'unavailable', message: 'Redis did not answer; try again' });
      });
    });

    ws.on('close', () => {
      clearTimeout(timer);
      if (!ready) return;
      this.#metrics.liveClients.dec();
      this.#hub.removeClient(sink).catch((err: unknown) => {
        this.#logger.warn({ err }, 'could not drop the channels of a closed live client');
      });
    });
    ws.on('error', (err) => this.#logger.debug({ err }, 'live client socket error'));
  }

  #ping(): void {
    for (const ws of this.#wss.clients) {
      if (!this.#alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.#alive.delete(ws);
      ws.ping();
    }
  }
}

/** Parses a client message; null when it is not JSON or not one of the known shapes. */
export function parseMessage(data: RawData): LiveClientMessage | null {
  let json: unknown;
  try {
    json = JSON.parse(data.toString());
  } catch {
    return null; // answered with an `invalid_message` error by the caller
  }
  const msg = LiveClientMessage.safeParse(json);
  return msg.success ? msg.data : null;
}
