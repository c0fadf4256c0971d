import { randomBytes } from 'node:crypto';
import type { SendRequest } from '@wasock/contracts';
import {
  encryptMedia,
  type MediaType,
  type MediaUploadInfo,
  type UploadedMedia,
  type WebMessage,
} from '@wasock/wa-web';

/** Uploads an encrypted media file (`enc ‖ mac10`) and says where the recipient downloads it. */
export type MediaUploader = (file: Buffer, info: MediaUploadInfo) => Promise<UploadedMedia>;

const MEDIA_TYPE: Record<'image' | 'document' | 'ptt', MediaType> = {
  image: 'image',
  document: 'document',
  ptt: 'audio',
};

/** The seed id `<fromMe>_<jid>_<id>` split back into what a WhatsApp quote needs. */
export function quoteOf(replyTo: string): { stanzaId: string; participant: string } {
  const first = replyTo.indexOf('_');
  const last = replyTo.lastIndexOf('_');
  return { stanzaId: replyTo.slice(last + 1), participant: replyTo.slice(first + 1, last) };
}

/**
 * Builds the WhatsApp message of a send request: text (`conversation`, or `extendedTextMessage`
 * when replying), or media encrypted with a fresh media key and uploaded first.
 */
export async function buildOutbound(req: SendRequest, upload: MediaUploader): Promise<WebMessage> {
  const contextInfo = req.replyTo
    ? { ...quoteOf(req.replyTo), quotedMessage: { conversation: '' } }
    : undefined;
  if (!req.media) {
    const text = req.text as string;
    return contextInfo ? { extendedTextMessage: { text, contextInfo } } : { conversation: text };
  }
  const plain = Buffer.from(req.media.data, 'base64');
  const mediaKey = randomBytes(32);
  const mediaType = MEDIA_TYPE[req.media.kind];
  const enc = encryptMedia(plain, mediaKey, mediaType);
  const { url, directPath } = await upload(enc.file, { mediaType, fileEncSha256: enc.fileEncSha256 });
  const fields = {
    url,
    // Multi-device recipients fetch by direct path, and check the key's age against it.
    ...(directPath ? { directPath, mediaKeyTimestamp: Math.floor(Date.now() / 1000) } : {}),
    mimetype: req.media.mimeType,
    mediaKey,
    fileSha256: enc.fileSha256,
    fileEncSha256: enc.fileEncSha256,
    fileLength: enc.fileLength,
    ...(contextInfo ? { contextInfo } : {}),
  };
  switch (req.media.kind) {
    case 'image':
      return { imageMessage: { ...fields, ...(req.text ? { caption: req.text } : {}) } };
    case 'document':
      return { documentMessage: { ...fields, fileName: req.media.fileName ?? 'file' } };
    case 'ptt':
      return { audioMessage: { ...fields, ptt: true } };
  }
}

/** The upload URL of a WhatsApp websocket URL's host (`ws://h:p/ws` → `http://h:p/upload`). */
export function defaultUploadUrl(waUrl: string): string {
  const u = new URL(waUrl);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  u.pathname = '/upload';
  return u.toString();
}

/** An uploader that POSTs the encrypted file and reads `{url}` back. */
export function httpUploader(uploadUrl: string, timeoutMs = 30_000): MediaUploader {
  return async (file) => {
    const res = await fetch(uploadUrl, {
      method: 'POST',
      body: file,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`media upload answered ${res.status}`);
    const body = (await res.json()) as { url?: unknown };
    if (typeof body.url !== 'string') throw new Error('media upload did not return a url');
    return { url: body.url };
  };
}
