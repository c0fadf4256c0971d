import { createServer, type Server, type Socket } from 'node:net';
import type { ErrorCode } from '@wasock/contracts';
import type { Logger } from '@wasock/runtime';
import { HandshakeParser, type HandshakeResult } from './handshake.ts';
import type { EdgeMetrics } from './metrics.ts';
import { parseProxyHeader } from './proxy-protocol.ts';
import { errorLine } from './wire-lines.ts';

/** What a finished handshake asks for: a token, plus the hello's options when one was sent. */
export interface Credentials {
  token: string;
  since?: string;
  ids: boolean;
  /** The client's address: from the PROXY header when enabled, else the socket's peer. */
  remote: string;
}

export interface ListenerOptions {
  authTimeoutMs: number;
  quietGapMs: number;
  maxHandshakeBytes: number;
  maxConnections: number;
  maxPendingHandshakes: number;
  /** Expect a PROXY v1/v2 header from the load balancer before the client's bytes. */
  proxyProtocol: boolean;
  metrics: EdgeMetrics;
  logger: Logger;
  /** Called with the socket once its handshake produced credentials; owns the socket from then. */
  onCredentials: (socket: Socket, creds: Credentials) => void;
}

/** Refuses a socket with one JSON error line, then closes it. */
export function refuse(socket: Socket, code: ErrorCode, message: string, metrics: EdgeMetrics): void {
  metrics.handshakes.inc({ outcome: code });
  socket.end(errorLine(code, message));
  setTimeout(() => socket.destroy(), 2000).unref();
}

// Later client bytes mean nothing to us, but must be read so the socket can close cleanly. A
// module-level function: a closure would keep its scope (the handshake's) for the socket's life.
function ignore(): void {
  // Read and dropped.
}

/** The TCP listener: accepts, enforces limits, runs the handshake with its timers. */
export function createListener(opts: ListenerOptions): Server {
  const server = createServer({ noDelay: true });
  let open = 0;
  const pending = { count: 0 };
  // One pair of listeners for every socket rather than two closures per socket: idle sockets
  // are most of the edge's memory.
  const onClosed = (): void => {
    open--;
  };
  function onError(this: Socket, err: Error): void {
    opts.logger.debug({ err, remote: this.remoteAddress }, 'client socket error');
  }
  server.on('connection', (socket) => {
    open++;
    socket.on('close', onClosed);
    socket.on('error', onError);
    if (open > opts.maxConnections) {
      refuse(socket, 'overloaded', 'this edge is at its connection limit; try again later', opts.metrics);
      return;
    }
    if (pending.count >= opts.maxPendingHandshakes) {
      refuse(
        socket,
        'overloaded',
        'too many connections are authenticating; try again shortly',
        opts.metrics,
      );
      return;
    }
    handshake(socket, opts, pending);
  });
  return server;
}

function handshake(socket: Socket, opts: ListenerOptions, pending: { count: number }): void {
  const { metrics } = opts;
  const parser = new HandshakeParser({ maxBytes: opts.maxHandshakeBytes });
  metrics.connections.inc({ phase: 'handshake' });
  pending.count++;
  let finished = false;
  let quiet: NodeJS.Timeout | undefined;
  let remote = socket.remoteAddress ?? 'unknown';
  // While a PROXY header is expected, bytes collect here; null once it has been read.
  let proxyBuf: Buffer | null = opts.proxyProtocol ? Buffer.alloc(0) : null;

  const done = (result: HandshakeResult): void => {
    if (result.kind === 'pending' || finished) return;
    finished = true;
    clearTimeout(deadline);
    clearTimeout(quiet);
    socket.off('data', onData);
    socket.off('close', onClose);
    metrics.connections.dec({ phase: 'handshake' });
    pending.count--;
    if (result.kind === 'error') {
      refuse(socket, result.code, result.message, metrics);
      return;
    }
    socket.on('data', ignore);
    const creds: Credentials =
      result.kind === 'token'
        ? { token: result.token, ids: false, remote }
        : {
            token: result.hello.token,
            ids: result.hello.ids === true,
            remote,
            ...(result.hello.since ? { since: result.hello.since } : {}),
          };
    opts.onCredentials(socket, creds);
  };

  const onData = (data: Buffer): void => {
    let chunk = data;
    if (proxyBuf !== null) {
      const header = parseProxyHeader(Buffer.concat([proxyBuf, chunk]));
      if (header.kind === 'pending') {
        proxyBuf = Buffer.concat([proxyBuf, chunk]);
        return;
      }
      if (header.kind === 'error') {
        done({ kind: 'error', code: 'bad_request', message: header.message });
        return;
      }
      proxyBuf = null;
      if (header.source) remote = header.source.address;
      chunk = header.rest;
      if (chunk.length === 0) return;
    }
    clearTimeout(quiet);
    const result = parser.push(chunk);
    if (result.kind !== 'pending') {
      done(result);
      return;
    }
    if (parser.started) quiet = setTimeout(() => done(parser.finish()), opts.quietGapMs);
  };
  const onClose = (): void => {
    if (finished) return;
    finished = true;
    clearTimeout(deadline);
    clearTimeout(quiet);
    metrics.connections.dec({ phase: 'handshake' });
    pending.count--;
    metrics.handshakes.inc({ outcome: 'closed' });
  };
  const deadline = setTimeout(
    () => done({ kind: 'error', code: 'timeout', message: `no token within ${opts.authTimeoutMs} ms` }),
    opts.authTimeoutMs,
  );
  socket.on('data', onData);
  socket.once('close', onClose);
}
