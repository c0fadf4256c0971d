import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';
import { decodeBinaryNode } from './binary-decoder.ts';
import { encodeBinaryNode } from './binary-encoder.ts';
import type { BinaryNode } from './binary-tags.ts';
import type {
  ConnectionState,
  Connector,
  ConnectorEvents,
  MessageEvent,
  QrEvent,
  ReadyEvent,
  StateChange,
} from './connector.ts';
import { qrString, type WaCredentials } from './credentials.ts';
import { generateKeyPair, type KeyPair } from './crypto-primitives.ts';
import {
  BadMacError,
  CodecError,
  ConnectionClosedError,
  CryptoError,
  ProtocolError,
  WaWebError,
} from './errors.ts';
import { encodeBinaryFrame, encodeTextFrame, type Frame, KEEPALIVE_PING, parseFrame } from './frame.ts';
import { decryptFramePayload, encryptClientPayload } from './frame-crypto.ts';
import { type ChatInfo, type ContactInfo, interpretNode } from './inbound.ts';
import { toChatJid, toWireJid } from './jid.ts';
import { deriveLoginKeys, type SessionKeys, signChallenge } from './login-crypto.ts';
import { createTagGenerator, newMessageId } from './message-tag.ts';
import { PendingRequests } from './pending-requests.ts';
import {
  BlocklistSchema,
  CmdSchema,
  type Conn,
  ConnSchema,
  InitResponseSchema,
  MsgAckSchema,
  PropsSchema,
  StatusResponseSchema,
  StreamSchema,
} from './protocol-messages.ts';
import { type Receipt, receiptFromMsg } from './receipts.ts';
import { StartSignal } from './start-signal.ts';
import { TypedEmitter } from './typed-emitter.ts';
import {
  decodeWebMessageInfo,
  encodeWebMessageInfo,
  type WebMessage,
  type WebMessageInfo,
} from './web-message.ts';
import { DEFAULT_BROWSER, DEFAULT_WA_VERSION, WaFlag, WaMetric } from './wire-constants.ts';

/** Tuning and identity of one client; every timeout is configurable so tests can run fast. */
export interface WaWebClientOptions {
  /** Default `wss://web.whatsapp.com/ws`. */
  url?: string;
  /** Default `https://web.whatsapp.com`. */
  origin?: string;
  /** Stored credentials: restore with `takeover` instead of showing a QR. */
  credentials?: WaCredentials | null;
  version?: readonly [number, number, number];
  browser?: readonly [string, string, string];
  requestTimeoutMs?: number;
  /** How often the client sends `?,,` (default 20 s). */
  keepaliveIntervalMs?: number;
  /** No frame for this long means the connection is dead (default 25 s). */
  deadAfterMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** Reconnect attempts in a row before giving up (state `closed`). */
  maxReconnectAttempts?: number;
  /** QR refs per connection before giving up (state `closed`, reason `qr_expired`). */
  maxQrRefs?: number;
  /** After the server refuses stored credentials: show a new QR (default) or stop. */
  onLoggedOut?: 'qr' | 'stop';
  /** Send the post-login queries and presence of WhatsApp Web (default true). */
  postConnectQueries?: boolean;
}

/** Counters a worker exports as metrics; they only grow. */
export interface WaWebCounters {
  framesIn: number;
  framesOut: number;
  badMac: number;
  decryptErrors: number;
  decodeErrors: number;
  droppedFrames: number;
  reconnects: number;
  deadConnections: number;
  pingsSent: number;
  pongsReceived: number;
  qrRefs: number;
  loginFailures: number;
}

/** A non-fatal problem: logged and counted by the owner, never thrown at it. */
export interface WarningEvent {
  code: string;
  message: string;
}

/** A legacy login: its rotated credentials always come with it. */
export type WaWebReadyEvent = ReadyEvent & { credentials: WaCredentials };

