import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirectoryMediaStore, extensionFor } from './media-store.ts';

describe('DirectoryMediaStore', () => {
  it('stores a file under an unguessable name and serves the same bytes at its URL', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const store = new DirectoryMediaStore(mkdtempSync(join(tmpdir(), 'media-')), base);
    server.on('request', (req, res) => {
      void store.serve(req, res).then((handled) => handled || res.writeHead(418).end());
    });
    try {
      const bytes = new Uint8Array([1, 2, 3, 250, 251]);
      const url = await store.put(bytes, { mimeType: 'audio/ogg; codecs=opus' });
      expect(url).toMatch(new RegExp(`^${base}/assets/buffer/[0-9a-f]{32}\\.ogg$`));
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
      expect((await fetch(`${base}/assets/buffer/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
      expect((await fetch(`${base}/assets/buffer/${'0'.repeat(32)}.ogg`)).status).toBe(404);
    } finally {
      server.close();
    }
  });

  it('picks extensions from MIME types and falls back to bin', () => {
    expect(extensionFor('image/jpeg')).toBe('jpg');
    expect(extensionFor('application/x-unknown')).toBe('bin');
  });
});
