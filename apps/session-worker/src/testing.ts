// For tests of media jobs: one loopback HTTP server that plays both WhatsApp's media host
// (encrypted files a test puts at a path) and the worker's media route (files a job stored).
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectoryMediaStore } from './media-store.ts';

/** The server, its base URL and what it serves. */
export interface MediaHost {
  /** `http://127.0.0.1:<port>`. */
  base: string;
  /** Files "on WhatsApp's host", by request path (`/v/…/photo.enc`). */
  files: Map<string, Uint8Array>;
  /** The worker's media store, whose URLs point at this server. */
  store: DirectoryMediaStore;
  close(): Promise<void>;
}

/** Starts a media host on a free loopback port, with the store in a fresh temporary folder. */
export async function startMediaHost(): Promise<MediaHost> {
  const files = new Map<string, Uint8Array>();
  const dir = mkdtempSync(join(tmpdir(), 'wasock-media-'));
  // Serving needs only the folder; the store's URLs need the port, known once listening.
  const serving = new DirectoryMediaStore(dir, 'http://placeholder');
  const server = createServer((req, res) => {
    void serving.serve(req, res).then((served) => {
      if (served) return;
      const file = files.get(req.url ?? '');
      if (!file) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': file.length }).end(file);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    files,
    store: new DirectoryMediaStore(dir, base),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
