import { connect, type Socket } from 'node:net';
import { errorCodeIn } from '../event-shape.ts';
import type { ClientSpec, Conn, LineSink, Target } from './types.ts';

/** A client of the TCP line protocol (sock-edge, naive edge, wire limit): token line, then lines. */
export class LineConn implements Conn {
  readonly spec: ClientSpec;
  got = 0;
  failure: string | null = null;
  private socket: Socket | null = null;
  private rest = '';
  private waitLines = 0;
  private settle: ((err: string | null) => void) | null = null;
  private readonly sink: LineSink;

  constructor(spec: ClientSpec, sink: LineSink) {
    this.spec = spec;
    this.sink = sink;
  }

  open(target: Target, waitLines: number): Promise<void> {
    this.got = 0;
    this.rest = '';
    this.failure = null;
    this.waitLines = waitLines;
    return new Promise<void>((resolve, reject) => {
      this.settle = (err) => {
        this.settle = null;
        if (err === null) resolve();
        else reject(new Error(err));
      };
      const socket = connect({
        host: target.host,
        port: target.port,
        ...(this.spec.localAddress ? { localAddress: this.spec.localAddress } : {}),
      });
      this.socket = socket;
      socket.setEncoding('latin1');
      // The newline ends the handshake at once instead of after the edge's quiet gap.
      socket.on('connect', () => {
        socket.write(`${this.spec.token}\n`);
        if (waitLines === 0) this.settle?.(null);
      });
      // A dropped socket's late events must not touch the connection that replaced it.
      socket.on('data', (chunk: string) => {
        if (this.socket === socket) this.onData(chunk);
      });
      socket.on('error', (err: NodeJS.ErrnoException) => {
        if (this.socket === socket) this.fail(err.code ?? 'socket_error');
      });
      socket.on('close', () => {
        if (this.socket === socket) this.fail('closed');
      });
    });
  }

  close(): void {
    this.settle = null;
    this.socket?.destroy();
    this.socket = null;
  }

  private fail(code: string): void {
    this.failure ??= code;
    this.settle?.(this.failure);
  }

  private onData(chunk: string): void {
    const text = this.rest === '' ? chunk : this.rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const code = errorCodeIn(text, start, nl);
      if (code !== null) this.fail(code);
      else {
        this.got++;
        this.sink.line(this, text, start, nl);
      }
      start = nl + 1;
    }
    this.rest = start < text.length ? text.slice(start) : '';
    if (this.settle && this.got >= this.waitLines) this.settle(null);
  }
}
