import type { BinaryNode } from './binary-tags.ts';
import { toChatJid } from './jid.ts';
import { type Receipt, receiptFromNode } from './receipts.ts';

/** One entry of the chat list (`response type:chat`). */
export interface ChatInfo {
  jid: string;
  count?: number;
  t?: number;
  mute?: string;
  modifyTag?: string;
  spam?: boolean;
  name?: string;
}

/** One entry of the contact list (`response type:contacts`). */
export interface ContactInfo {
  jid: string;
  name?: string;
  notify?: string;
  short?: string;
}

/** What a decrypted binary node means to the client. */
export type InboundItem =
  | { type: 'message'; add: string; last: boolean; bytes: Uint8Array }
  | { type: 'receipt'; receipt: Receipt }
  | { type: 'chats'; chats: ChatInfo[]; duplicate: boolean }
  | { type: 'contacts'; contacts: ContactInfo[]; duplicate: boolean }
  | { type: 'frequent'; jids: string[] }
  | { type: 'battery'; value: number; live: boolean; powersave: boolean }
  | { type: 'status'; checksum?: string }
  | { type: 'emoji'; items: { code: string; value: number }[] }
  | { type: 'other'; node: BinaryNode };

/** Interprets one decoded node (pure): messages, receipts, chat/contact lists, battery, the rest as `other`. */
export function interpretNode(node: BinaryNode): InboundItem[] {
  const [description, attrs, content] = node;
  const children = Array.isArray(content) ? content : [];
  if (description === 'action') {
    const items: InboundItem[] = [];
    const add = attrs.add ?? '';
    const last = attrs.last === 'true';
    for (const child of children) {
      const [childDesc, childAttrs, childContent] = child;
      if (childDesc === 'message' && childContent instanceof Uint8Array) {
        items.push({ type: 'message', add, last, bytes: childContent });
      } else if (childDesc === 'received') {
        const receipt = receiptFromNode(child);
        items.push(receipt ? { type: 'receipt', receipt } : { type: 'other', node: child });
      } else if (childDesc === 'battery') {
        items.push({
          type: 'battery',
          value: Number(childAttrs.value ?? 0),
          live: childAttrs.live === 'true',
          powersave: childAttrs.powersave === 'true',
        });
      } else if (childDesc === 'contacts' && childAttrs.type === 'frequent' && Array.isArray(childContent)) {
        items.push({
          type: 'frequent',
          jids: childContent
            .map((c) => c[1].jid)
            .filter(isString)
            .map(toChatJid),
        });
      } else {
        items.push({ type: 'other', node: child });
      }
    }
    return items;
  }
  if (description === 'response') {
    const duplicate = attrs.duplicate === 'true';
    switch (attrs.type) {
      case 'chat':
        return [
          {
            type: 'chats',
            duplicate,
            chats: children.filter((c) => c[0] === 'chat' && c[1].jid).map(chatInfo),
          },
        ];
      case 'contacts':
        return [
          {
            type: 'contacts',
            duplicate,
            contacts: children.filter((c) => c[0] === 'user' && c[1].jid).map(contactInfo),
          },
        ];
      case 'status':
        return [attrs.checksum ? { type: 'status', checksum: attrs.checksum } : { type: 'status' }];
      case 'emoji':
        return [
          {
            type: 'emoji',
            items: children
              .filter((c) => c[0] === 'item' && c[1].code !== undefined)
              .map((c) => ({ code: c[1].code ?? '', value: Number(c[1].value ?? 0) })),
          },
        ];
      default:
        return [{ type: 'other', node }];
    }
  }
  return [{ type: 'other', node }];
}

function chatInfo(node: BinaryNode): ChatInfo {
  const a = node[1];
  const chat: ChatInfo = { jid: toChatJid(a.jid ?? '') };
  if (a.count !== undefined) chat.count = Number(a.count);
  if (a.t !== undefined) chat.t = Number(a.t);
  if (a.mute !== undefined) chat.mute = a.mute;
  if (a.modify_tag !== undefined) chat.modifyTag = a.modify_tag;
  if (a.spam !== undefined) chat.spam = a.spam === 'true';
  if (a.name !== undefined) chat.name = a.name;
  return chat;
}

function contactInfo(node: BinaryNode): ContactInfo {
  const a = node[1];
  const contact: ContactInfo = { jid: toChatJid(a.jid ?? '') };
  if (a.name !== undefined) contact.name = a.name;
  if (a.notify !== undefined) contact.notify = a.notify;
  if (a.short !== undefined) contact.short = a.short;
  return contact;
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}
