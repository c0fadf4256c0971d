import { z } from 'zod';

/** A WhatsApp chat to send to: a phone (`<digits>@c.us` or `@s.whatsapp.net`) or a group. */
export const ChatJid = z
  .string()
  .max(128)
  .regex(/^[0-9]{5,20}@(c\.us|s\.whatsapp\.net)$|^[0-9-]{5,40}@g\.us$/, 'a jid like 593123456789@c.us');

/** A seed 000 message id (`<fromMe>_<jid>_<id>`), e.g. to reply to. */
export const SeedMessageId = z
  .string()
  .max(256)
  .regex(/^(true|false)_[^_\s]+@[a-z.]+_[A-Za-z0-9]{1,64}$/, 'a seed messageId');

/** Media to send, carried inline as base64. */
export const OutboundMedia = z.strictObject({
  kind: z.enum(['image', 'document', 'ptt']),
  data: z.base64().min(4).max(22_000_000),
  mimeType: z.string().min(3).max(128),
  fileName: z.string().min(1).max(255).optional(),
});
export type OutboundMedia = z.infer<typeof OutboundMedia>;

/** `POST /sessions/:sid/messages`: text, a reply (quoted) and/or media with a caption. */
export const SendRequest = z
  .strictObject({
    to: ChatJid,
    text: z.string().min(1).max(65_536).optional(),
    replyTo: SeedMessageId.optional(),
    media: OutboundMedia.optional(),
  })
  .refine((r) => r.text !== undefined || r.media !== undefined, { message: 'send text, media or both' })
  .refine((r) => !(r.media?.kind === 'ptt' && r.text !== undefined), {
    message: 'a voice note carries no text',
    path: ['text'],
  });
export type SendRequest = z.infer<typeof SendRequest>;

/** Where an outbound message is. The seed has no failure ack, so failures show only here. */
export const SendState = z.enum(['queued', 'sending', 'sent', 'failed']);
export type SendState = z.infer<typeof SendState>;

/** `GET /sessions/:sid/messages/:id`. */
export const SendStatus = z.object({
  messageId: z.string(),
  state: SendState,
  attempts: z.number().int().nonnegative(),
  createdAt: z.number().int(),
  sentAt: z.number().int().optional(),
  error: z.string().optional(),
});
export type SendStatus = z.infer<typeof SendStatus>;

/** The answer to an accepted send: 202 before the message is on its way. */
export const SendAccepted = z.object({ messageId: z.string(), state: SendState });
export type SendAccepted = z.infer<typeof SendAccepted>;
