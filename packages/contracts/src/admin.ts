import { z } from 'zod';
import { StoredEvent } from './events.ts';
import { SessionId, SessionState } from './session.ts';

// The admin API's requests, responses and live-channel messages. apps/admin validates with them
// and generates its OpenAPI document from them; the console and any other client can rely on them.

/** Every admin API error: a stable machine-readable code and a human message. */
export const AdminError = z
  .object({
    error: z.object({
      code: z.string().describe('stable machine-readable code, e.g. `session_not_found`'),
      message: z.string().describe('what went wrong, for people'),
    }),
  })
  .describe('An error. The status code tells its class; `code` tells which one.');
export type AdminError = z.infer<typeof AdminError>;

/** A session label: printable text, no control characters. */
export const SessionLabel = z
  .string()
  .trim()
  .max(128, 'must be at most 128 characters')
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
  .describe('a name for people, e.g. the shop or the phone');

/** Which WhatsApp protocol runs a session: multi-device (today's WhatsApp) or the legacy web one. */
export const ConnectorKind = z
  .enum(['legacy', 'multidevice'])
  .describe("the WhatsApp protocol; absent or null: the workers' WA_CONNECTOR");
export type ConnectorKind = z.infer<typeof ConnectorKind>;

/** `POST /sessions` body. */
export const CreateSessionBody = z
  .strictObject({ label: SessionLabel.optional(), connector: ConnectorKind.optional() })
  .describe('The session to create; every field is optional.');
export type CreateSessionBody = z.infer<typeof CreateSessionBody>;

/** `POST /sessions` answer: the only time the token is ever shown. */
export const CreatedSession = z
  .object({
    sid: SessionId,
    token: z.string().describe('the API token, shown this once: clients send it to sock-edge'),
    label: z.string(),
    connector: ConnectorKind.nullable(),
  })
  .describe('A new session and its API token (never shown again).');
export type CreatedSession = z.infer<typeof CreatedSession>;

/** A session as the admin API shows it (never the token, nor its hash). */
export const AdminSession = z
  .object({
    sid: SessionId,
    state: SessionState,
    label: z.string(),
    connector: ConnectorKind.nullable(),
    created: z.number().int().describe('creation time, ms since the epoch'),
    updated: z.number().int().nullable().describe('last state change, ms since the epoch'),
    qr: z.string().nullable().describe('the QR text to scan while `awaiting_scan`, else null'),
    owner: z.string().nullable().describe('the worker that last ran the session'),
    reason: z.string().nullable().describe('why the session failed or was logged out'),
    revoked: z.number().int().nullable().describe('when its token was revoked (ms), or null'),
  })
  .describe('A linked (or linking) WhatsApp session.');
export type AdminSession = z.infer<typeof AdminSession>;

/** `GET /sessions` answer. */
export const SessionList = z.object({ sessions: z.array(AdminSession) }).describe('Every session, by id.');
export type SessionList = z.infer<typeof SessionList>;

/** Path parameters of the per-session routes. */
export const SessionParams = z.object({ sid: SessionId });
export type SessionParams = z.infer<typeof SessionParams>;

/** `GET /sessions/{sid}/events` query. */
export const EventsQuery = z.object({
  limit: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1000, 'must be at most 1000')
    .default(50)
    .describe('how many of the newest stored events to return'),
});
export type EventsQuery = z.infer<typeof EventsQuery>;

/** One stored event with its stream position. */
export const AdminEvent = z
  .object({
    id: z.string().describe('stream entry id (`<ms>-<seq>`), rising'),
    n: z.number().int().describe('sequence number within the stream epoch'),
    epoch: z.string().describe('stream epoch, new when the stream is recreated'),
    event: StoredEvent,
  })
  .describe('A stored event (seed 000, without `number`).');
export type AdminEvent = z.infer<typeof AdminEvent>;

/** `GET /sessions/{sid}/events` answer: oldest first. */
export const EventList = z
  .object({ sid: SessionId, events: z.array(AdminEvent) })
  .describe('The newest stored events, oldest first.');
export type EventList = z.infer<typeof EventList>;

/** Logout and restart answer: the command was handed to the worker (it acts asynchronously). */
export const CommandAccepted = z
  .object({ sid: SessionId, command: z.enum(['logout', 'restart']) })
  .describe('The command was accepted; watch the state change on /live or GET the session.');
export type CommandAccepted = z.infer<typeof CommandAccepted>;

/** `DELETE /sessions/{sid}/token` answer. */
export const TokenRevoked = z
  .object({ sid: SessionId, revoked: z.number().int().describe('ms since the epoch') })
  .describe('The token stopped authenticating; open client connections are closed.');
export type TokenRevoked = z.infer<typeof TokenRevoked>;

/** `GET /info` answer: what the console shows beside the sessions. */
export const AdminInfo = z
  .object({
    edgeAddress: z.string().nullable().describe('where API clients connect (EDGE_PUBLIC_ADDRESS)'),
  })
  .describe('Deployment facts for the console.');
export type AdminInfo = z.infer<typeof AdminInfo>;

/** A message a browser sends on `/live`. */
export const LiveClientMessage = z.union([
  z.strictObject({ token: z.string().min(1).max(1024) }).describe('authenticate (first message)'),
  z.strictObject({ subscribe: SessionId }).describe("stream this session's live events"),
  z.strictObject({ unsubscribe: SessionId }),
]);
export type LiveClientMessage = z.infer<typeof LiveClientMessage>;

/** A message the admin app sends on `/live`. */
export const LiveServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }).describe('authenticated: session changes follow'),
  z.object({ type: z.literal('session'), session: AdminSession }).describe('a session changed'),
  z.object({ type: z.literal('subscribed'), sid: SessionId }),
  z.object({ type: z.literal('unsubscribed'), sid: SessionId }),
  z.object({ type: z.literal('event'), sid: SessionId, entry: AdminEvent }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type LiveServerMessage = z.infer<typeof LiveServerMessage>;
