import { randomBytes } from 'node:crypto';
import type { SendRequest } from '@wasock/contracts';

/** What a send job carries to the worker that owns the session. */
export interface SendJob {
  sid: string;
  /** The WhatsApp message id, fixed at enqueue so a retried send is the same message. */
  waId: string;
  request: SendRequest;
}

/** A new WhatsApp Web style message id (`3EB0` + 16 hex digits). */
export function newWaMessageId(): string {
  return `3EB0${randomBytes(8).toString('hex').toUpperCase()}`;
}

/** The seed `messageId` of a message we send: `true_<chat>_<id>`, chat in `@c.us` form. */
export function outboundMessageId(to: string, waId: string): string {
  return `true_${to.replace(/@s\.whatsapp\.net$/, '@c.us')}_${waId}`;
}
