import type { ContextInfo, LocationMessage, MediaFields, Message } from '@wasock/wa-proto';

/** whatsapp-web.js message type names, the ones seed 000 can carry. */
export type MessageType =
  | 'chat'
  | 'ptt'
  | 'audio'
  | 'image'
  | 'video'
  | 'document'
  | 'sticker'
  | 'location'
  | 'vcard';

/** What a message says, independent of who sent it. */
export interface MessageContent {
  type: MessageType;
  body: string;
  contextInfo: ContextInfo | undefined;
  /** The downloadable part, for media types. */
  media: MediaFields | undefined;
  /** A document's own file name. */
  fileName: string | undefined;
}

// Ephemeral and view-once wrappers nest the real message; real traffic nests at most twice.
const MAX_WRAPPERS = 4;

/** Describes the content of a Message, or null when it has none seed 000 can express. */
export function describeContent(message: Message | null | undefined): MessageContent | null {
  const m = unwrap(message);
  if (!m || m.protocolMessage) return null;
  if (m.conversation != null) return text('chat', m.conversation, undefined);
  if (m.extendedTextMessage) {
    const x = m.extendedTextMessage;
    return text('chat', x.text ?? '', x.contextInfo);
  }
  if (m.imageMessage) return media('image', m.imageMessage, m.imageMessage.caption);
  if (m.videoMessage) return media('video', m.videoMessage, m.videoMessage.caption);
  if (m.audioMessage) return media(m.audioMessage.ptt ? 'ptt' : 'audio', m.audioMessage, undefined);
  if (m.documentMessage) {
    return {
      ...media('document', m.documentMessage, undefined),
      fileName: m.documentMessage.fileName ?? undefined,
    };
  }
  if (m.stickerMessage) return media('sticker', m.stickerMessage, undefined);
  if (m.locationMessage)
    return text('location', locationBody(m.locationMessage), m.locationMessage.contextInfo);
  if (m.contactMessage) {
    const c = m.contactMessage;
    return text('vcard', c.vcard ?? '', c.contextInfo);
  }
  return null;
}

/** Follows ephemeral and view-once wrappers down to the message they carry. */
export function unwrap(message: Message | null | undefined): Message | undefined {
  let m = message ?? undefined;
  for (let i = 0; i < MAX_WRAPPERS && m; i++) {
    const inner = m.ephemeralMessage?.message ?? m.viewOnceMessage?.message;
    if (!inner) return m;
    m = inner;
  }
  return m;
}

/**
 * `"<lat>,<lng>"`, then the place name and address on their own lines when present: the
 * coordinates stay machine-readable on the first line, and the rest matches whatsapp-web.js's
 * `Location.description` (name and address joined by a newline).
 */
function locationBody(loc: LocationMessage): string {
  const lat = loc.degreesLatitude;
  const lng = loc.degreesLongitude;
  const coords = lat != null && lng != null ? `${lat},${lng}` : '';
  return [coords, loc.name ?? '', loc.address ?? ''].filter((part) => part !== '').join('\n');
}

function text(type: MessageType, body: string, contextInfo: ContextInfo | null | undefined): MessageContent {
  return { type, body, contextInfo: contextInfo ?? undefined, media: undefined, fileName: undefined };
}

function media(type: MessageType, fields: MediaFields, caption: string | null | undefined): MessageContent {
  return {
    type,
    body: caption ?? '',
    contextInfo: fields.contextInfo ?? undefined,
    media: fields,
    fileName: undefined,
  };
}
