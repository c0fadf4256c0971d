import { randomBytes } from 'node:crypto';
import {
  type EncryptedMedia,
  encryptMedia,
  type MediaType,
  newMessageId,
  toWireJid,
  type WebMessage,
  type WebMessageInfo,
} from '@wasock/wa-web';

/** The message kinds the simulator can script. */
export type ScriptedKind = 'text' | 'quoted' | 'ptt' | 'audio' | 'image' | 'video' | 'document' | 'sticker';

/** What to send from a contact (already validated by the control API). */
export interface ScriptedMessage {
  kind: ScriptedKind;
  from: string;
  id?: string;
  text?: string;
  caption?: string;
  fileName?: string;
  mimetype?: string;
  /** Media content; random bytes of `size` when absent. */
  data?: Uint8Array;
  size?: number;
  quoted?: { id: string; text: string; participant?: string };
  participant?: string;
  pushName?: string;
  timestamp?: number;
  fromMe?: boolean;
}

/** A built message, plus the encrypted file to serve when it carries media. */
export interface BuiltMessage {
  info: WebMessageInfo;
  media?: { file: EncryptedMedia; plain: Uint8Array; mediaKey: Buffer; type: MediaType };
}

const DEFAULT_MIME: Record<MediaType, string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/ogg; codecs=opus',
  document: 'application/pdf',
  sticker: 'image/webp',
};

/** Builds the WebMessageInfo of a scripted message; `mediaUrl(id)` names where its file will be served. */
export function buildScriptedMessage(
  spec: ScriptedMessage,
  mediaUrl: (mediaId: string) => string,
): BuiltMessage {
  const id = spec.id ?? newMessageId(randomBytes);
  const info: WebMessageInfo = {
    key: { remoteJid: toWireJid(spec.from), fromMe: spec.fromMe ?? false, id },
    messageTimestamp: spec.timestamp ?? Math.floor(Date.now() / 1000),
    status: 2,
  };
  if (spec.participant) {
    info.key.participant = toWireJid(spec.participant);
    info.participant = toWireJid(spec.participant);
  }
  if (spec.pushName) info.pushName = spec.pushName;
  if (spec.kind === 'text') {
    info.message = { conversation: spec.text ?? '' };
    return { info };
  }
  if (spec.kind === 'quoted') {
    const quoted = spec.quoted ?? { id: 'QUOTED', text: '' };
    info.message = {
      extendedTextMessage: {
        text: spec.text ?? '',
        contextInfo: {
          stanzaId: quoted.id,
          participant: toWireJid(quoted.participant ?? spec.from),
          quotedMessage: { conversation: quoted.text },
        },
      },
    };
    return { info };
  }
  const type: MediaType = spec.kind === 'ptt' ? 'audio' : spec.kind;
  const plain = spec.data ?? randomBytes(spec.size ?? 1024);
  const mediaKey = randomBytes(32);
  const file = encryptMedia(plain, mediaKey, type);
  const mediaId = `${id}-${randomBytes(4).toString('hex')}`;
  const common = {
    url: mediaUrl(mediaId),
    mimetype: spec.mimetype ?? DEFAULT_MIME[type],
    fileSha256: file.fileSha256,
    fileEncSha256: file.fileEncSha256,
    fileLength: file.fileLength,
    mediaKey,
    directPath: `/media/${mediaId}`,
    mediaKeyTimestamp: Math.floor(Date.now() / 1000),
  };
  const message: WebMessage = {};
  switch (spec.kind) {
    case 'image':
      message.imageMessage = { ...common, caption: spec.caption ?? null };
      break;
    case 'video':
      message.videoMessage = { ...common, caption: spec.caption ?? null, seconds: 3 };
      break;
    case 'ptt':
    case 'audio':
      message.audioMessage = { ...common, ptt: spec.kind === 'ptt', seconds: 2 };
      break;
    case 'document':
      message.documentMessage = {
        ...common,
        fileName: spec.fileName ?? 'document.pdf',
        title: spec.fileName ?? null,
      };
      break;
    case 'sticker':
      message.stickerMessage = common;
      break;
  }
  info.message = message;
  return { info, media: { file, plain, mediaKey, type } };
}

/** The id under which a built message's media is served (the last path segment of its url). */
export function mediaIdOf(built: BuiltMessage): string | undefined {
  const m = built.info.message;
  const url =
    m?.imageMessage?.url ??
    m?.videoMessage?.url ??
    m?.audioMessage?.url ??
    m?.documentMessage?.url ??
    m?.stickerMessage?.url ??
    undefined;
  return url ? url.slice(url.lastIndexOf('/') + 1) : undefined;
}
