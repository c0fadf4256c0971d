/**
 * The decoded shape of `proto/WAMessage.proto`, written by hand to match it field for field.
 *
 * Conventions (those of `decodeWebMessageInfo`):
 * - 64-bit integers (`messageTimestamp`, `fileLength`, `mediaKeyTimestamp`) are JS numbers:
 *   every value WhatsApp puts there (seconds, byte counts) is far below 2^53.
 * - `bytes` fields are `Uint8Array` (Node `Buffer`s when decoded).
 * - Absent fields are absent (no proto defaults are filled in); `null` is accepted on encode
 *   and means absent, so objects from other WebMessageInfo sources can be passed through.
 * - Enums are numbers (`status` is the proto enum, see `WebMessageInfoStatus`).
 */

/** Identifies a message: the chat, whether we sent it, its id and (in groups) its author. */
export interface MessageKey {
  remoteJid?: string | null;
  fromMe?: boolean | null;
  id?: string | null;
  participant?: string | null;
}

/** Reply and mention details attached to a message. */
export interface ContextInfo {
  /** Id of the quoted message. */
  stanzaId?: string | null;
  /** Author of the quoted message. */
  participant?: string | null;
  quotedMessage?: Message | null;
  remoteJid?: string | null;
  mentionedJid?: string[] | null;
}

/** The fields every downloadable media message shares. */
export interface MediaFields {
  url?: string | null;
  mimetype?: string | null;
  fileSha256?: Uint8Array | null;
  fileLength?: number | null;
  mediaKey?: Uint8Array | null;
  fileEncSha256?: Uint8Array | null;
  directPath?: string | null;
  mediaKeyTimestamp?: number | null;
  contextInfo?: ContextInfo | null;
}

/** Text with a link preview or a reply. */
export interface ExtendedTextMessage {
  text?: string | null;
  matchedText?: string | null;
  canonicalUrl?: string | null;
  description?: string | null;
  title?: string | null;
  contextInfo?: ContextInfo | null;
}

/** A photo. */
export interface ImageMessage extends MediaFields {
  caption?: string | null;
  height?: number | null;
  width?: number | null;
  jpegThumbnail?: Uint8Array | null;
}

/** A video or GIF. */
export interface VideoMessage extends MediaFields {
  seconds?: number | null;
  caption?: string | null;
  gifPlayback?: boolean | null;
  height?: number | null;
  width?: number | null;
  jpegThumbnail?: Uint8Array | null;
}

/** An audio file, or a voice note when `ptt` is true. */
export interface AudioMessage extends MediaFields {
  seconds?: number | null;
  ptt?: boolean | null;
}

/** Any other file. */
export interface DocumentMessage extends MediaFields {
  title?: string | null;
  pageCount?: number | null;
  fileName?: string | null;
  jpegThumbnail?: Uint8Array | null;
}

/** A sticker (WebP, decrypted with the image keys). */
export interface StickerMessage extends MediaFields {
  height?: number | null;
  width?: number | null;
  isAnimated?: boolean | null;
}

/** A shared location. */
export interface LocationMessage {
  degreesLatitude?: number | null;
  degreesLongitude?: number | null;
  name?: string | null;
  address?: string | null;
  url?: string | null;
  isLive?: boolean | null;
  accuracyInMeters?: number | null;
  comment?: string | null;
  jpegThumbnail?: Uint8Array | null;
  contextInfo?: ContextInfo | null;
}

/** A shared contact card. */
export interface ContactMessage {
  displayName?: string | null;
  vcard?: string | null;
  contextInfo?: ContextInfo | null;
}

/** Revokes, ephemeral settings and other control messages that carry no user content. */
export interface ProtocolMessage {
  key?: MessageKey | null;
  /** REVOKE 0, EPHEMERAL_SETTING 3, … */
  type?: number | null;
  ephemeralExpiration?: number | null;
}

/** The wrapper of ephemeral and view-once messages. */
export interface FutureProofMessage {
  message?: Message | null;
}

/** The content of a message: normally exactly one of these fields is set. */
export interface Message {
  conversation?: string | null;
  imageMessage?: ImageMessage | null;
  contactMessage?: ContactMessage | null;
  locationMessage?: LocationMessage | null;
  extendedTextMessage?: ExtendedTextMessage | null;
  documentMessage?: DocumentMessage | null;
  audioMessage?: AudioMessage | null;
  videoMessage?: VideoMessage | null;
  protocolMessage?: ProtocolMessage | null;
  stickerMessage?: StickerMessage | null;
  viewOnceMessage?: FutureProofMessage | null;
  ephemeralMessage?: FutureProofMessage | null;
}

/** One message as WhatsApp stores and relays it. */
export interface WebMessageInfo {
  key: MessageKey;
  message?: Message | null;
  /** Seconds since the epoch. */
  messageTimestamp?: number | null;
  /** A `WebMessageInfoStatus` value (the JSON ack level plus one). */
  status?: number | null;
  /** Group author, when the key does not carry it. */
  participant?: string | null;
  pushName?: string | null;
  /** Set on system notices (group changes, …) that have no `message`. */
  messageStubType?: number | null;
}

/**
 * `WebMessageInfo.status` values. They are the JSON/receipt ack levels (−1 error … 4 played)
 * shifted up by one, because proto enums start at 0.
 */
export const WebMessageInfoStatus = {
  ERROR: 0,
  PENDING: 1,
  SERVER_ACK: 2,
  DELIVERY_ACK: 3,
  READ: 4,
  PLAYED: 5,
} as const;
export type WebMessageInfoStatus = (typeof WebMessageInfoStatus)[keyof typeof WebMessageInfoStatus];
