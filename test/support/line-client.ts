import { connect, type Socket } from 'node:net';
import { waitFor } from '@wasock/testkit';

/** A raw TCP client that records every byte and splits lines, like a program built on seed 000. */
export class LineClient {
  readonly socket: Socket;
  raw = '';
  closed = false;
  /** When each complete line arrived (ms, shared clock), for latency. */
  readonly receivedAt: number[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.raw += d;
      const at = performance.timeOrigin + performance.now();
      for (let i = d.indexOf('\n'); i >= 0; i = d.indexOf('\n', i + 1)) this.receivedAt.push(at);
    });
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => undefined);
  }

  /** Opens a connection and waits until it is established. */
  static open(port: number, host = '127.0.0.1'): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host });
      socket.once('connect', () => resolve(new LineClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Connects and sends `first` (a bare token or a hello line) in one write. */
  static async connect(port: number, first: string): Promise<LineClient> {
    const c = await LineClient.open(port);
    c.socket.write(first);
    return c;
  }

  /** Complete lines received so far, parsed as JSON. */
  get lines(): Record<string, unknown>[] {
    return this.raw
      .split('\n')
      .slice(0, -1)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  /** Waits until at least `n` complete lines arrived. */
  async waitForLines(n: number, timeoutMs = 10_000): Promise<Record<string, unknown>[]> {
    await waitFor(() => this.raw.split('\n').length - 1 >= n, {
      timeoutMs,
      what: `${n} lines (have ${this.lines.length})`,
    });
    return this.lines;
  }

  /** Waits until the server closes the connection. */
  async waitForClose(timeoutMs = 10_000): Promise<void> {
    await waitFor(() => this.closed, { timeoutMs, what: 'the server to close the connection' });
  }

  close(): void {
    this.socket.destroy();
  }
}
