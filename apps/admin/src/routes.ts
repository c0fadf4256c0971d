import {
  AdminError,
  AdminInfo,
  AdminSession,
  CommandAccepted,
  CreatedSession,
  CreateSessionBody,
  EventList,
  EventsQuery,
  PairingCode,
  PairingCodeRequest,
  SendAccepted,
  SendRequest,
  SendStatus,
  SessionList,
  SessionParams,
  TokenRevoked,
} from '@wasock/contracts';
import { z } from 'zod';
import { ApiError } from './errors.ts';
import type { QrFormat } from './qr-image.ts';
import type { AdminSends } from './sends.ts';
import type { AdminSessions } from './sessions.ts';

// The API as data: each route's method, path, schemas and handler. The dispatcher validates with
// the schemas, and the OpenAPI document is generated from the very same table, so the two cannot
// drift apart.

/** What a route answers: JSON, or raw bytes of a content type. */
export type Reply =
  | { status: number; json: unknown }
  | { status: number; body: string | Buffer; contentType: string };

/** What handlers need from the rest of the app. */
export interface RouteDeps {
  sessions: AdminSessions;
  sends: AdminSends;
  renderQr(text: string, format: QrFormat): Promise<{ body: Buffer | string; type: string }>;
  openapi(): unknown;
  edgeAddress: string | null;
}

/** One documented response of a route. */
export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Non-JSON answers (images). */
  contentType?: string;
}

/** A route of the API. Paths use OpenAPI templating: `/sessions/{sid}`. */
export interface RouteDef {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  operationId: string;
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Largest body accepted, when more than the default 64 KiB (sends carry media inline). */
  maxBodyBytes?: number;
  /** Request headers documented and read by the route. */
  headers?: Record<string, string>;
  responses: Record<number, ResponseSpec>;
  handle(
    input: { params: unknown; query: unknown; body: unknown; headers: Record<string, string | undefined> },
    deps: RouteDeps,
  ): Promise<Reply>;
}

/** Declares a route with handler inputs typed from its schemas. */
function route<
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(
  def: Omit<RouteDef, 'params' | 'query' | 'body' | 'handle'> & {
    params?: P;
    query?: Q;
    body?: B;
    handle(
      input: {
        params: P extends z.ZodObject ? z.infer<P> : undefined;
        query: Q extends z.ZodObject ? z.infer<Q> : undefined;
        body: B extends z.ZodType ? z.infer<B> : undefined;
        headers: Record<string, string | undefined>;
      },
      deps: RouteDeps,
    ): Promise<Reply>;
  },
): RouteDef {
  return def as RouteDef;
}

const err = (description: string): ResponseSpec => ({ description, schema: AdminError });
const invalid = err('a path parameter, query parameter or body field is invalid (the message names it)');
const unknownSession = err('no session with this id (`session_not_found`)');
const SendParams = SessionParams.extend({
  id: z.string().regex(/^3EB0[0-9A-F]{16}$|^[0-9A-Za-z]{1,64}$/, 'a WhatsApp message id'),
});

async function qrImage(sid: string, format: QrFormat, deps: RouteDeps): Promise<Reply> {
  const img = await deps.renderQr(await deps.sessions.qr(sid), format);
  return { status: 200, body: img.body, contentType: img.type };
}

