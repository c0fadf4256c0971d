import type { MediaFields } from '@wasock/wa-proto';
import { mediaFileName } from './media-file-name.ts';
import type { MessageType } from './message-content.ts';

/** The HKDF info family a media file is encrypted under (stickers use the image keys). */
export type MediaKeyType = 'image' | 'video' | 'audio' | 'document';

/** Everything a media download job needs to fetch, check, decrypt and announce one file. */
export interface MediaDescriptor {
  /** The seed `messageId` of the message that carries the file. */
  messageId: string;
  /** The message type (`ptt`, `sticker`, …), for naming and metrics. */
  messageType: MessageType;
  /** Selects `WhatsApp <Image|Video|Audio|Document> Keys` for HKDF. */
  mediaKeyType: MediaKeyType;
  /** Where the encrypted file (`enc ‖ mac10`) is downloaded from. */
  url: string;
  /** Base64 of the 32-byte media key; also the seed media event's `mediaKey`. */
  mediaKey: string;
  mimeType: string;
  fileName: string;
  /** Base64 SHA-256 of the plaintext, when WhatsApp sent it. */
  fileSha256?: string;
  /** Base64 SHA-256 of the encrypted download, when WhatsApp sent it. */
  fileEncSha256?: string;
  /** Plaintext size in bytes, when WhatsApp sent it. */
  fileLength?: number;
}

// The CDN host WhatsApp clients prefix to a `directPath` when a message carries no `url`.
const MEDIA_HOST = 'https://mmg.whatsapp.net';

const KEY_TYPE: Readonly<Partial<Record<MessageType, MediaKeyType>>> = {
  image: 'image',
  sticker: 'image',
  video: 'video',
  audio: 'audio',
  ptt: 'audio',
  document: 'document',
};

// Used when a message leaves `mimetype` out; voice notes are always Opus in Ogg.
const DEFAULT_MIME: Readonly<Partial<Record<MessageType, string>>> = {
  image: 'image/jpeg',
  sticker: 'image/webp',
  video: 'video/mp4',
  audio: 'audio/mpeg',
  ptt: 'audio/ogg; codecs=opus',
  document: 'application/octet-stream',
};

/** The download job's input, or undefined when the message lacks a key or a location for the file. */
export function mediaDescriptorOf(
  messageId: string,
  messageType: MessageType,
  fields: MediaFields,
  documentName: string | undefined,
): MediaDescriptor | undefined {
  const mediaKeyType = KEY_TYPE[messageType];
  const url = fields.url || (fields.directPath ? MEDIA_HOST + fields.directPath : '');
  if (!mediaKeyType || !url || !fields.mediaKey || fields.mediaKey.length === 0) return undefined;
  const mimeType = usableMime(fields.mimetype) ?? DEFAULT_MIME[messageType] ?? 'application/octet-stream';
  const kind = messageType === 'ptt' ? 'audio' : messageType;
  const descriptor: MediaDescriptor = {
    messageId,
    messageType,
    mediaKeyType,
    url,
    mediaKey: base64(fields.mediaKey),
    mimeType,
    fileName: mediaFileName(kind, mimeType, documentName),
  };
  if (fields.fileSha256?.length) descriptor.fileSha256 = base64(fields.fileSha256);
  if (fields.fileEncSha256?.length) descriptor.fileEncSha256 = base64(fields.fileEncSha256);
  if (fields.fileLength != null && Number.isSafeInteger(Number(fields.fileLength))) {
    descriptor.fileLength = Number(fields.fileLength);
  }
  return descriptor;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

// The media event schema caps mimeType at 256; a longer or empty one is replaced by the default.
function usableMime(mime: string | null | undefined): string | undefined {
  return mime && mime.length <= 256 ? mime : undefined;
}
