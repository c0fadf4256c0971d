/**
 * Binary nodes name users `…@s.whatsapp.net` while the JSON layer (and seed 000) writes
 * `…@c.us`; these two functions are the only place that translates between them.
 */
const WIRE_SERVER = '@s.whatsapp.net';
const CHAT_SERVER = '@c.us';

/** `123@s.whatsapp.net` → `123@c.us`; other jids (groups, broadcast) pass through. */
export function toChatJid(jid: string): string {
  return jid.endsWith(WIRE_SERVER) ? jid.slice(0, -WIRE_SERVER.length) + CHAT_SERVER : jid;
}

/** `123@c.us` → `123@s.whatsapp.net`, the form binary nodes and WebMessageInfo keys carry. */
export function toWireJid(jid: string): string {
  return jid.endsWith(CHAT_SERVER) ? jid.slice(0, -CHAT_SERVER.length) + WIRE_SERVER : jid;
}
