// WebMessageInfo keys and binary nodes name users `…@s.whatsapp.net`; seed 000 and
// whatsapp-web.js write `…@c.us`. Multi-device jids add a `:device` suffix that names a phone
// or companion, not a chat, so it is dropped too.
const WIRE_SERVER = '@s.whatsapp.net';
const CHAT_SERVER = '@c.us';

/** Renders a jid as seed 000 does: `593…@s.whatsapp.net` → `593…@c.us`; groups pass through. */
export function toChatJid(jid: string): string {
  const at = jid.lastIndexOf('@');
  if (at < 0) return jid;
  const server = jid.slice(at);
  if (server !== WIRE_SERVER && server !== CHAT_SERVER) return jid;
  const user = jid.slice(0, at);
  const colon = user.indexOf(':');
  return (colon < 0 ? user : user.slice(0, colon)) + CHAT_SERVER;
}