/** Everything WaWebClient emits: the connector events plus protocol details. */
export interface WaWebClientEvents extends ConnectorEvents {
  ready: [WaWebReadyEvent];
  chats: [ChatInfo[]];
  contacts: [ContactInfo[]];
  battery: [{ value: number; live: boolean; powersave: boolean }];
  /** `["Stream","update",<needsUpdate>,<version>]`. */
  stream: [{ update: boolean; version: string }];
  /** `["Blocklist",{blocklist}]`: the blocked jids. */
  blocklist: [string[]];
  /** `["Props",{…}]`: the numeric client properties. */
  props: [Record<string, unknown>];
  warning: [WarningEvent];
}

/** The answer to a relayed message. */
export interface SendResult {
  id: string;
  status: number;
  t?: number;
}

type Phase = 'init' | 'awaiting_scan' | 'restoring' | 'connected';

/** Per-socket state: dropped wholesale when the socket goes. */
interface Link {
  ws: WebSocket;
  phase: Phase;
  nextTag: () => string;
  keyPair?: KeyPair;
  ref?: string;
  refRotations: number;
  refTimer?: NodeJS.Timeout;
  keepaliveTimer?: NodeJS.Timeout;
  deadTimer?: NodeJS.Timeout;
  awaitingPong: boolean;
  epoch: number;
}

const DEFAULTS = {
  url: 'wss://web.whatsapp.com/ws',
  origin: 'https://web.whatsapp.com',
  requestTimeoutMs: 10_000,
  keepaliveIntervalMs: 20_000,
  deadAfterMs: 25_000,
  maxReconnectAttempts: 1000,
  maxQrRefs: 20,
};

/**
 * A WhatsApp Web (legacy, seed 001) connection over `ws`: QR login or takeover restore,
 * encrypted binary frames, keepalive, reconnect with backoff. Emits typed events; never throws
 * at its owner for something the network did.
 */
