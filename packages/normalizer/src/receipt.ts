import { isWaAckLevel, type WaAckLevel } from './ack-levels.ts';
import { toChatJid } from './jid.ts';
import type { MessageRef } from './message-id.ts';

/** One delivery update for one message, whatever shape it arrived in. */
export interface Receipt extends MessageRef {
  level: WaAckLevel;
  /** Group member the update is about, when WhatsApp said. */
  participant?: string;
  /** Seconds since the epoch, when WhatsApp said. */
  t?: number;
}

// `["received",{type}]` names levels instead of numbering them; `played` is sent for voice
// notes and videos even though wa-protocol.md lists only the first three.
const RECEIVED_LEVEL: Readonly<Record<string, WaAckLevel>> = { error: -1, message: 2, read: 3, played: 4 };

/**
 * Receipts in a text frame `["Msg"|"MsgInfo",{cmd:"ack"|"acks",id,ack,from,to,t}]`; empty for
 * any other frame. The acked messages are ours; the chat is whichever end is not `ownJid`.
 */
export function receiptsFromTextFrame(frame: unknown, ctx: { ownJid: string }): Receipt[] {
  if (!Array.isArray(frame) || (frame[0] !== 'Msg' && frame[0] !== 'MsgInfo')) return [];
  const body = frame[1] as Record<string, unknown> | null | undefined;
  if (!isObject(body) || (body.cmd !== 'ack' && body.cmd !== 'acks')) return [];
  const level = toLevel(body.ack);
  const remoteJid = chatOf(str(body.from), str(body.to), toChatJid(ctx.ownJid));
  if (level === undefined || !remoteJid) return [];
  const ids = (Array.isArray(body.id) ? body.id : [body.id]).filter(
    (id): id is string => typeof id === 'string' && id !== '',
  );
  const extra = extras(str(body.participant), body.t);
  return ids.map((id) => ({ fromMe: true, remoteJid, id, level, ...extra }));
}

/** The receipt in a binary `["received",{type,jid,index,owner}]` node, or null when it is not one. */
export function receiptFromNode(node: unknown): Receipt | null {
  if (!Array.isArray(node) || node[0] !== 'received' || !isObject(node[1])) return null;
  const attrs = node[1];
  const level = RECEIVED_LEVEL[str(attrs.type) ?? 'message'];
  const jid = str(attrs.jid);
  const id = str(attrs.index);
  if (level === undefined || !jid || !id) return null;
  return {
    // Receipts are about our own messages unless the node says `owner="false"`.
    fromMe: attrs.owner !== 'false',
    remoteJid: toChatJid(jid),
    id,
    level,
    ...extras(str(attrs.participant), attrs.t),
  };
}

/**
 * The chat of a text ack. Real WhatsApp Web puts the chat in `to` (Baileys reads it there);
 * the simulator and some captures put it in `from` with our own jid in `to`. Taking the end
 * that is not us covers both; in a group `to` is the group, so it wins when neither is us.
 */
function chatOf(from: string | undefined, to: string | undefined, own: string): string | undefined {
  const f = from ? toChatJid(from) : undefined;
  const t = to ? toChatJid(to) : undefined;
  if (t && t !== own) return t;
  return f && f !== own ? f : undefined;
}

function toLevel(ack: unknown): WaAckLevel | undefined {
  const n = typeof ack === 'string' && /^-?[0-9]+$/.test(ack) ? Number(ack) : ack;
  return isWaAckLevel(n) ? n : undefined;
}

function extras(participant: string | undefined, t: unknown): { participant?: string; t?: number } {
  const out: { participant?: string; t?: number } = {};
  if (participant) out.participant = toChatJid(participant);
  const seconds = typeof t === 'string' && /^[0-9]+$/.test(t) ? Number(t) : t;
  if (typeof seconds === 'number' && Number.isSafeInteger(seconds) && seconds >= 0) out.t = seconds;
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
