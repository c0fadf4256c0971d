import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type BinaryNode,
  createConnSecret,
  decodeWebMessageInfo,
  encodeBinaryFrame,
  encodeBinaryNode,
  encodePong,
  encodeWebMessageInfo,
  encryptFramePayload,
  randomSessionKeys,
  toChatJid,
  toWireJid,
  type WebMessageInfo,
} from '@wasock/wa-web';
import { WebSocketServer } from 'ws';
import { buildScriptedMessage, mediaIdOf, type ScriptedMessage } from './scripted-messages.ts';
import { type LinkHost, SimLink } from './sim-link.ts';
import { newToken, pushBounded, type SimChat, type SimPhone, type SimSession } from './sim-model.ts';

/** Simulator settings; all timeouts short-able for tests. */
export interface WaSimOptions {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Lifetime of a QR ref announced in `ttl` (default 20 s). */
  ttlMs?: number;
  /** Send a login challenge on every takeover (default true). */
  challengeOnTakeover?: boolean;
  /** Base of media URLs (default `http://<host>:<port>`). */
  publicUrl?: string;
  /** Messages per chat kept for `add:last` and history queries (default 200). */
  historyPerChat?: number;
  /** Messages per chat replayed with `add:last` on login (default 20). */
  lastPerChat?: number;
  /** Media files kept (oldest dropped first, default 500). */
  maxMedia?: number;
  /** Send `!<ms>` to every logged-in client this often (seed 001's server ping); 0 = never (default). */
  serverPingIntervalMs?: number;
  /**
   * The recipient of a relayed message acknowledges it by itself: delivered, then read, then
   * played for voice notes and video, this many ms apart (0 = never; default 150).
   */
  autoReceiptStepMs?: number;
  /** Largest upload accepted by `POST /upload` (default 16 MiB). */
  maxUploadBytes?: number;
  /** Called for notable events (refused logins, bad frames); default: nothing. */
  onEvent?: (event: string, detail: Record<string, unknown>) => void;
}

/** How far back a new login gets messages relayed to the previous client again. */
const REDELIVER_WINDOW_MS = 10_000;

/** A fault the control API can inject into a session's live connection. */
export type FaultKind =
  | 'drop_socket'
  | 'stop_pings'
  | 'bad_mac'
  | 'truncated_node'
  | 'garbage_text'
  | 'random_frame'
  | 'random_text'
  | 'mutated_frame';

/** How an ack is delivered: text `Msg`/`MsgInfo` or a binary `received` node. */
export type ReceiptVia = 'Msg' | 'MsgInfo' | 'received';

/** Receipt levels by name (WhatsApp's numbers). */
export const ACK_LEVELS = { error: -1, pending: 0, server: 1, delivered: 2, read: 3, played: 4 } as const;
export type AckName = keyof typeof ACK_LEVELS;

/** A session as the control API lists it. */
export interface SessionSummary {
  id: string;
  wid: string;
  pushname: string;
  clientId: string;
  connected: boolean;
  loggedOut: boolean;
  logins: number;
  relayed: number;
  /** Binary queries the client sent (contacts, chat, status, emoji, history…). */
  queries: number;
  /** The last presence the client announced (`available`…). */
  presence?: string;
}

/** Simulator-wide counters. */
export interface SimStats {
  connections: number;
  framesIn: number;
  framesOut: number;
  scans: number;
  takeovers: number;
  refusedLogins: number;
  replaced: number;
  /** Relays of a message id already relayed (a client retrying after a crash); not re-delivered. */
  duplicateRelays: number;
}

/** Thrown by control operations; `status` is the HTTP status the control API answers with. */
export class SimError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'SimError';
    this.status = status;
    this.code = code;
  }
}

/**
 * A faithful server side of the legacy WhatsApp Web protocol (seed 001) hosting many phones and
 * sessions on one port: websocket at any path, encrypted media at `GET /media/<id>`.
 */
