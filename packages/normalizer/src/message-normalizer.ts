import { MessageEvent } from '@wasock/contracts';
import type { ContextInfo, WebMessageInfo } from '@wasock/wa-proto';
import { clip } from './clip.ts';
import { toChatJid } from './jid.ts';
import { type MediaDescriptor, mediaDescriptorOf } from './media-descriptor.ts';
import { describeContent } from './message-content.ts';
import { messageIdOf } from './message-id.ts';

/** Who "we" are: the jid of the logged-in phone, in either server form. */
export interface NormalizeContext {
  ownJid: string;
}

/** A seed `message` event and, for downloadable media, the download job's input. */
export interface NormalizedMessage {
  event: MessageEvent;
  media?: MediaDescriptor;
}

/**
 * Turns a WebMessageInfo into the seed 000 `message` event (and its media descriptor), or null
 * when the message has no key to name it by, no content seed 000 can express, or an id or jid
 * too long for the event schema.
 */
export function normalizeMessage(info: WebMessageInfo, ctx: NormalizeContext): NormalizedMessage | null {
  const key = info.key;
  if (!key?.remoteJid || !key.id) return null;
  const content = describeContent(info.message);
  if (!content) return null;

  const fromMe = key.fromMe === true;
  const own = toChatJid(ctx.ownJid);
  const remote = toChatJid(key.remoteJid);
  // In groups the author is the key's participant (or, in older messages, the info's).
  const author = key.participant || info.participant;
  const messageId = messageIdOf({ fromMe, remoteJid: remote, id: key.id });
  const media = content.media
    ? mediaDescriptorOf(messageId, content.type, content.media, content.fileName)
    : undefined;
  const quoted = quotedBody(content.contextInfo);

  const event: MessageEvent = {
    content: 'message',
    messageId,
    from: fromMe ? own : author ? toChatJid(author) : remote,
    to: fromMe ? remote : own,
    fromMe,
    body: clip(content.body),
    type: content.type,
    timestamp: seconds(info.messageTimestamp),
    quotedMessage: quoted,
    // whatsapp-web.js's hasMedia: the file can actually be downloaded.
    hasMedia: media !== undefined,
    hasQuoteMsg: quoted !== null,
  };
  // An id or jid longer than the schema allows cannot be published; real ones are far shorter.
  if (!MessageEvent.safeParse(event).success) return null;
  return media ? { event, media } : { event };
}

/**
 * The quoted message as a string: its body by the same rules as any message (text, caption,
 * vcard, location), `''` when the quote carries nothing expressible, null when there is no quote.
 */
function quotedBody(contextInfo: ContextInfo | undefined): string | null {
  const quoted = contextInfo?.quotedMessage;
  if (!quoted) return null;
  return clip(describeContent(quoted)?.body ?? '');
}

function seconds(timestamp: number | null | undefined): number {
  const n = Math.trunc(Number(timestamp ?? 0));
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}