/** Every route of the admin API. */
export const ROUTES: readonly RouteDef[] = [
  route({
    method: 'GET',
    path: '/sessions',
    operationId: 'listSessions',
    summary: 'List every session, newest first',
    responses: { 200: { description: 'the sessions', schema: SessionList } },
    handle: async (_, deps) => ({ status: 200, json: { sessions: await deps.sessions.list() } }),
  }),
  route({
    method: 'POST',
    path: '/sessions',
    operationId: 'createSession',
    summary: 'Create a session and its API token; the token is shown this once',
    body: CreateSessionBody.optional(),
    responses: {
      201: { description: 'created; link it by scanning its QR', schema: CreatedSession },
      400: invalid,
      413: err('the body is over 64 KiB'),
      415: err('the body is not application/json'),
    },
    handle: async ({ body }, deps) => ({ status: 201, json: await deps.sessions.create(body) }),
  }),
  route({
    method: 'GET',
    path: '/sessions/{sid}',
    operationId: 'getSession',
    summary: 'Read one session',
    params: SessionParams,
    responses: {
      200: { description: 'the session', schema: AdminSession },
      400: invalid,
      404: unknownSession,
    },
    handle: async ({ params }, deps) => ({ status: 200, json: await deps.sessions.get(params.sid) }),
  }),
  route({
    method: 'POST',
    path: '/sessions/{sid}/logout',
    operationId: 'logoutSession',
    summary: 'Log the session out of WhatsApp: credentials are dropped, a new QR scan is needed',
    params: SessionParams,
    responses: {
      202: { description: 'handed to the worker running the session', schema: CommandAccepted },
      400: invalid,
      404: unknownSession,
      409: err('already logged out (`already_logged_out`)'),
    },
    handle: async ({ params }, deps) => {
      await deps.sessions.logout(params.sid);
      return { status: 202, json: { sid: params.sid, command: 'logout' } };
    },
  }),
  route({
    method: 'POST',
    path: '/sessions/{sid}/restart',
    operationId: 'restartSession',
    summary: 'Restart the session: reconnect with the stored credentials, or show a new QR',
    params: SessionParams,
    responses: {
      202: { description: 'handed to the workers', schema: CommandAccepted },
      400: invalid,
      404: unknownSession,
      409: err('its token is revoked, so it no longer runs (`token_revoked`)'),
    },
    handle: async ({ params }, deps) => {
      await deps.sessions.restart(params.sid);
      return { status: 202, json: { sid: params.sid, command: 'restart' } };
    },
  }),
  route({
    method: 'POST',
    path: '/sessions/{sid}/pairing-code',
    operationId: 'requestPairingCode',
    summary:
      'Link by phone number instead of a QR (multi-device sessions): WhatsApp issues an 8-character ' +
      'code to type on that phone under Linked devices → Link with phone number instead',
    params: SessionParams,
    body: PairingCodeRequest,
    responses: {
      200: { description: 'the code; the session turns connected once it is typed', schema: PairingCode },
      400: invalid,
      404: unknownSession,
      409: err(
        'cannot link this way now: `already_linked`, `not_running` (no worker runs it), `unsupported` ' +
          '(a legacy session), `not_connected`/`closed` (logged out or stopped: restart it first)',
      ),
      502: err('WhatsApp refused the request (`pairing_failed`)'),
      504: err('the session did not reach the link stage in time (`pairing_timeout`)'),
    },
    handle: async ({ params, body }, deps) => ({
      status: 200,
      json: await deps.sessions.pairingCode(params.sid, body.phoneNumber),
    }),
  }),
  route({
    method: 'DELETE',
    path: '/sessions/{sid}/token',
    operationId: 'revokeToken',
    summary: "Revoke the session's API token: open client connections close within a second",
    params: SessionParams,
    responses: {
      200: { description: 'revoked', schema: TokenRevoked },
      400: invalid,
      404: unknownSession,
      409: err('already revoked (`already_revoked`)'),
    },
    handle: async ({ params }, deps) => ({
      status: 200,
      json: { sid: params.sid, revoked: await deps.sessions.revoke(params.sid) },
    }),
  }),
  route({
    method: 'GET',
    path: '/sessions/{sid}/events',
    operationId: 'listEvents',
    summary: 'The newest stored events of a session, oldest first',
    params: SessionParams,
    query: EventsQuery,
    responses: { 200: { description: 'the events', schema: EventList }, 400: invalid, 404: unknownSession },
    handle: async ({ params, query }, deps) => ({
      status: 200,
      json: { sid: params.sid, events: await deps.sessions.events(params.sid, query.limit) },
    }),
  }),
  route({
    method: 'POST',
    path: '/sessions/{sid}/messages',
    operationId: 'sendMessage',
    summary:
      'Send a message (text, quoted reply, image, document, voice note); answered before it leaves. ' +
      'Its `message` event (fromMe: true) and rising acks arrive on the socket.',
    params: SessionParams,
    body: SendRequest,
    maxBodyBytes: 24 * 1024 * 1024,
    headers: { 'Idempotency-Key': 'optional: a retried request with the same key sends once (24 h)' },
    responses: {
      202: { description: 'queued; `messageId` names it on the socket', schema: SendAccepted },
      400: invalid,
      404: unknownSession,
      409: err('the token is revoked or the session logged out (`not_sendable`)'),
      413: err('the body is over 24 MiB'),
      429: err('the per-session send rate is exhausted (`rate_limited`); see Retry-After'),
    },
    handle: async ({ params, body, headers }, deps) => ({
      status: 202,
      json: await deps.sends.send(params.sid, body, headers['idempotency-key']),
    }),
  }),
  route({
    method: 'GET',
    path: '/sessions/{sid}/messages/{id}',
    operationId: 'getSentMessage',
    summary: 'Where a sent message is: queued, sending, sent or failed (with the reason)',
    params: SendParams,
    responses: {
      200: { description: 'its status', schema: SendStatus },
      400: invalid,
      404: err('unknown message'),
    },
    handle: async ({ params }, deps) => ({
      status: 200,
      json: await deps.sends.status(params.sid, params.id),
    }),
  }),
  route({
    method: 'GET',
    path: '/sessions/{sid}/qr.png',
    operationId: 'getQrPng',
    summary: 'The QR to scan, as a PNG',
    params: SessionParams,
    responses: {
      200: { description: 'the QR', contentType: 'image/png' },
      400: invalid,
      404: err('unknown session, or not awaiting a scan (`no_qr`, the message says why)'),
    },
    handle: ({ params }, deps) => qrImage(params.sid, 'png', deps),
  }),
  route({
    method: 'GET',
    path: '/sessions/{sid}/qr.svg',
    operationId: 'getQrSvg',
    summary: 'The QR to scan, as SVG',
    params: SessionParams,
    responses: {
      200: { description: 'the QR', contentType: 'image/svg+xml' },
      400: invalid,
      404: err('unknown session, or not awaiting a scan (`no_qr`, the message says why)'),
    },
    handle: ({ params }, deps) => qrImage(params.sid, 'svg', deps),
  }),
  route({
    method: 'GET',
    path: '/info',
    operationId: 'getInfo',
    summary: 'Deployment facts for the console (where API clients connect)',
    responses: { 200: { description: 'the facts', schema: AdminInfo } },
    handle: async (_, deps) => ({ status: 200, json: { edgeAddress: deps.edgeAddress } }),
  }),
  route({
    method: 'GET',
    path: '/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1', schema: z.record(z.string(), z.unknown()) } },
    handle: async (_, deps) => ({ status: 200, json: deps.openapi() }),
  }),
  route({
    method: 'GET',
    path: '/live',
    operationId: 'live',
    summary:
      'WebSocket: session changes, and the live events of sessions subscribed to with {"subscribe": sid}. ' +
      'Authenticate with ?token= or a first message {"token": …}. Messages: LiveClientMessage and LiveServerMessage.',
    responses: {
      101: { description: 'switching to WebSocket' },
      426: err('a plain GET: this route only upgrades to WebSocket (`upgrade_required`)'),
    },
    handle: async () => {
      throw new ApiError(426, 'upgrade_required', '/live is a WebSocket: send an Upgrade request', {
        upgrade: 'websocket',
      });
    },
  }),
];
