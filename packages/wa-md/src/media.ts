import { createHash } from 'node:crypto';
import type { WebMessageInfo } from '@wasock/wa-web';
import {
  type DownloadableMessage,
  downloadContentFromMessage,
  type MediaType,
} from '@whiskeysockets/baileys';
import { MultiDeviceMediaError } from './errors.ts';

/** What a media job needs to fetch one multi-device file with Baileys' helper (JSON-safe). */
export interface MultiDeviceMediaRef {
  /** HKDF family: `image` (also stickers), `video`, `audio`, `document`. */
  mediaType: 'image' | 'video' | 'audio' | 'document';
  /** Base64 of the 32-byte media key. */
  mediaKey: string;
  url?: string;
  /** Path on WhatsApp's media hosts; Baileys prefers it over `url`. */
  directPath?: string;
}

type MediaPart = {
  url?: string | null;
  directPath?: string | null;
  mediaKey?: Uint8Array | null;
};

const MEDIA_FIELDS = [
  ['imageMessage', 'image'],
  ['stickerMessage', 'image'],
  ['videoMessage', 'video'],
  ['audioMessage', 'audio'],
  ['documentMessage', 'document'],
] as const;

// Ephemeral and view-once wrappers nest the real message, as the normalizer unwraps them.
const MAX_WRAPPERS = 4;

/** The download reference of a converted multi-device message, or null when it carries no file. */
export function multiDeviceMediaRef(info: WebMessageInfo): MultiDeviceMediaRef | null {
  let m = info.message ?? undefined;
  for (let i = 0; i < MAX_WRAPPERS && m; i++) {
    const inner = m.ephemeralMessage?.message ?? m.viewOnceMessage?.message;
    if (!inner) break;
    m = inner;
  }
  if (!m) return null;
  for (const [field, mediaType] of MEDIA_FIELDS) {
    const part = m[field] as MediaPart | null | undefined;
    if (!part?.mediaKey?.length || !(part.url || part.directPath)) continue;
    return {
      mediaType,
      mediaKey: Buffer.from(part.mediaKey).toString('base64'),
      ...(part.url ? { url: part.url } : {}),
      ...(part.directPath ? { directPath: part.directPath } : {}),
    };
  }
  return null;
}

/** Limits of one download. */
export interface MultiDeviceDownloadOptions {
  maxBytes: number;
  /** Base64 SHA-256 of the plaintext, checked when given (Baileys' helper does not check a MAC). */
  fileSha256?: string;
}

/**
 * Downloads and decrypts one multi-device file with Baileys' `downloadContentFromMessage`.
 * 4xx answers (expired or removed media) and hash mismatches are `MultiDeviceMediaError`s,
 * which retrying cannot fix; network errors and 5xx are thrown as they are (retryable).
 */
export async function downloadMultiDeviceMedia(
  ref: MultiDeviceMediaRef,
  opts: MultiDeviceDownloadOptions,
): Promise<Buffer> {
  const downloadable: DownloadableMessage = {
    mediaKey: Buffer.from(ref.mediaKey, 'base64'),
    ...(ref.url ? { url: ref.url } : {}),
    ...(ref.directPath ? { directPath: ref.directPath } : {}),
  };
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    const stream = await downloadContentFromMessage(downloadable, ref.mediaType satisfies MediaType);
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > opts.maxBytes) {
        stream.destroy();
        throw new MultiDeviceMediaError('media_too_large', `media is over ${opts.maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof MultiDeviceMediaError) throw err;
    const status = (err as { output?: { statusCode?: number } }).output?.statusCode;
    if (status !== undefined && status >= 400 && status < 500)
      throw new MultiDeviceMediaError('media_gone', `media download answered ${status}`, { cause: err });
    // A bad key or a truncated file fails the final AES block: corrupt, not worth retrying.
    if (err instanceof Error && /bad decrypt|wrong final block length/i.test(err.message))
      throw new MultiDeviceMediaError('media_corrupt', `media failed to decrypt: ${err.message}`, {
        cause: err,
      });
    throw err;
  }
  const plain = Buffer.concat(chunks);
  if (opts.fileSha256) {
    const digest = createHash('sha256').update(plain).digest('base64');
    if (digest !== opts.fileSha256)
      throw new MultiDeviceMediaError(
        'media_corrupt',
        'media failed verification: plaintext SHA-256 mismatch',
      );
  }
  return plain;
}
