import { toChatJid } from '@wasock/normalizer';

// Multi-device addresses a contact either by phone number (`…@s.whatsapp.net`) or by an opaque
// LID (`…@lid`); Baileys puts the other form in `remoteJidAlt` / `participantAlt` when it knows
// it. Seed 000 names people by phone number (`593…@c.us`), so the phone form wins wherever
// Baileys has it; a LID is kept only when it is all we have.

/** The phone-number jid of the pair when there is one, else the primary jid. */
export function preferPhoneJid(
  jid: string | null | undefined,
  alt: string | null | undefined,
): string | undefined {
  if (jid && !isLid(jid)) return jid;
  if (alt && !isLid(alt)) return alt;
  return jid ?? alt ?? undefined;
}

/** The chat jid in seed 000 form (`@c.us`, device suffix dropped), as the normalizer writes it. */
export function chatJidOf(jid: string): string {
  return toChatJid(jid);
}

function isLid(jid: string): boolean {
  return jid.endsWith('@lid') || jid.endsWith('@hosted.lid');
}
