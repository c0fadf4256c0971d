import { CryptoError, WaWebError } from './errors.ts';
import { decryptMedia, type MediaType } from './media-crypto.ts';
import type { MediaFields, WebMessage } from './web-message.ts';

/** The downloadable part of a message: which keys decrypt it and the fields that locate it. */
export interface MediaRef {
  type: MediaType;
  field: 'imageMessage' | 'videoMessage' | 'audioMessage' | 'documentMessage' | 'stickerMessage';
  media: MediaFields;
  mimetype?: string;
  fileName?: string;
}

const FIELDS: readonly [MediaRef['field'], MediaType][] = [
  ['imageMessage', 'image'],
  ['videoMessage', 'video'],
  ['audioMessage', 'audio'],
  ['documentMessage', 'document'],
  ['stickerMessage', 'sticker'],
];

/** The media a message carries (pure), or null for text and other kinds or when url/mediaKey are missing. */
export function mediaOf(message: WebMessage | null | undefined): MediaRef | null {
  if (!message) return null;
  for (const [field, type] of FIELDS) {
    const media = message[field] as (MediaFields & { fileName?: string | null }) | null | undefined;
    if (!media?.url || !media.mediaKey) continue;
    const ref: MediaRef = { type, field, media };
    if (media.mimetype) ref.mimetype = media.mimetype;
    if (media.fileName) ref.fileName = media.fileName;
    return ref;
  }
  return null;
}

/** Limits of one download. */
export interface DownloadOptions {
  timeoutMs?: number;
  /** Refuse files larger than this (default 100 MiB, the `maxFileSize` of seed 001's Props). */
  maxBytes?: number;
  fetch?: typeof fetch;
}

/**
 * Downloads `enc ‖ mac10` from the media url and decrypts it (MAC, fileEncSha256 and fileSha256
 * checked). Throws WaWebError `media_download_failed` for HTTP problems, CryptoError for bad bytes.
 */
export async function downloadMedia(ref: MediaRef, options: DownloadOptions = {}): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? 100 * 1024 * 1024;
  const doFetch = options.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(ref.media.url!, { signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
  } catch (err) {
    throw new WaWebError('media_download_failed', `media download failed: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (!res.ok) throw new WaWebError('media_download_failed', `media download answered HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes)
    throw new WaWebError('media_too_large', `media of ${declared} bytes exceeds ${maxBytes}`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body) {
    for await (const chunk of res.body) {
      size += chunk.length;
      if (size > maxBytes) throw new WaWebError('media_too_large', `media exceeds ${maxBytes} bytes`);
      chunks.push(chunk);
    }
  }
  const file = Buffer.concat(chunks);
  if (file.length === 0) throw new CryptoError('media file is empty');
  return decryptMedia(file, ref.media.mediaKey!, ref.type, {
    fileEncSha256: ref.media.fileEncSha256 ?? null,
    fileSha256: ref.media.fileSha256 ?? null,
  });
}