export class WaWebClient implements Connector {
  readonly events = new TypedEmitter<WaWebClientEvents>();
  readonly #opts: Required<Omit<WaWebClientOptions, 'credentials' | 'backoff'>> & { backoff: BackoffOptions };
  readonly #pending = new PendingRequests();
  readonly #counters: WaWebCounters = {
    framesIn: 0,
    framesOut: 0,
    badMac: 0,
    decryptErrors: 0,
    decodeErrors: 0,
    droppedFrames: 0,
    reconnects: 0,
    deadConnections: 0,
    pingsSent: 0,
    pongsReceived: 0,
    qrRefs: 0,
    loginFailures: 0,
  };
  #state: ConnectionState = 'closed';
  #credentials: WaCredentials | null;
  #keys: SessionKeys | null = null;
  #clientId: string;
  #wid: string | undefined;
  #link: Link | null = null;
  #attempt = 0;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #stopped = true;
  readonly #started = new StartSignal();

  constructor(options: WaWebClientOptions = {}) {
    this.#opts = {
      url: options.url ?? DEFAULTS.url,
      origin: options.origin ?? DEFAULTS.origin,
      version: options.version ?? DEFAULT_WA_VERSION,
      browser: options.browser ?? DEFAULT_BROWSER,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? DEFAULTS.keepaliveIntervalMs,
      deadAfterMs: options.deadAfterMs ?? DEFAULTS.deadAfterMs,
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
      maxReconnectAttempts: options.maxReconnectAttempts ?? DEFAULTS.maxReconnectAttempts,
      maxQrRefs: options.maxQrRefs ?? DEFAULTS.maxQrRefs,
      onLoggedOut: options.onLoggedOut ?? 'qr',
      postConnectQueries: options.postConnectQueries ?? true,
    };
    this.#credentials = options.credentials ?? null;
    this.#clientId = this.#credentials?.clientId ?? randomBytes(16).toString('base64');
    if (this.#credentials) this.#keys = keysOf(this.#credentials);
    this.#wid = this.#credentials?.wid;
  }

  /** The current state. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** The credentials to persist (null before the first login or after a logout). */
  get credentials(): WaCredentials | null {
    return this.#credentials;
  }

  /** A snapshot of the counters. */
  counters(): WaWebCounters {
    return { ...this.#counters };
  }

  /** Starts the connection; resolves at the first QR or login, rejects if it ends before. */
  connect(): Promise<void> {
    if (!this.#stopped)
      return Promise.reject(new WaWebError('already_connecting', 'connect() was already called'));
    this.#stopped = false;
    this.#attempt = 0;
    const started = this.#started.begin();
    this.#open();
    return started;
  }

  /** Stops for good: no reconnect, timers cleared, socket closed. */
  async close(): Promise<void> {
    this.#shutdown('closed', 'closed by owner');
  }

  /** Logs the session out on the server (`goodbye`), forgets the credentials and stops. */
  async logout(): Promise<void> {
    const link = this.#link;
    if (link && link.ws.readyState === WebSocket.OPEN)
      this.#sendText(link, 'goodbye', ['admin', 'Conn', 'disconnect']);
    this.#credentials = null;
    this.#keys = null;
    this.#shutdown('logged_out', 'logged out by owner');
  }

  /** Relays a message to `jid` (`@c.us` or wire form) and waits for the server's status. */
  async sendMessage(jid: string, message: WebMessage, opts: { id?: string } = {}): Promise<SendResult> {
    const link = this.#connectedLink();
    // A caller-chosen id makes a retried send the same message to WhatsApp (it keys by id).
    const id = opts.id ?? newMessageId(randomBytes);
    const info: WebMessageInfo = {
      key: { remoteJid: toWireJid(jid), fromMe: true, id },
      message,
      messageTimestamp: Math.floor(Date.now() / 1000),
      status: 1,
    };
    const node: BinaryNode = [
      'action',
      { type: 'relay', epoch: String(link.epoch++) },
      [['message', {}, encodeWebMessageInfo(info)]],
    ];
    const status = StatusResponseSchema.safeParse(
      await this.#exchange(link, id, node, WaMetric.message, WaFlag.ignore),
    );
    if (!status.success) throw new ProtocolError(`unexpected answer to relayed message ${id}`);
    const result: SendResult = { id, status: status.data.status };
    if (status.data.t !== undefined) result.t = status.data.t;
    return result;
  }

  /** Sends a text message (`conversation`). */
  sendText(jid: string, text: string): Promise<SendResult> {
    return this.sendMessage(jid, { conversation: text });
  }

  /**
   * The seed's history request: `query {type:message, kind:before, jid, count, index, owner}`.
   * Resolves with the decoded messages, oldest first; they are not emitted as `message` events.
   */
  async loadMessagesBefore(opts: {
    jid: string;
    count: number;
    index?: string;
    owner?: boolean;
  }): Promise<WebMessageInfo[]> {
    const link = this.#connectedLink();
    const attrs: Record<string, string> = {
      type: 'message',
      kind: 'before',
      jid: toWireJid(opts.jid),
      count: String(opts.count),
      epoch: String(link.epoch++),
    };
    if (opts.index !== undefined) attrs.index = opts.index;
    if (opts.owner !== undefined) attrs.owner = String(opts.owner);
    const node = await this.#exchange(
      link,
      link.nextTag(),
      ['query', attrs, null],
      WaMetric.queryMessages,
      WaFlag.ignore,
    );
    if (!isNode(node)) throw new ProtocolError('history answer is not a binary node');
    const out: WebMessageInfo[] = [];
    for (const item of interpretNode(node)) {
      if (item.type === 'message') {
        const decoded = this.#decodeMessage(item.bytes);
        if (decoded) out.push(decoded);
      }
    }
    return out;
  }

  /** Tells the server this client is online (`action set presence available`). */
  async setPresenceAvailable(): Promise<number> {
    const link = this.#connectedLink();
    const node: BinaryNode = [
      'action',
      { type: 'set', epoch: String(link.epoch++) },
      [['presence', { type: 'available' }, null]],
    ];
    const answer = await this.#exchange(
      link,
      link.nextTag(),
      node,
      WaMetric.presence,
      WaFlag.ignore | WaFlag.available,
    );
    const status = StatusResponseSchema.safeParse(answer);
    if (!status.success) throw new ProtocolError('unexpected answer to presence');
    return status.data.status;
  }

  // ---- connection lifecycle -------------------------------------------------------------

  #open(): void {
    this.#setState('connecting');
    const ws = new WebSocket(this.#opts.url, {
      origin: this.#opts.origin,
      handshakeTimeout: this.#opts.requestTimeoutMs,
    });
    const link: Link = {
      ws,
      phase: 'init',
      nextTag: createTagGenerator(),
      refRotations: 0,
      awaitingPong: false,
      epoch: 1,
    };
    this.#link = link;
    ws.on('open', () => this.#onOpen(link));
    ws.on('message', (data, isBinary) => this.#onMessage(link, data as Buffer, isBinary));
    ws.on('close', (code, reason) =>
      this.#onClose(link, `socket closed (${code}${reason.length ? ` ${reason}` : ''})`),
    );
    ws.on('error', (err) => this.#warn('socket_error', err.message));
  }

  #onOpen(link: Link): void {
    this.#armDeadTimer(link);
    link.keepaliveTimer = setInterval(() => this.#sendPing(link), this.#opts.keepaliveIntervalMs);
    const tag = link.nextTag();
    const answer = this.#request(tag);
    this.#sendText(link, tag, [
      'admin',
      'init',
      this.#opts.version,
      this.#opts.browser,
      this.#clientId,
      true,
    ]);
    answer.then(
      (json) => this.#onInit(link, json),
      (err: Error) => this.#fail(link, 'init_failed', err.message),
    );
  }

  #onInit(link: Link, json: unknown): void {
    if (link !== this.#link) return;
    const init = InitResponseSchema.safeParse(json);
    if (!init.success || init.data.status !== 200 || !init.data.ref) {
      this.#fail(link, 'init_refused', `admin init answered ${JSON.stringify(json)?.slice(0, 200)}`);
      return;
    }
    link.ref = init.data.ref;
    const ttl = clampTtl(init.data.ttl);
    if (this.#credentials) this.#restore(link);
    else this.#showQr(link, init.data.ref, ttl);
  }

  #restore(link: Link): void {
    const creds = this.#credentials!;
    link.phase = 'restoring';
    const tag = link.nextTag();
    const answer = this.#request(tag);
    this.#sendText(link, tag, [
      'admin',
      'login',
      creds.clientToken,
      creds.serverToken,
      creds.clientId,
      'takeover',
    ]);
    answer.then(
      (json) => this.#onLoginStatus(link, json),
      (err: Error) => this.#fail(link, 'login_failed', err.message),
    );
  }

  #onLoginStatus(link: Link, json: unknown): void {
    if (link !== this.#link) return;
    const status = StatusResponseSchema.safeParse(json);
    if (!status.success) {
      this.#fail(link, 'login_failed', 'login answer has no status');
      return;
    }
    const code = status.data.status;
    if (code === 200) return;
    this.#counters.loginFailures++;
    if (code === 401 || code === 419) {
      // The phone unpaired us or the tokens expired: the stored credentials are worthless.
      this.#credentials = null;
      this.#keys = null;
      this.#setState('logged_out', { reason: `login refused with ${code}` });
      if (this.#opts.onLoggedOut === 'stop' || !link.ref) {
        this.#shutdown('logged_out', `login refused with ${code}`);
        return;
      }
      this.#clientId = randomBytes(16).toString('base64');
      // The server keyed this socket's ref to the old clientId: start over on a fresh socket.
      this.#dropLink(link);
      this.#attempt = 0;
      this.#open();
      return;
    }
    if (code === 409) {
      this.#shutdown('replaced', 'login refused with 409: logged in elsewhere');
      return;
    }
    this.#fail(link, 'login_failed', `login refused with ${code}`);
  }

  #showQr(link: Link, ref: string, ttlMs: number): void {
    link.phase = 'awaiting_scan';
    link.keyPair ??= generateKeyPair();
    link.ref = ref;
    const qr = qrString(ref, link.keyPair.publicKey, this.#clientId);
    this.#counters.qrRefs++;
    this.#attempt = 0;
    this.#setState('awaiting_scan', { qr });
    const event: QrEvent = { qr, ref, ttlMs, rotation: link.refRotations };
    this.events.emit('qr', event);
    this.#started.resolve();
    clearTimeout(link.refTimer);
    link.refTimer = setTimeout(() => this.#rotateRef(link), ttlMs);
  }

  #rotateRef(link: Link): void {
    if (link !== this.#link || link.phase !== 'awaiting_scan') return;
    if (link.refRotations + 1 >= this.#opts.maxQrRefs) {
      this.#shutdown('closed', 'qr_expired');
      return;
    }
    link.refRotations++;
    const tag = link.nextTag();
    const answer = this.#request(tag);
    this.#sendText(link, tag, ['admin', 'Conn', 'reref']);
    answer.then(
      (json) => {
        if (link !== this.#link || link.phase !== 'awaiting_scan') return;
        const res = InitResponseSchema.safeParse(json);
        if (!res.success || res.data.status !== 200 || !res.data.ref) {
          this.#fail(link, 'reref_refused', `reref answered ${JSON.stringify(json)?.slice(0, 200)}`);
          return;
        }
        this.#showQr(link, res.data.ref, clampTtl(res.data.ttl));
      },
      (err: Error) => this.#fail(link, 'reref_failed', err.message),
    );
  }

  #onConn(link: Link, conn: Conn): void {
    if (conn.secret !== undefined) {
      if (link.phase !== 'awaiting_scan' || !link.keyPair) {
        this.#warn('unexpected_conn', 'Conn with a secret outside of a QR login');
        return;
      }
      try {
        const derived = deriveLoginKeys(Buffer.from(conn.secret, 'base64'), link.keyPair.privateKey);
        this.#keys = { encKey: derived.encKey, macKey: derived.macKey };
      } catch (err) {
        if (!(err instanceof CryptoError)) throw err;
        this.#counters.loginFailures++;
        this.#fail(link, 'bad_secret', `Conn secret refused: ${err.message}`);
        return;
      }
    } else if (link.phase === 'connected') {
      // A Conn on a live session updates details (battery, pushname): nothing to redo.
      return;
    } else if (link.phase !== 'restoring' || !this.#keys) {
      this.#warn('unexpected_conn', `Conn without a secret while ${link.phase}`);
      return;
    }
    const keys = this.#keys!;
    this.#wid = conn.wid;
    this.#credentials = {
      clientId: this.#clientId,
      clientToken: conn.clientToken,
      serverToken: conn.serverToken,
      encKey: keys.encKey.toString('base64'),
      macKey: keys.macKey.toString('base64'),
      wid: conn.wid,
    };
    const restored = link.phase === 'restoring';
    link.phase = 'connected';
    clearTimeout(link.refTimer);
    this.#attempt = 0;
    const ready: WaWebReadyEvent = { credentials: { ...this.#credentials }, wid: conn.wid, restored };
    if (conn.pushname !== undefined) ready.pushname = conn.pushname;
    if (conn.platform !== undefined) ready.platform = conn.platform;
    this.#setState('connected');
    this.events.emit('ready', ready);
    this.#started.resolve();
    if (this.#opts.postConnectQueries) this.#postConnect(link);
  }

  /** The queries WhatsApp Web sends after login (seed 001's request table), answers not awaited. */
  #postConnect(link: Link): void {
    const queries: [string, number][] = [
      ['contacts', WaMetric.queryContacts],
      ['chat', WaMetric.queryChat],
      ['status', WaMetric.queryStatus],
      ['emoji', WaMetric.queryEmoji],
    ];
    for (const [type, metric] of queries) {
      const tag = link.nextTag();
      this.#request(tag).then(
        (node) => {
          if (isNode(node)) this.#handleNode(node);
        },
        (err: Error) => this.#warn('query_failed', `query ${type}: ${err.message}`),
      );
      this.#sendNode(
        link,
        tag,
        ['query', { type, epoch: String(link.epoch++) }, null],
        metric,
        WaFlag.ignore,
      );
    }
    this.setPresenceAvailable().catch((err: Error) => this.#warn('presence_failed', err.message));
  }

  #onChallenge(link: Link, challenge: string): void {
    const creds = this.#credentials;
    if (link.phase !== 'restoring' || !creds || !this.#keys) {
      this.#warn('unexpected_challenge', 'login challenge outside of a restore');
      return;
    }
    const signed = signChallenge(this.#keys.macKey, Buffer.from(challenge, 'base64'));
    const tag = link.nextTag();
    const answer = this.#request(tag);
    this.#sendText(link, tag, ['admin', 'challenge', signed, creds.serverToken, creds.clientId]);
    answer.then(
      (json) => this.#onLoginStatus(link, json),
      (err: Error) => this.#fail(link, 'challenge_failed', err.message),
    );
  }

  #onClose(link: Link, reason: string): void {
    if (link !== this.#link) return;
    this.#dropLink(link);
    if (this.#stopped) return;
    this.#scheduleReconnect(reason);
  }

  #scheduleReconnect(reason: string): void {
    if (this.#attempt >= this.#opts.maxReconnectAttempts) {
      this.#shutdown('closed', `gave up after ${this.#attempt} reconnect attempts: ${reason}`);
      return;
    }
    const delay = backoffDelay(this.#attempt++, this.#opts.backoff);
    this.#counters.reconnects++;
    this.#setState('connecting', { reason });
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => {
      if (!this.#stopped) this.#open();
    }, delay);
  }

  /** Ends the current socket because of a protocol problem; the close handler reconnects. */
  #fail(link: Link, code: string, message: string): void {
    if (link !== this.#link) return;
    this.#warn(code, message);
    link.ws.terminate();
  }

  #dropLink(link: Link): void {
    clearTimeout(link.refTimer);
    clearInterval(link.keepaliveTimer);
    clearTimeout(link.deadTimer);
    link.ws.removeAllListeners('message');
    // The 'error' listener of #open stays attached: a late error is a warning, never a crash.
    if (link.ws.readyState === WebSocket.OPEN || link.ws.readyState === WebSocket.CONNECTING)
      link.ws.terminate();
    if (this.#link === link) this.#link = null;
    this.#pending.rejectAll(new ConnectionClosedError());
  }

  #shutdown(state: ConnectionState, reason: string): void {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    if (this.#link) {
      const link = this.#link;
      if (link.ws.readyState === WebSocket.OPEN) link.ws.close(1000);
      this.#dropLink(link);
    }
    this.#setState(state, { reason });
    this.#started.reject(new WaWebError(state, reason));
  }

  // ---- incoming frames ------------------------------------------------------------------

  #onMessage(link: Link, data: Buffer, isBinary: boolean): void {
    if (link !== this.#link) return;
    this.#counters.framesIn++;
    this.#armDeadTimer(link);
    let frame: Frame;
    try {
      frame = parseFrame(data, isBinary);
    } catch (err) {
      if (!(err instanceof CodecError)) throw err;
      this.#counters.decodeErrors++;
      this.#warn('bad_frame', err.message);
      return;
    }
    switch (frame.kind) {
      case 'pong':
        this.#counters.pongsReceived++;
        // A `!` we did not ask for is the server pinging us (seed 001): answer it once.
        if (link.awaitingPong) link.awaitingPong = false;
        else this.#sendPing(link);
        return;
      case 'ping':
      case 'empty':
        return;
      case 'json':
        this.#onJson(link, frame.tag, frame.json);
        return;
      case 'binary':
        this.#onBinary(link, frame.tag, frame.payload);
        return;
    }
  }

  #onJson(link: Link, tag: string, json: unknown): void {
    if (this.#pending.resolve(tag, json)) return;
    if (!Array.isArray(json) || typeof json[0] !== 'string') {
      this.#warn('unhandled_json', `frame ${tag} carries an unexpected shape`);
      return;
    }
    const body: unknown = json[1];
    switch (json[0]) {
      case 'Conn': {
        const conn = ConnSchema.safeParse(body);
        if (conn.success) this.#onConn(link, conn.data);
        else this.#warn('bad_conn', conn.error.message);
        return;
      }
      case 'Cmd': {
        const cmd = CmdSchema.safeParse(body);
        if (!cmd.success) {
          this.#warn('bad_cmd', cmd.error.message);
        } else if (cmd.data.type === 'challenge' && cmd.data.challenge) {
          this.#onChallenge(link, cmd.data.challenge);
        } else if (cmd.data.type === 'disconnect') {
          // Another client took this session over: stop, do not fight it with reconnects.
          if (cmd.data.kind === 'replaced')
            this.#shutdown('replaced', 'another client took the session over');
          else this.#fail(link, 'disconnected', `server disconnect: ${cmd.data.kind ?? 'unknown'}`);
        }
        return;
      }
      case 'Msg':
      case 'MsgInfo': {
        const ack = MsgAckSchema.safeParse(body);
        if (ack.success) this.#emitReceipt(receiptFromMsg(json[0], ack.data, this.#wid));
        else this.#warn('bad_ack', ack.error.message);
        return;
      }
      case 'Stream': {
        const stream = StreamSchema.safeParse(json);
        if (stream.success) this.events.emit('stream', { update: stream.data[2], version: stream.data[3] });
        else this.#warn('bad_stream', stream.error.message);
        return;
      }
      case 'Blocklist': {
        const list = BlocklistSchema.safeParse(body);
        if (list.success) this.events.emit('blocklist', list.data.blocklist.map(toChatJid));
        else this.#warn('bad_blocklist', list.error.message);
        return;
      }
      case 'Props': {
        const props = PropsSchema.safeParse(body);
        if (props.success) this.events.emit('props', props.data);
        else this.#warn('bad_props', props.error.message);
        return;
      }
      case 'Presence':
      case 'Pong':
        return;
      default:
        this.#warn('unhandled_json', `unhandled ${json[0]} frame`);
    }
  }

  #onBinary(link: Link, tag: string, payload: Uint8Array): void {
    if (!this.#keys || link.phase === 'init' || link.phase === 'awaiting_scan') {
      this.#counters.droppedFrames++;
      this.#warn('binary_without_keys', `binary frame ${tag} before login: dropped`);
      return;
    }
    let node: BinaryNode;
    try {
      node = decodeBinaryNode(decryptFramePayload(payload, this.#keys));
    } catch (err) {
      if (err instanceof BadMacError) this.#counters.badMac++;
      else if (err instanceof CryptoError) this.#counters.decryptErrors++;
      else if (err instanceof CodecError) this.#counters.decodeErrors++;
      else throw err;
      this.#counters.droppedFrames++;
      this.#warn((err as WaWebError).code, `frame ${tag} dropped: ${(err as Error).message}`);
      return;
    }
    if (this.#pending.resolve(tag, node)) return;
    this.#handleNode(node);
  }

  #handleNode(node: BinaryNode): void {
    for (const item of interpretNode(node)) {
      switch (item.type) {
        case 'message': {
          const message = this.#decodeMessage(item.bytes);
          if (message) {
            const event: MessageEvent = { add: item.add, message };
            this.events.emit('message', event);
          }
          break;
        }
        case 'receipt':
          this.#emitReceipt(item.receipt);
          break;
        case 'chats':
          if (!item.duplicate) this.events.emit('chats', item.chats);
          break;
        case 'contacts':
          if (!item.duplicate) this.events.emit('contacts', item.contacts);
          break;
        case 'battery':
          this.events.emit('battery', { value: item.value, live: item.live, powersave: item.powersave });
          break;
        default:
          break;
      }
    }
  }

  #decodeMessage(bytes: Uint8Array): WebMessageInfo | null {
    try {
      return decodeWebMessageInfo(bytes);
    } catch (err) {
      this.#counters.decodeErrors++;
      this.#warn('bad_message', `WebMessageInfo did not decode: ${(err as Error).message}`);
      return null;
    }
  }

  #emitReceipt(receipt: Receipt): void {
    this.events.emit('receipt', receipt);
  }

  // ---- outgoing -------------------------------------------------------------------------

  /** Sends a node, then waits for the answer under its tag (sent first: no promise left dangling if sending throws). */
  #exchange(link: Link, tag: string, node: BinaryNode, metric: number, flag: number): Promise<unknown> {
    this.#sendNode(link, tag, node, metric, flag);
    return this.#request(tag);
  }

  #request(tag: string): Promise<unknown> {
    return this.#pending.wait(tag, this.#opts.requestTimeoutMs);
  }

  #sendText(link: Link, tag: string, json: unknown): void {
    this.#send(link, encodeTextFrame(tag, json));
  }

  #sendNode(link: Link, tag: string, node: BinaryNode, metric: number, flag: number): void {
    if (!this.#keys) throw new ConnectionClosedError('no session keys yet');
    this.#send(
      link,
      encodeBinaryFrame(tag, encryptClientPayload(encodeBinaryNode(node), this.#keys, metric, flag)),
    );
  }

  #send(link: Link, data: string | Buffer): void {
    if (link.ws.readyState !== WebSocket.OPEN) return;
    this.#counters.framesOut++;
    link.ws.send(data);
  }

  #sendPing(link: Link): void {
    if (link !== this.#link) return;
    this.#counters.pingsSent++;
    link.awaitingPong = true;
    this.#send(link, KEEPALIVE_PING);
  }

  #armDeadTimer(link: Link): void {
    clearTimeout(link.deadTimer);
    link.deadTimer = setTimeout(() => {
      if (link !== this.#link) return;
      this.#counters.deadConnections++;
      this.#fail(link, 'dead_connection', `no frame for ${this.#opts.deadAfterMs} ms`);
    }, this.#opts.deadAfterMs);
  }

  #connectedLink(): Link {
    const link = this.#link;
    if (link?.phase !== 'connected' || link.ws.readyState !== WebSocket.OPEN) {
      throw new ConnectionClosedError('not connected');
    }
    return link;
  }

  #setState(state: ConnectionState, extra: { qr?: string; reason?: string } = {}): void {
    const previous = this.#state;
    if (previous === state && state !== 'awaiting_scan' && state !== 'connecting') return;
    this.#state = state;
    const change: StateChange = { state, previous, ...extra };
    this.events.emit('state', change);
  }

  #warn(code: string, message: string): void {
    this.events.emit('warning', { code, message });
  }
}

/** A ref lifetime the client can live with: a hostile 1 ms or 1 year ttl is clamped. */
function clampTtl(ttl: number | undefined): number {
  return Math.min(600_000, Math.max(50, ttl ?? 20_000));
}

function keysOf(creds: WaCredentials): SessionKeys {
  return { encKey: Buffer.from(creds.encKey, 'base64'), macKey: Buffer.from(creds.macKey, 'base64') };
}

function isNode(value: unknown): value is BinaryNode {
  return Array.isArray(value) && value.length === 3 && typeof value[0] === 'string';
}
