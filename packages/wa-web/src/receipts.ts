import type { BinaryNode } from './binary-tags.ts';
import { toChatJid } from './jid.ts';
import type { MsgAck } from './protocol-messages.ts';

/** WhatsApp delivery levels: −1 error, 0 pending, 1 server, 2 delivered, 3 read, 4 played. */
export type AckLevel = -1 | 0 | 1 | 2 | 3 | 4;

/** One delivery/read update for one or more messages of one chat. */
export interface Receipt {
  ids: string[];
  ack: AckLevel;
  /** The chat, in `@c.us` form. */
  remoteJid: string;
  /** True when the messages are ours (the usual case for acks). */
  fromMe: boolean;
  participant?: string;
  /** Seconds since the epoch, when the server said. */
  t?: number;
  source: 'Msg' | 'MsgInfo' | 'received';
}

const RECEIVED_LEVEL: Readonly<Record<string, AckLevel>> = { error: -1, message: 2, read: 3, played: 4 };

/** A text `Msg`/`MsgInfo` ack as a Receipt; `ownJid` tells which side of from/to is the chat. */
export function receiptFromMsg(source: 'Msg' | 'MsgInfo', ack: MsgAck, ownJid: string | undefined): Receipt {
  const own = ownJid ? toChatJid(ownJid) : undefined;
  const from = ack.from ? toChatJid(ack.from) : undefined;
  const to = ack.to ? toChatJid(ack.to) : undefined;
  // The chat is whichever end is not us; when we cannot tell, the sender side names it.
  const remoteJid = (from && from !== own ? from : to) ?? from ?? '';
  const receipt: Receipt = {
    ids: Array.isArray(ack.id) ? ack.id : [ack.id],
    ack: clampLevel(ack.ack),
    remoteJid,
    fromMe: true,
    source,
  };
  if (ack.participant) receipt.participant = toChatJid(ack.participant);
  if (ack.t !== undefined && Number.isFinite(ack.t)) receipt.t = ack.t;
  return receipt;
}

/** A binary `["received",{type,jid,index,owner}]` node as a Receipt, or null when it is not one. */
export function receiptFromNode(node: BinaryNode): Receipt | null {
  const [description, attrs] = node;
  if (description !== 'received') return null;
  const level = RECEIVED_LEVEL[attrs.type ?? 'message'];
  if (level === undefined || !attrs.jid || !attrs.index) return null;
  const receipt: Receipt = {
    ids: [attrs.index],
    ack: level,
    remoteJid: toChatJid(attrs.jid),
    fromMe: attrs.owner !== 'false',
    source: 'received',
  };
  if (attrs.participant) receipt.participant = toChatJid(attrs.participant);
  if (attrs.t && /^[0-9]+$/.test(attrs.t)) receipt.t = Number(attrs.t);
  return receipt;
}

function clampLevel(n: number): AckLevel {
  if (n <= -1) return -1;
  if (n >= 4) return 4;
  return Math.trunc(n) as AckLevel;
}
