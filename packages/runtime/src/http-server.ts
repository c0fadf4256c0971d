import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from './logger.ts';

export interface HttpServerOptions {
  port: number;
  host?: string;
  registry: Registry;
  /** Readiness: false turns `/readyz` into 503 (start-up, Redis lost, draining). */
  isReady: () => boolean;
  /** Extra routes; return true when the request was handled. */
  handle?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
  logger: Logger;
}

export interface HttpServerHandle {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** The small HTTP server every app runs: `/metrics`, `/livez`, `/readyz`, plus app routes. */
export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServerHandle> {
  const server = createServer((req, res) => {
    route(req, res, opts).catch((err: unknown) => {
      opts.logger.error({ err, url: req.url }, 'http handler failed');
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(req: IncomingMessage, res: ServerResponse, opts: HttpServerOptions): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/metrics') {
    const body = await opts.registry.metrics();
    send(res, 200, body, opts.registry.contentType);
    return;
  }
  if (req.method === 'GET' && path === '/livez') {
    send(res, 200, 'ok\n');
    return;
  }
  if (req.method === 'GET' && path === '/readyz') {
    const ready = opts.isReady();
    send(res, ready ? 200 : 503, ready ? 'ready\n' : 'not ready\n');
    return;
  }
  // Only a process started with `node --expose-gc` offers this (tests measure memory after a full
  // collection with it); production processes never do.
  const gc = (globalThis as { gc?: () => void }).gc;
  if (req.method === 'POST' && path === '/debug/gc' && typeof gc === 'function') {
    gc();
    send(res, 200, `${JSON.stringify(process.memoryUsage())}\n`, 'application/json');
    return;
  }
  if (opts.handle && (await opts.handle(req, res))) return;
  send(res, 404, 'not found\n');
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
