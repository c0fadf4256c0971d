import { toChatJid } from './jid.ts';

/** The parts of a WhatsApp message key that name one message. */
export interface MessageRef {
  fromMe: boolean;
  remoteJid: string;
  id: string;
}

/**
 * Seed 000's `messageId`: `<fromMe>_<remoteJid>_<id>` with the chat jid in `@c.us` form.
 * Unlike whatsapp-web.js, no `_<participant>` is appended for group messages, so a message and
 * the receipts about it (which carry no author) always produce the same id.
 */
export function messageIdOf(ref: MessageRef): string {
  return `${ref.fromMe}_${toChatJid(ref.remoteJid)}_${ref.id}`;
}
