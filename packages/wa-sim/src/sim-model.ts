import { randomBytes } from 'node:crypto';
import type { SessionKeys, WebMessageInfo } from '@wasock/wa-web';

/** A message kept in a phone's chat history (what `add:last` and history queries replay). */
export interface StoredMessage {
  info: WebMessageInfo;
  bytes: Uint8Array;
}

/** One chat of a phone. */
export interface SimChat {
  jid: string;
  name?: string;
  messages: StoredMessage[];
}

/** A simulated phone: a WhatsApp account with contacts and chat histories. */
export interface SimPhone {
  wid: string;
  pushname: string;
  platform: string;
  chats: Map<string, SimChat>;
}

/** A web session paired with a phone: the tokens and keys the client must present on takeover. */
export interface SimSession {
  id: string;
  phone: SimPhone;
  clientId: string;
  clientToken: string;
  serverToken: string;
  browserToken: string;
  keys: SessionKeys;
  /** Once logged out, every token of this session is refused. */
  loggedOut: boolean;
  /** What the client relayed (sent), oldest first. */
  relayed: WebMessageInfo[];
  /**
   * Messages that arrived while no client was logged in: the phone hands them over on the next
   * login, as WhatsApp delivers offline messages, whatever the `add:last` window holds.
   */
  pending: Uint8Array[];
  /**
   * Messages relayed to a client in the last seconds. A client that dies right after (SIGKILL,
   * dropped socket) may not have stored them, so the next login gets them again: redelivery is
   * at least once, as on WhatsApp, and the gateway dedupes.
   */
  recent: { bytes: Uint8Array; at: number }[];
  createdAt: number;
  logins: number;
  queries: number;
  presence?: string;
}

/** A random token in the style of the server's (base64 of 20 bytes). */
export function newToken(prefix = ''): string {
  return prefix + randomBytes(20).toString('base64');
}

/** Keeps at most `max` items, dropping the oldest: every simulator store is bounded. */
export function pushBounded<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}
