import { connect, type Socket } from 'node:net';

/** One event as a resuming client received it. */
export interface Received {
  eventId: string;
  content: string;
  messageId?: string;
  at: number;
}

export interface ResumingClientOptions {
  token: string;
  /** Edge ports to use, round robin on every reconnect (a load balancer would do the same). */
  ports: () => number[];
  /** Pause before reconnecting after a close. */
  reconnectDelayMs?: number;
}

/**
 * A client as a careful program writes one: hello with `ids`, remembers the last event id, and
 * on every close reconnects (to the next edge) resuming with `since`. It records everything it
 * receives, so a test can check exactly-once delivery against the ledger of what was sent.
 */
export class ResumingClient {
  readonly received: Received[] = [];
  readonly resumes: string[] = [];
  readonly errors: string[] = [];
  connects = 0;
  private socket: Socket | undefined;
  private lastEventId: string | undefined;
  private stopped = false;
  private next = 0;
  private readonly opts: ResumingClientOptions;

  constructor(opts: ResumingClientOptions) {
    this.opts = opts;
  }

  /** Connects and keeps reconnecting until `stop()`. */
  start(): void {
    this.open();
  }

  private open(): void {
    if (this.stopped) return;
    const ports = this.opts.ports();
    if (ports.length === 0) {
      // Every edge is down (being replaced): try again shortly, as a client behind a balancer would.
      setTimeout(() => this.open(), this.opts.reconnectDelayMs ?? 100);
      return;
    }
    const port = ports[this.next++ % ports.length] as number;
    const socket = connect({ port, host: '127.0.0.1' });
    this.socket = socket;
    let buf = '';
    socket.setEncoding('latin1');
    socket.on('connect', () => {
      this.connects++;
      const hello = {
        token: this.opts.token,
        ids: true,
        ...(this.lastEventId ? { since: this.lastEventId } : {}),
      };
      socket.write(`${JSON.stringify(hello)}\n`);
    });
    socket.on('data', (chunk: string) => {
      buf += chunk;
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        this.onLine(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        nl = buf.indexOf('\n');
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      if (!this.stopped) setTimeout(() => this.open(), this.opts.reconnectDelayMs ?? 100);
    });
  }

  private onLine(line: string): void {
    const ev = JSON.parse(line) as Record<string, unknown>;
    if (ev.content === 'resume') {
      this.resumes.push(String(ev.status));
      return;
    }
    if (ev.content === 'error') {
      this.errors.push(String(ev.code));
      return;
    }
    const eventId = String(ev.eventId);
    this.lastEventId = eventId;
    this.received.push({
      eventId,
      content: String(ev.content),
      ...(typeof ev.messageId === 'string' ? { messageId: ev.messageId } : {}),
      at: performance.timeOrigin + performance.now(),
    });
  }

  /** Message ids of the `message` events received, in order. */
  messageIds(): string[] {
    return this.received.filter((r) => r.content === 'message').map((r) => String(r.messageId));
  }

  stop(): void {
    this.stopped = true;
    this.socket?.destroy();
  }
}
