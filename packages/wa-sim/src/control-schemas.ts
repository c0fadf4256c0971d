import { z } from 'zod';

/**
 * Bodies of the control API, validated with zod: the single source for the server routes and
 * the typed client.
 */

const jid = z
  .string()
  .min(3)
  .max(100)
  .regex(/^[^@\s]+@(c\.us|s\.whatsapp\.net|g\.us|broadcast)$/, 'a jid like 33612345678@c.us');
const sessionId = z.string().min(1).max(64);

/** `POST /scan`: the phone scans the QR the client shows. */
export const ScanBody = z.object({
  qr: z.string().min(5).max(1000),
  wid: jid.optional(),
  pushname: z.string().max(100).optional(),
  platform: z.string().max(40).optional(),
});
export type ScanBody = z.infer<typeof ScanBody>;

/** `POST /messages`: a contact sends a message to a session's phone. */
export const MessageBody = z.object({
  session: sessionId,
  kind: z.enum(['text', 'quoted', 'ptt', 'audio', 'image', 'video', 'document', 'sticker']),
  from: jid,
  id: z
    .string()
    .regex(/^[A-Za-z0-9]{1,64}$/)
    .optional(),
  text: z.string().max(65_536).optional(),
  caption: z.string().max(4096).optional(),
  fileName: z.string().max(255).optional(),
  mimetype: z.string().max(255).optional(),
  /** Media content, base64 (random bytes of `size` when absent). */
  data: z
    .base64()
    .max(16 * 1024 * 1024)
    .optional(),
  size: z
    .number()
    .int()
    .min(1)
    .max(8 * 1024 * 1024)
    .optional(),
  quoted: z
    .object({ id: z.string().min(1).max(64), text: z.string().max(65_536), participant: jid.optional() })
    .optional(),
  participant: jid.optional(),
  pushName: z.string().max(100).optional(),
  timestamp: z.number().int().min(0).optional(),
  fromMe: z.boolean().optional(),
});
export type MessageBody = z.infer<typeof MessageBody>;

/** `POST /receipts`: acks for messages of a chat, as text `Msg`/`MsgInfo` or binary `received`. */
export const ReceiptBody = z.object({
  session: sessionId,
  ids: z.array(z.string().min(1).max(64)).min(1).max(100),
  remoteJid: jid,
  ack: z.enum(['error', 'pending', 'server', 'delivered', 'read', 'played']),
  via: z.enum(['Msg', 'MsgInfo', 'received']).default('Msg'),
  participant: jid.optional(),
});
export type ReceiptBody = z.input<typeof ReceiptBody>;

/** `POST /faults`: break a session's live connection on purpose. */
export const FaultBody = z.object({
  session: sessionId,
  fault: z.enum([
    'drop_socket',
    'stop_pings',
    'bad_mac',
    'truncated_node',
    'garbage_text',
    'random_frame',
    'random_text',
    'mutated_frame',
  ]),
});
export type FaultBody = z.infer<typeof FaultBody>;
