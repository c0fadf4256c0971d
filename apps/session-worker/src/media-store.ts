import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';

/** Where downloaded media lives and the URL clients fetch it from. */
export interface MediaStore {
  /** Stores a file and returns the URL the `media` event carries. */
  put(bytes: Uint8Array, opts: { mimeType: string; fileName?: string }): Promise<string>;
}

const EXTENSIONS: Record<string, string> = {
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'application/pdf': 'pdf',
};

/** A file extension for a MIME type (`audio/ogg; codecs=opus` → `ogg`), `bin` when unknown. */
export function extensionFor(mimeType: string): string {
  return EXTENSIONS[mimeType.split(';')[0]?.trim().toLowerCase() ?? ''] ?? 'bin';
}

// Names are 128 random bits: the URL is the capability, as in the seed's /assets/buffer/ links.
const NAME = /^[0-9a-f]{32}\.[a-z0-9]{1,8}$/;

/** Media files in a directory, served by the worker's HTTP server under `/assets/buffer/`. */
export class DirectoryMediaStore implements MediaStore {
  readonly dir: string;
  private readonly baseUrl: string;

  constructor(dir: string, baseUrl: string) {
    this.dir = resolve(dir);
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async put(bytes: Uint8Array, opts: { mimeType: string }): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const name = `${randomBytes(16).toString('hex')}.${extensionFor(opts.mimeType)}`;
    // Write then rename, so a reader never sees half a file.
    const tmp = join(this.dir, `.${name}.part`);
    await writeFile(tmp, bytes);
    await rename(tmp, join(this.dir, name));
    return `${this.baseUrl}/assets/buffer/${name}`;
  }

  /** HTTP handler for `GET /assets/buffer/<name>`; returns false for other paths. */
  async serve(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (!path.startsWith('/assets/buffer/')) return false;
    const name = decodeURIComponent(path.slice('/assets/buffer/'.length));
    if (req.method !== 'GET' || !NAME.test(name)) {
      res.writeHead(404).end('not found\n');
      return true;
    }
    const file = join(this.dir, name);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      res.writeHead(404).end('not found\n');
      return true;
    }
    res.writeHead(200, {
      'content-length': info.size,
      'content-type': 'application/octet-stream',
      'cache-control': 'private, max-age=86400',
    });
    createReadStream(file).pipe(res);
    return true;
  }
}
