import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { BASE_HEADERS } from './http-io.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

// The page loads nothing from elsewhere; the QR arrives as a blob URL (fetched with the token),
// and the live feed is a same-origin WebSocket.
const CSP = [
  "default-src 'self'",
  "img-src 'self' blob:",
  "connect-src 'self'",
  "style-src 'self'",
  "script-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
}

/**
 * The console's files, read once at start-up from one flat directory; `/` is `index.html`.
 * Only these exact paths are served, so no request path ever reaches the file system.
 */
export class StaticFiles {
  readonly #files = new Map<string, StaticFile>();

  constructor(dir: string) {
    for (const name of readdirSync(dir)) {
      const type = TYPES[extname(name)];
      if (!type) continue;
      const body = readFileSync(join(dir, name));
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      this.#files.set(`/${name}`, { body, type, etag });
    }
    const index = this.#files.get('/index.html');
    if (index) this.#files.set('/', index);
  }

  /** Whether `path` is one of the console's files. */
  has(path: string): boolean {
    return this.#files.has(path);
  }

  /** Serves a console file (GET or HEAD); revalidated on each load so deploys show at once. */
  serve(req: IncomingMessage, res: ServerResponse, path: string): void {
    const file = this.#files.get(path);
    if (!file) throw new Error(`not a console file: ${path}`);
    const headers = {
      ...BASE_HEADERS,
      'cache-control': 'no-cache',
      etag: file.etag,
      'content-security-policy': CSP,
      'x-frame-options': 'DENY',
    };
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': file.type, 'content-length': file.body.length });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }
}