export class WaSimServer implements LinkHost {
  readonly ttlMs: number;
  readonly challengeOnTakeover: boolean;
  readonly #opts: WaSimOptions;
  readonly #http: Server;
  readonly #wss: WebSocketServer;
  readonly #links = new Set<SimLink>();
  readonly #refs = new Map<string, { link: SimLink; expiresAt: number }>();
  readonly #phones = new Map<string, SimPhone>();
  readonly #sessions = new Map<string, SimSession>();
  readonly #bound = new Map<SimSession, SimLink>();
  readonly #media = new Map<string, Buffer>();
  readonly #stats: SimStats = {
    connections: 0,
    framesIn: 0,
    framesOut: 0,
    scans: 0,
    takeovers: 0,
    refusedLogins: 0,
    replaced: 0,
    duplicateRelays: 0,
  };
  #nextLink = 1;
  #nextSession = 1;
  #nextPhone = 1;
  #port = 0;
  #pingTimer: NodeJS.Timeout | undefined;

  constructor(options: WaSimOptions = {}) {
    this.#opts = options;
    this.ttlMs = options.ttlMs ?? 20_000;
    this.challengeOnTakeover = options.challengeOnTakeover ?? true;
    this.#http = createServer((req, res) => this.#onHttp(req, res));
    this.#wss = new WebSocketServer({ server: this.#http, maxPayload: 16 * 1024 * 1024 });
    this.#wss.on('connection', (ws) => {
      const link = new SimLink(ws, `link-${this.#nextLink++}`, this);
      this.#stats.connections++;
      this.#links.add(link);
      ws.on('close', () => this.#onLinkClosed(link));
      ws.on('error', (err) => this.note('socket_error', { link: link.id, error: err.message }));
    });
  }

  /** Starts listening; resolves with the bound port. */
  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(this.#opts.port ?? 0, this.#opts.host ?? '127.0.0.1', () => resolve());
    });
    this.#port = (this.#http.address() as AddressInfo).port;
    const every = this.#opts.serverPingIntervalMs ?? 0;
    if (every > 0) {
      this.#pingTimer = setInterval(() => {
        for (const link of this.#links)
          if (link.phase === 'logged_in') link.sendRawFrame(encodePong(Date.now()), false);
      }, every);
    }
    return this.#port;
  }

  /** The websocket URL clients connect to. */
  get url(): string {
    return `ws://${this.#opts.host ?? '127.0.0.1'}:${this.#port}/ws`;
  }

  /** The bound port (0 before `listen`). */
  get port(): number {
    return this.#port;
  }

  /** Closes every socket and the listener. */
  async close(): Promise<void> {
    clearInterval(this.#pingTimer);
    for (const link of this.#links) link.terminate();
    this.#wss.close();
    await new Promise<void>((resolve) => {
      this.#http.close(() => resolve());
      this.#http.closeAllConnections();
    });
  }

  /** A snapshot of the counters. */
  stats(): SimStats {
    return { ...this.#stats };
  }

  // ---- control operations ----------------------------------------------------------------

  /**
   * The phone scans a QR (`ref,publicKey,clientId`): a new session with fresh keys and tokens;
   * the client gets `s1` Conn with the secret sealed to its public key.
   */
  scan(qr: string, phone: { wid?: string; pushname?: string; platform?: string } = {}): SessionSummary {
    const parts = qr.split(',');
    if (parts.length !== 3) throw new SimError(400, 'bad_qr', 'a QR is ref,publicKey,clientId');
    const [ref, pubB64, clientId] = parts as [string, string, string];
    const entry = this.#refs.get(ref);
    // A ref outlives its announced ttl a little (the phone may scan as it expires), not forever.
    const link = entry && entry.expiresAt > Date.now() ? entry.link : undefined;
    if (link?.phase !== 'awaiting_scan')
      throw new SimError(404, 'unknown_ref', 'no client shows this ref (expired or rotated?)');
    if (link.clientId !== clientId)
      throw new SimError(409, 'client_mismatch', 'the QR clientId is not the one that asked for this ref');
    const publicKey = Buffer.from(pubB64, 'base64');
    if (publicKey.length !== 32) throw new SimError(400, 'bad_qr', 'the QR public key must be 32 bytes');
    const simPhone = this.#phone(phone.wid, phone.pushname, phone.platform);
    const keys = randomSessionKeys();
    const session: SimSession = {
      id: `s${this.#nextSession++}`,
      phone: simPhone,
      clientId,
      clientToken: newToken(),
      serverToken: newToken('1@'),
      browserToken: newToken(),
      keys,
      loggedOut: false,
      relayed: [],
      pending: [],
      recent: [],
      queries: 0,
      createdAt: Date.now(),
      logins: 1,
    };
    this.#sessions.set(session.id, session);
    this.#bound.set(session, link);
    this.#stats.scans++;
    link.pair(session, createConnSecret(publicKey, keys));
    return this.#summary(session);
  }

  /** Every session, live or not. */
  listSessions(): SessionSummary[] {
    return [...this.#sessions.values()].map((s) => this.#summary(s));
  }

  /** Refs currently shown by clients awaiting a scan. */
  pendingRefs(): { ref: string; clientId: string | undefined; link: string }[] {
    return [...this.#refs.entries()].map(([ref, { link }]) => ({
      ref,
      clientId: link.clientId,
      link: link.id,
    }));
  }

  /** What the client of `sessionId` relayed, oldest first. */
  relayed(sessionId: string): WebMessageInfo[] {
    return [...this.#session(sessionId).relayed];
  }

  /** A contact sends a scripted message; delivered live (`add:relay`) and kept for `add:last`. */
  sendMessage(
    sessionId: string,
    spec: ScriptedMessage,
  ): { id: string; remoteJid: string; mediaUrl?: string; mediaKey?: string; fileSha256?: string } {
    const session = this.#session(sessionId);
    const built = buildScriptedMessage(spec, (mediaId) => `${this.#publicUrl()}/media/${mediaId}`);
    const mediaId = mediaIdOf(built);
    if (built.media && mediaId) {
      this.#keepMedia(mediaId, built.media.file.file);
    }
    const bytes = encodeWebMessageInfo(built.info);
    this.#store(session.phone, built.info, bytes);
    const link = this.#bound.get(session);
    if (link && link.phase === 'logged_in') {
      link.sendNode(link.nextTag(), ['action', { add: 'relay' }, [['message', {}, bytes]]]);
      pushBounded(session.recent, { bytes, at: Date.now() }, this.#opts.historyPerChat ?? 200);
    } else {
      pushBounded(session.pending, bytes, this.#opts.historyPerChat ?? 200);
    }
    const out: { id: string; remoteJid: string; mediaUrl?: string; mediaKey?: string; fileSha256?: string } =
      {
        id: built.info.key.id!,
        remoteJid: toChatJid(built.info.key.remoteJid!),
      };
    if (built.media && mediaId) {
      out.mediaUrl = `${this.#publicUrl()}/media/${mediaId}`;
      out.mediaKey = built.media.mediaKey.toString('base64');
      out.fileSha256 = built.media.file.fileSha256.toString('base64');
    }
    return out;
  }

  /** Sends a delivery/read receipt for `ids` in chat `remoteJid`, as text or as a binary node. */
  sendReceipt(
    sessionId: string,
    spec: { ids: string[]; remoteJid: string; ack: AckName; via: ReceiptVia; participant?: string },
  ): void {
    const session = this.#session(sessionId);
    const link = this.#liveLink(session);
    const t = Math.floor(Date.now() / 1000);
    if (spec.via === 'received') {
      const type = { error: 'error', delivered: 'message', read: 'read', played: 'played' }[
        spec.ack as string
      ];
      if (!type) throw new SimError(400, 'bad_ack', `a received node cannot carry ack ${spec.ack}`);
      const children: BinaryNode[] = spec.ids.map((id) => {
        const attrs: Record<string, string> = {
          type,
          jid: toWireJid(spec.remoteJid),
          index: id,
          owner: 'true',
          t: String(t),
        };
        if (spec.participant) attrs.participant = toWireJid(spec.participant);
        return ['received', attrs, null];
      });
      link.sendNode(link.nextTag(), ['action', { add: 'relay' }, children]);
      return;
    }
    const body: Record<string, unknown> = {
      cmd: spec.ids.length === 1 ? 'ack' : 'acks',
      id: spec.ids.length === 1 ? spec.ids[0] : spec.ids,
      ack: ACK_LEVELS[spec.ack],
      from: toChatJid(spec.remoteJid),
      to: toChatJid(session.phone.wid),
      t,
    };
    if (spec.participant) body.participant = toChatJid(spec.participant);
    link.sendText(link.nextTag(), [spec.via, body]);
  }

  /** Injects a fault into the live connection of a session. */
  injectFault(sessionId: string, fault: FaultKind): void {
    const session = this.#session(sessionId);
    const link = this.#liveLink(session);
    switch (fault) {
      case 'drop_socket':
        link.terminate();
        return;
      case 'stop_pings':
        link.silent = true;
        return;
      case 'bad_mac': {
        const payload = encryptFramePayload(encodeBinaryNode(['action', { add: 'relay' }, []]), session.keys);
        payload[0]! ^= 0xff;
        link.sendRawFrame(encodeBinaryFrame(link.nextTag(), payload), true);
        return;
      }
      case 'truncated_node': {
        const node = encodeBinaryNode(['action', { add: 'relay' }, [['message', {}, new Uint8Array(40)]]]);
        const payload = encryptFramePayload(node.subarray(0, node.length - 7), session.keys);
        link.sendRawFrame(encodeBinaryFrame(link.nextTag(), payload), true);
        return;
      }
      case 'garbage_text':
        link.sendRawFrame(`${link.nextTag()},{"this is": not json`, false);
        return;
      case 'random_frame':
        link.sendRawFrame(encodeBinaryFrame(link.nextTag(), randomBytes(1 + randomInt(512))), true);
        return;
      case 'random_text':
        link.sendRawFrame(`${link.nextTag()},${randomBytes(1 + randomInt(256)).toString('latin1')}`, false);
        return;
      case 'mutated_frame': {
        // A well-formed relay whose plaintext is then damaged: the MAC is valid, so the client's
        // binary decoder and protobuf parser face the garbage.
        const node = encodeBinaryNode(['action', { add: 'relay' }, [['message', {}, randomBytes(60)]]]);
        for (let i = 0; i < 1 + randomInt(4); i++) node[randomInt(node.length)] = randomInt(256);
        link.sendRawFrame(encodeBinaryFrame(link.nextTag(), encryptFramePayload(node, session.keys)), true);
        return;
      }
    }
  }

  /** The phone logs the web session out: its tokens die and its socket closes. */
  logoutSession(sessionId: string): void {
    const session = this.#session(sessionId);
    this.logout(session);
    this.#bound.get(session)?.close();
  }

  // ---- LinkHost --------------------------------------------------------------------------

  registerRef(link: SimLink): string {
    const ref = `1@${randomBytes(24).toString('base64')}`;
    this.#refs.set(ref, { link, expiresAt: Date.now() + Math.ceil(this.ttlMs * 1.5) });
    return ref;
  }

  dropRef(ref: string): void {
    this.#refs.delete(ref);
  }

  sessionForLogin(clientToken: string, serverToken: string, clientId: string): SimSession | null {
    for (const session of this.#sessions.values()) {
      if (session.clientId !== clientId) continue;
      if (!session.loggedOut && session.clientToken === clientToken && session.serverToken === serverToken)
        return session;
    }
    return null;
  }

  bindSession(link: SimLink, session: SimSession): void {
    const previous = this.#bound.get(session);
    if (previous && previous !== link && previous.phase !== 'closed') {
      this.#stats.replaced++;
      previous.replace();
    }
    // Tokens rotate on every login: the ones just presented are stale from now on.
    session.clientToken = newToken();
    session.serverToken = newToken('1@');
    session.logins++;
    this.#stats.takeovers++;
    this.#bound.set(session, link);
  }

  preemptNodes(session: SimSession): BinaryNode[] {
    const phone = session.phone;
    const chats = [...phone.chats.values()];
    const nodes: BinaryNode[] = [
      [
        'response',
        { type: 'contacts' },
        chats.map(
          (c) =>
            ['user', { jid: toWireJid(c.jid), name: c.name ?? c.jid.split('@')[0]! }, null] as BinaryNode,
        ),
      ],
      ['response', { type: 'chat' }, chats.map((c) => chatNode(c))],
    ];
    // Offline messages, and those relayed just before the previous client went away, go out as
    // a relay before the `add:last` window, so a client that keeps them sees them in send order.
    const since = Date.now() - REDELIVER_WINDOW_MS;
    const redeliver = [
      ...session.recent.filter((r) => r.at >= since).map((r) => r.bytes),
      ...session.pending,
    ];
    session.pending = [];
    session.recent = [];
    if (redeliver.length > 0) {
      nodes.push(['action', { add: 'relay' }, redeliver.map((b) => ['message', {}, b] as BinaryNode)]);
    }
    const last = this.#opts.lastPerChat ?? 20;
    const messages = chats.flatMap((c) => c.messages.slice(-last));
    if (messages.length > 0) {
      nodes.push(['action', { add: 'last' }, messages.map((m) => ['message', {}, m.bytes] as BinaryNode)]);
    }
    const frequent = chats
      .slice(0, 4)
      .flatMap((c) =>
        ['message', 'image', 'video'].map((kind) => [kind, { jid: toWireJid(c.jid) }, null] as BinaryNode),
      );
    nodes.push(['action', {}, [['contacts', { type: 'frequent' }, frequent]]]);
    nodes.push(['action', {}, [['battery', { value: '30', live: 'false', powersave: 'false' }, null]]]);
    return nodes;
  }

  answerQuery(session: SimSession, attrs: Record<string, string>): BinaryNode | null {
    session.queries++;
    switch (attrs.type) {
      case 'contacts':
      case 'chat':
        // Already pushed as preempt frames right after the login.
        return ['response', { type: attrs.type, duplicate: 'true' }, null];
      case 'status':
        return ['response', { type: 'status', checksum: randomBytes(8).toString('base64') }, null];
      case 'emoji':
        return [
          'response',
          { type: 'emoji' },
          [
            ['item', { code: '\u{1F602}', value: '1.0' }, null],
            ['item', { code: '\u{1F605}', value: '1.9' }, null],
          ],
        ];
      case 'message':
        return this.#history(session, attrs);
      default:
        return null;
    }
  }

  recordPresence(session: SimSession, presence: string): void {
    session.presence = presence;
  }

  recordRelayed(session: SimSession, bytes: Uint8Array): void {
    const info = decodeWebMessageInfo(bytes);
    const id = info.key?.id;
    // WhatsApp keys messages by id: a client that relays the same id again (a retry after a
    // crash) does not make the recipient see it twice.
    if (id && session.relayed.some((r) => r.key?.id === id)) {
      this.#stats.duplicateRelays++;
      return;
    }
    pushBounded(session.relayed, info, 1000);
    this.#store(session.phone, info, bytes);
    if (id && info.key?.remoteJid) this.#autoReceipts(session, id, info);
  }

  #autoReceipts(session: SimSession, id: string, info: WebMessageInfo): void {
    const step = this.#opts.autoReceiptStepMs ?? 150;
    if (step <= 0) return;
    const m = info.message;
    const played = Boolean(m?.audioMessage?.ptt || m?.videoMessage);
    const levels: AckName[] = played ? ['delivered', 'read', 'played'] : ['delivered', 'read'];
    const remoteJid = toChatJid(info.key!.remoteJid!);
    levels.forEach((ack, i) => {
      const timer = setTimeout(
        () => {
          if (this.#bound.get(session)?.phase !== 'logged_in') return;
          this.sendReceipt(session.id, { ids: [id], remoteJid, ack, via: 'Msg' });
        },
        step * (i + 1),
      );
      timer.unref();
    });
  }

  logout(session: SimSession): void {
    session.loggedOut = true;
  }

  countFrame(direction: 'in' | 'out'): void {
    if (direction === 'in') this.#stats.framesIn++;
    else this.#stats.framesOut++;
  }

  note(event: string, detail: Record<string, unknown>): void {
    if (event === 'login_refused') this.#stats.refusedLogins++;
    this.#opts.onEvent?.(event, detail);
  }

  // ---- internals -------------------------------------------------------------------------

  #history(session: SimSession, attrs: Record<string, string>): BinaryNode {
    const chat = attrs.jid ? session.phone.chats.get(toChatJid(attrs.jid)) : undefined;
    const count = Math.max(0, Math.min(Number(attrs.count ?? 50) || 50, 500));
    let messages = chat?.messages ?? [];
    if (attrs.index) {
      const at = messages.findIndex((m) => m.info.key.id === attrs.index);
      messages = at >= 0 ? messages.slice(0, at) : [];
    }
    const page = messages.slice(-count);
    const isLast = page.length === messages.length;
    return [
      'action',
      { add: 'before', last: isLast ? 'true' : 'false' },
      page.map((m) => ['message', {}, m.bytes] as BinaryNode),
    ];
  }

  #store(phone: SimPhone, info: WebMessageInfo, bytes: Uint8Array): void {
    const jid = toChatJid(info.key.remoteJid ?? '');
    let chat = phone.chats.get(jid);
    if (!chat) {
      chat = { jid, messages: [] };
      phone.chats.set(jid, chat);
    }
    pushBounded(chat.messages, { info, bytes }, this.#opts.historyPerChat ?? 200);
  }

  #phone(wid: string | undefined, pushname: string | undefined, platform: string | undefined): SimPhone {
    const id = toChatJid(wid ?? `336${String(10_000_000 + this.#nextPhone++).padStart(8, '0')}@c.us`);
    let phone = this.#phones.get(id);
    if (!phone) {
      phone = { wid: id, pushname: pushname ?? 'wa-sim', platform: platform ?? 'android', chats: new Map() };
      this.#phones.set(id, phone);
    } else if (pushname) {
      phone.pushname = pushname;
    }
    return phone;
  }

  #session(id: string): SimSession {
    const session = this.#sessions.get(id);
    if (!session) throw new SimError(404, 'unknown_session', `no session ${id}`);
    return session;
  }

  #liveLink(session: SimSession): SimLink {
    const link = this.#bound.get(session);
    if (link?.phase !== 'logged_in')
      throw new SimError(409, 'not_connected', `session ${session.id} has no live connection`);
    return link;
  }

  #summary(session: SimSession): SessionSummary {
    const link = this.#bound.get(session);
    return {
      id: session.id,
      wid: session.phone.wid,
      pushname: session.phone.pushname,
      clientId: session.clientId,
      connected: link?.phase === 'logged_in',
      loggedOut: session.loggedOut,
      logins: session.logins,
      relayed: session.relayed.length,
      queries: session.queries,
      ...(session.presence ? { presence: session.presence } : {}),
    };
  }

  #publicUrl(): string {
    return this.#opts.publicUrl ?? `http://${this.#opts.host ?? '127.0.0.1'}:${this.#port}`;
  }

  #onLinkClosed(link: SimLink): void {
    link.phase = 'closed';
    this.#links.delete(link);
    if (link.ref) this.#refs.delete(link.ref);
  }

  // Every simulator store is bounded: the oldest media file goes first.
  #keepMedia(id: string, file: Buffer): void {
    this.#media.set(id, file);
    const max = this.#opts.maxMedia ?? 500;
    for (const key of this.#media.keys()) {
      if (this.#media.size <= max) break;
      this.#media.delete(key);
    }
  }

  // WhatsApp's media upload, simplified: the client posts the encrypted file (`enc ‖ mac10`) and
  // gets the URL the recipient downloads it from.
  #onUpload(req: IncomingMessage, res: ServerResponse): void {
    const max = this.#opts.maxUploadBytes ?? 16 * 1024 * 1024;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        res.writeHead(413, { 'content-type': 'application/json' }).end('{"error":"too_large"}\n');
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > max) return;
      const id = randomBytes(12).toString('hex');
      this.#keepMedia(id, Buffer.concat(chunks));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ url: `${this.#publicUrl()}/media/${id}` })}\n`);
    });
  }

  #onHttp(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'POST' && path === '/upload') {
      this.#onUpload(req, res);
      return;
    }
    const match = /^\/media\/([A-Za-z0-9-]{1,100})$/.exec(path);
    const file = match && req.method === 'GET' ? this.#media.get(match[1]!) : undefined;
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.length });
    res.end(file);
  }
}

function chatNode(chat: SimChat): BinaryNode {
  const last = chat.messages.at(-1);
  return [
    'chat',
    {
      jid: toWireJid(chat.jid),
      count: '0',
      t: String(last?.info.messageTimestamp ?? 0),
      mute: '0',
      modify_tag: '111421',
      spam: 'false',
    },
    null,
  ];
}
