import { z } from 'zod';

// The three event kinds of seed 000, field for field. Events are stored without `number` (the
// user's token, which is never kept in clear); the edge puts it back per connection.

const jid = z.string().min(1).max(256);
const messageId = z.string().min(1).max(512);

/** A received or sent message (seed 000 "Mensajes de Texto"). */
export const MessageEvent = z.strictObject({
  content: z.literal('message'),
  messageId,
  from: jid,
  to: jid,
  fromMe: z.boolean(),
  body: z.string().max(65_536),
  type: z.string().min(1).max(32),
  timestamp: z.number().int().nonnegative(),
  quotedMessage: z.union([z.null(), z.string().max(65_536), z.record(z.string(), z.unknown())]),
  hasMedia: z.boolean(),
  hasQuoteMsg: z.boolean(),
});
export type MessageEvent = z.infer<typeof MessageEvent>;

/** A downloaded media file (seed 000 "Mensajes de Multimedia"). */
export const MediaEvent = z.strictObject({
  content: z.literal('media'),
  mediaKey: z.string().min(1).max(256),
  mediaData: z.string().min(1).max(2048),
  mimeType: z.string().min(1).max(256),
  fileName: z.string().max(1024),
});
export type MediaEvent = z.infer<typeof MediaEvent>;

/** Seed 000 ack levels: 1 sent, 2 read, 3 media played. */
export const AckLevel = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export type AckLevel = z.infer<typeof AckLevel>;

/** A delivery/read receipt (seed 000 "Mensaje recibido/leído"). */
export const AckEvent = z.strictObject({
  content: z.literal('ack'),
  messageId,
  ack: AckLevel,
});
export type AckEvent = z.infer<typeof AckEvent>;

/** An event as published and stored: any seed 000 kind, without `number`. */
export const StoredEvent = z.discriminatedUnion('content', [MessageEvent, MediaEvent, AckEvent]);
export type StoredEvent = z.infer<typeof StoredEvent>;

/** An event as a client reads it: `number` (the connection's token) first, then the body. */
export const WireEvent = z.discriminatedUnion('content', [
  MessageEvent.extend({ number: z.string() }),
  MediaEvent.extend({ number: z.string() }),
  AckEvent.extend({ number: z.string() }),
]);
export type WireEvent = z.infer<typeof WireEvent>;

/**
 * Accepts a seed 000 event with or without `number` (as the document prints them) and returns
 * the stored form. `number` is dropped: the edge adds the reader's own token.
 */
export function parseEvent(input: unknown): StoredEvent {
  if (input && typeof input === 'object' && !Array.isArray(input) && 'number' in input) {
    const { number: _ignored, ...rest } = input as Record<string, unknown>;
    return StoredEvent.parse(rest);
  }
  return StoredEvent.parse(input);
}
