import { z } from 'zod';

/**
 * Shapes of the JSON the server sends (seed 001 and wa-protocol.md). Every schema keeps unknown
 * fields (`loose`) because the server adds fields freely; only what the client relies on is
 * required.
 */

/** The answer to `admin init` and `admin Conn reref`. */
export const InitResponseSchema = z.looseObject({
  status: z.number(),
  ref: z.string().min(1).optional(),
  ttl: z.number().positive().optional(),
  update: z.boolean().optional(),
  curr: z.string().optional(),
  time: z.number().optional(),
});
export type InitResponse = z.infer<typeof InitResponseSchema>;

/** Any `{"status":N,…}` answer (login, challenge, presence, relay). */
export const StatusResponseSchema = z.looseObject({ status: z.number(), t: z.number().optional() });
export type StatusResponse = z.infer<typeof StatusResponseSchema>;

/** `["Conn",{…}]`: the pairing (with `secret`) or a restored session (rotated tokens only). */
export const ConnSchema = z.looseObject({
  ref: z.string().optional(),
  wid: z.string().min(1),
  connected: z.boolean().optional(),
  serverToken: z.string().min(1),
  clientToken: z.string().min(1),
  browserToken: z.string().optional(),
  secret: z.string().optional(),
  pushname: z.string().optional(),
  platform: z.string().optional(),
  battery: z.number().optional(),
  plugged: z.boolean().optional(),
  phone: z.looseObject({}).optional(),
});
export type Conn = z.infer<typeof ConnSchema>;

/** `["Cmd",{…}]`: a login challenge or a disconnect order. */
export const CmdSchema = z.looseObject({
  type: z.string(),
  kind: z.string().optional(),
  challenge: z.string().optional(),
});
export type Cmd = z.infer<typeof CmdSchema>;

/** `["Msg"|"MsgInfo",{cmd:"ack"|"acks",…}]`: delivery levels of messages. */
export const MsgAckSchema = z.looseObject({
  cmd: z.enum(['ack', 'acks']),
  id: z.union([z.string(), z.array(z.string())]),
  ack: z.coerce.number().int().min(-1).max(5),
  from: z.string().optional(),
  to: z.string().optional(),
  participant: z.string().nullish(),
  t: z.coerce.number().optional(),
});
export type MsgAck = z.infer<typeof MsgAckSchema>;

/** `["Stream","update",false,"2.2017.6"]`. */
export const StreamSchema = z
  .tuple([z.literal('Stream'), z.string(), z.boolean(), z.string()])
  .rest(z.unknown());

/** `["Blocklist",{id,blocklist}]`. */
export const BlocklistSchema = z.looseObject({ id: z.number().optional(), blocklist: z.array(z.string()) });

/** `["Props",{…}]`: numeric client properties. */
export const PropsSchema = z.record(z.string(), z.unknown());
