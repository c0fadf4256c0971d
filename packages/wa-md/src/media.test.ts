import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encryptMedia, sha256 } from '@wasock/wa-web';
import { proto } from '@whiskeysockets/baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toWebMessageInfo } from './convert.ts';
import { downloadMultiDeviceMedia, multiDeviceMediaRef } from './media.ts';

const files = new Map<string, Buffer>();
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const file = files.get(req.url ?? '');
    if (!file) res.writeHead(404).end();
    else res.writeHead(200, { 'content-length': file.length }).end(file);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A voice note as a phone uploads it: encrypted with a fresh media key, `enc ‖ mac10`. */
function upload(path: string, plain: Buffer) {
  const mediaKey = randomBytes(32);
  const enc = encryptMedia(plain, mediaKey, 'audio');
  files.set(path, enc.file);
  return { mediaKey, fileSha256: enc.fileSha256 };
}

describe('multi-device media', () => {
  it('finds the file of a (wrapped) media message and downloads it with Baileys helper', async () => {
    const plain = Buffer.from('OggS voice note bytes '.repeat(100));
    const { mediaKey, fileSha256 } = upload('/v/t62.7117-24/voice.enc', plain);
    const msg = proto.WebMessageInfo.fromObject({
      key: { remoteJid: '593123456789@s.whatsapp.net', id: 'V1' },
      message: {
        ephemeralMessage: {
          message: {
            audioMessage: { url: `${base}/v/t62.7117-24/voice.enc`, mediaKey, fileSha256, ptt: true },
          },
        },
      },
    });
    const ref = multiDeviceMediaRef(toWebMessageInfo(msg));
    expect(ref).toEqual({
      mediaType: 'audio',
      mediaKey: mediaKey.toString('base64'),
      url: `${base}/v/t62.7117-24/voice.enc`,
    });
    const got = await downloadMultiDeviceMedia(JSON.parse(JSON.stringify(ref)), {
      maxBytes: 1 << 20,
      fileSha256: Buffer.from(fileSha256).toString('base64'),
    });
    expect(got).toEqual(plain);
  });

  it('has no ref for a text, a media message without a key, or without a location', () => {
    const of = (message: proto.IMessage) =>
      multiDeviceMediaRef(toWebMessageInfo({ key: { id: 'X' }, message }));
    expect(of({ conversation: 'hola' })).toBeNull();
    expect(of({ imageMessage: { url: `${base}/x` } })).toBeNull();
    expect(of({ imageMessage: { mediaKey: randomBytes(32) } })).toBeNull();
    expect(of({ stickerMessage: { directPath: '/v/s.enc', mediaKey: Buffer.alloc(32, 1) } })).toMatchObject({
      mediaType: 'image',
      directPath: '/v/s.enc',
    });
  });

  it('fails for good on a 404, a hash mismatch or a file over the limit', async () => {
    const plain = randomBytes(4096);
    const { mediaKey } = upload('/big.enc', plain);
    const ref = {
      mediaType: 'audio' as const,
      mediaKey: mediaKey.toString('base64'),
      url: `${base}/big.enc`,
    };
    await expect(
      downloadMultiDeviceMedia({ ...ref, url: `${base}/gone.enc` }, { maxBytes: 1 << 20 }),
    ).rejects.toMatchObject({
      code: 'media_gone',
    });
    await expect(
      downloadMultiDeviceMedia(ref, { maxBytes: 1 << 20, fileSha256: Buffer.alloc(32).toString('base64') }),
    ).rejects.toMatchObject({ code: 'media_corrupt' });
    await expect(downloadMultiDeviceMedia(ref, { maxBytes: 1000 })).rejects.toMatchObject({
      code: 'media_too_large',
    });
    // A wrong key fails the padding check, or (1 time in 256) the plaintext hash.
    await expect(
      downloadMultiDeviceMedia(
        { ...ref, mediaKey: randomBytes(32).toString('base64') },
        { maxBytes: 1 << 20, fileSha256: Buffer.from(sha256(plain)).toString('base64') },
      ),
    ).rejects.toMatchObject({ code: 'media_corrupt' });
  });
});
