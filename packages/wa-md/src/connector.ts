import {
  type BackoffOptions,
  backoffDelay,
  type ConnectionState,
  type Connector,
  type ConnectorEvents,
  DEFAULT_BACKOFF,
  type MediaUploadInfo,
  type QrEvent,
  type ReadyEvent,
  type Receipt,
  type SendResult,
  StartSignal,
  type StateChange,
  TypedEmitter,
  type UploadedMedia,
  type WebMessage,
} from '@wasock/wa-web';
import {
  type BaileysEventMap,
  DisconnectReason,
  generateMessageIDV2,
  makeCacheableSignalKeyStore,
  makeWASocket,
  type proto,
  type SignalKeyStore,
  type UserFacingSocketConfig,
  type WABrowserDescription,
  type WASocket,
  type WAVersion,
} from '@whiskeysockets/baileys';
import type { BaileysLogger } from './baileys-logger.ts';
import { toWebMessageInfo } from './convert.ts';
import { MultiDeviceError } from './errors.ts';
import { chatJidOf, preferPhoneJid } from './jids.ts';
import { toBaileysMessage, toMultiDeviceJid, uploadThroughFile } from './outbound.ts';
import { levelOfStatus, levelOfUserReceipt } from './receipt-levels.ts';
import { reconnectActionFor, statusCodeOf } from './reconnect-policy.ts';
import type { MultiDeviceAuth } from './redis-auth-state.ts';

/** The part of a Baileys socket the connector drives (a test passes a fake with a real event buffer). */
export type MultiDeviceSocket = Pick<
  WASocket,
  'ev' | 'requestPairingCode' | 'logout' | 'end' | 'relayMessage' | 'waUploadToServer'
>;

/** Makes one socket per connection attempt; Baileys' `makeWASocket` unless a test injects one. */
export type SocketFactory = (config: UserFacingSocketConfig) => MultiDeviceSocket;

/** A pairing code to type on the phone (WhatsApp → Linked devices → Link with phone number). */
export interface PairingCodeEvent {
  code: string;
  /** The phone number it was requested for, digits only. */
  phoneNumber: string;
}

/** Something went wrong that the connector survived (an undecodable message, a failed save). */
export interface MultiDeviceWarning {
  code: string;
  message: string;
}

/** The connector events plus the multi-device extras. */
export interface MultiDeviceEvents extends ConnectorEvents {
  'pairing-code': [PairingCodeEvent];
  warning: [MultiDeviceWarning];
}

/** Options of a multi-device connector. */
export interface MultiDeviceConnectorOptions {
  /** The session's auth state (`loadRedisAuthState`); persisted on every `creds.update`. */
  auth: MultiDeviceAuth;
  /** Baileys' logger (`baileysLogger(ourLogger, level)`). */
  logger: BaileysLogger;
  makeSocket?: SocketFactory;
  backoff?: Partial<BackoffOptions>;
  /** Reconnects in a row before giving up with state `closed` (default 10). */
  maxReconnectAttempts?: number;
  /** WhatsApp Web version to announce; Baileys' built-in one by default. */
  version?: WAVersion;
  /** How the device presents itself (`[os, browser, version]`); Baileys' Chrome on Mac OS by default. */
  browser?: WABrowserDescription;
  /** Further Baileys socket settings (timeouts, URL); for tests and operators who know Baileys. */
  socketConfig?: Partial<UserFacingSocketConfig>;
}

const DEFAULT_MAX_RECONNECTS = 10;
// Baileys shows the first QR for 60 s and each following one for 20 s.
const FIRST_QR_TTL_MS = 60_000;
const NEXT_QR_TTL_MS = 20_000;
const PHONE_NUMBER = /^[0-9]{6,15}$/;
// A recipient whose phone could not decrypt a message asks for it again within seconds to
// minutes; Baileys re-encrypts what `getMessage` returns. Recent sends are enough.
const RESENDABLE = 256;

/**
 * A WhatsApp multi-device session on `@whiskeysockets/baileys`, behind the connector interface:
 * QR or pairing-code link, restore from the Redis auth state without a QR, reconnect by
 * disconnect reason, messages and receipts as the legacy connector emits them.
 */
export class MultiDeviceConnector implements Connector {
  readonly events = new TypedEmitter<MultiDeviceEvents>();
  readonly #auth: MultiDeviceAuth;
  readonly #keys: SignalKeyStore;
  readonly #logger: BaileysLogger;
  readonly #makeSocket: SocketFactory;
  readonly #backoff: BackoffOptions;
  readonly #maxReconnects: number;
  readonly #socketConfig: Partial<UserFacingSocketConfig>;
  #state: ConnectionState = 'closed';
  #sock: MultiDeviceSocket | null = null;
  #detach: (() => void) | null = null;
  #stopped = true;
  #attempt = 0;
  #reconnectTimer: NodeJS.Timeout | undefined;
  readonly #started = new StartSignal();
  #qrRotation = 0;
  // True while the current socket shows QRs: the moment a pairing code can be requested.
  #pairable = false;
  // True from a QR scan or pairing code until the login that follows it: that login is a new
  // link, every later one (reconnects) restores from the stored credentials.
  #linkedHere = false;
  #pendingPairing: { phoneNumber: string; resolve: (code: string) => void; reject: (err: Error) => void }[] =
    [];
  // Sent messages by id, oldest first, for Baileys' retry receipts (`getMessage`).
  readonly #sent = new Map<string, proto.IMessage>();

  constructor(options: MultiDeviceConnectorOptions) {
    this.#auth = options.auth;
    this.#logger = options.logger;
    // One cache for the connector's life: reconnects do not reload every Signal key from Redis.
    this.#keys = makeCacheableSignalKeyStore(options.auth.state.keys, options.logger);
    this.#makeSocket = options.makeSocket ?? makeWASocket;
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.#maxReconnects = options.maxReconnectAttempts ?? DEFAULT_MAX_RECONNECTS;
    // Baileys' default browser is what its users link with every day; an unusual one is a risk
    // (WhatsApp derives the platform shown and accepted from it).
    this.#socketConfig = {
      ...(options.browser ? { browser: options.browser } : {}),
      ...(options.version ? { version: options.version } : {}),
      ...options.socketConfig,
    };
  }

  /** The current state. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** Starts connecting; resolves at the first QR or login, rejects if the connector stops before. */
  connect(): Promise<void> {
    if (!this.#stopped)
      return Promise.reject(new MultiDeviceError('already_connecting', 'connect() was already called'));
    this.#stopped = false;
    this.#attempt = 0;
    const started = this.#started.begin();
    this.#open();
    return started;
  }

  /** Stops for good: no reconnect, socket ended; the auth state stays for the next run. */
  async close(): Promise<void> {
    this.#shutdown('closed', 'closed by owner');
  }

  /** Unlinks this device on WhatsApp (when connected), deletes the auth state and stops. */
  async logout(): Promise<void> {
    const sock = this.#sock;
    const connected = this.#state === 'connected';
    // Detached first: the close Baileys emits after its own logout is ours, not a disconnect.
    this.#stopped = true;
    this.#dropSocket(false);
    if (sock && connected) {
      try {
        await sock.logout('logged out by owner');
      } catch (err) {
        this.#warn('logout_failed', `unlinking on WhatsApp failed: ${errorText(err)}`);
      }
    } else if (sock) {
      await this.#endSocket(sock);
    }
    await this.#forgetAuth();
    this.#shutdown('logged_out', 'logged out by owner');
  }

  /**
   * Links by phone number instead of QR: resolves with the 8-character code to type on that
   * phone (also emitted as `pairing-code`). Waits for the socket to reach the link stage, or
   * until `signal` aborts (MultiDeviceError `pairing_timeout`).
   */
  requestPairingCode(phoneNumber: string, opts: { signal?: AbortSignal } = {}): Promise<string> {
    const digits = phoneNumber.replace(/[\s+()-]/g, '');
    if (!PHONE_NUMBER.test(digits))
      return Promise.reject(
        new MultiDeviceError('bad_phone_number', 'a phone number is 6 to 15 digits with country code'),
      );
    if (this.#stopped)
      return Promise.reject(new MultiDeviceError('not_connected', 'call connect() before asking for a code'));
    if (this.#auth.state.creds.registered)
      return Promise.reject(new MultiDeviceError('already_linked', 'this session is already linked'));
    return new Promise((resolve, reject) => {
      const pending = { phoneNumber: digits, resolve, reject };
      this.#pendingPairing.push(pending);
      opts.signal?.addEventListener(
        'abort',
        () => {
          const at = this.#pendingPairing.indexOf(pending);
          if (at < 0) return; // already handed to WhatsApp: its answer settles it
          this.#pendingPairing.splice(at, 1);
          reject(new MultiDeviceError('pairing_timeout', 'the session did not reach the link stage in time'));
        },
        { once: true },
      );
      if (this.#pairable) this.#requestPendingCodes();
    });
  }

  /**
   * Sends a message under a caller-chosen id (a retried send is the same message to WhatsApp);
   * resolves once Baileys relayed it, encrypted for every device of the recipient.
   */
  async sendMessage(jid: string, message: WebMessage, opts: { id?: string } = {}): Promise<SendResult> {
    const sock = this.#connectedSocket();
    const content = toBaileysMessage(message);
    const id = opts.id ?? generateMessageIDV2(this.#auth.state.creds.me?.id);
    this.#rememberSent(id, content);
    try {
      await sock.relayMessage(toMultiDeviceJid(jid), content, { messageId: id });
    } catch (err) {
      throw new MultiDeviceError('send_failed', `WhatsApp did not take message ${id}: ${errorText(err)}`, {
        cause: err,
      });
    }
    return { id, status: 200, t: Math.floor(Date.now() / 1000) };
  }

  /** Uploads an encrypted media file (`enc ‖ mac10`) to WhatsApp's media host for a send. */
  async uploadMedia(file: Buffer, info: MediaUploadInfo): Promise<UploadedMedia> {
    const sock = this.#connectedSocket();
    return uploadThroughFile((path, opts) => sock.waUploadToServer(path, opts), file, info);
  }

  #connectedSocket(): MultiDeviceSocket {
    if (!this.#sock || this.#state !== 'connected')
      throw new MultiDeviceError('not_connected', `the session is ${this.#state}, not connected`);
    return this.#sock;
  }

  #rememberSent(id: string, content: proto.IMessage): void {
    this.#sent.delete(id);
    this.#sent.set(id, content);
    if (this.#sent.size > RESENDABLE) this.#sent.delete(this.#sent.keys().next().value as string);
  }

  // ---- connection lifecycle -------------------------------------------------------------

  #open(): void {
    // A reconnect already announced `connecting` with its reason; do not repeat it without one.
    if (this.#state !== 'connecting') this.#setState('connecting');
    this.#pairable = false;
    this.#qrRotation = 0;
    let sock: MultiDeviceSocket;
    try {
      sock = this.#makeSocket(this.#socketOptions());
    } catch (err) {
      // Runs from a reconnect timer too: a throw here would end the worker, not this session.
      this.#warn('socket_failed', `creating the Baileys socket failed: ${errorText(err)}`);
      this.#scheduleReconnect(`socket creation failed: ${errorText(err)}`, false);
      return;
    }
    this.#sock = sock;
    this.#detach = sock.ev.process((events) => this.#onEvents(sock, events));
  }

  #socketOptions(): UserFacingSocketConfig {
    return {
      ...this.#socketConfig,
      auth: { creds: this.#auth.state.creds, keys: this.#keys },
      logger: this.#logger,
      // A gateway must not mark the account online: the phone would stop ringing for messages.
      markOnlineOnConnect: false,
      // Seed clients get history from our own stream, not from WhatsApp's history sync.
      syncFullHistory: false,
      // A recipient that could not decrypt a message asks for it again: only our recent sends.
      getMessage: async (key) => (key.id ? this.#sent.get(key.id) : undefined),
    };
  }

  #onEvents(sock: MultiDeviceSocket, events: Partial<BaileysEventMap>): void {
    if (sock !== this.#sock || this.#stopped) return;
    try {
      this.#dispatch(sock, events);
    } catch (err) {
      // Baileys calls this from an async listener: a throw would be an unhandled rejection that
      // ends the worker. A listener's failure is this session's problem, reported as such.
      this.#warn('event_failed', `handling Baileys events failed: ${errorText(err)}`);
    }
  }

  #dispatch(sock: MultiDeviceSocket, events: Partial<BaileysEventMap>): void {
    if (events['creds.update']) void this.#saveCreds();
    const upsert = events['messages.upsert'];
    const updates = events['messages.update'];
    const receipts = events['message-receipt.update'];
    // A buffered batch carries the connection change with the messages that arrived meanwhile:
    // open first, so the session is connected before its first message is published.
    const connection = events['connection.update'];
    if (connection) this.#onConnection(sock, connection);
    if (sock !== this.#sock) return;
    if (upsert) this.#onUpsert(upsert);
    if (updates) this.#onUpdates(updates);
    if (receipts) this.#onReceipts(receipts);
  }

  #onConnection(sock: MultiDeviceSocket, u: BaileysEventMap['connection.update']): void {
    if (u.isNewLogin) this.#linkedHere = true;
    if (u.qr) this.#showQr(u.qr);
    if (u.connection === 'open') this.#onOpen();
    else if (u.connection === 'close') this.#onClose(sock, u.lastDisconnect?.error);
  }

  #showQr(qr: string): void {
    this.#pairable = true;
    this.#attempt = 0;
    const rotation = this.#qrRotation++;
    this.#setState('awaiting_scan', { qr });
    const event: QrEvent = {
      qr,
      ref: qr.split(',')[0] ?? qr,
      ttlMs: rotation === 0 ? FIRST_QR_TTL_MS : NEXT_QR_TTL_MS,
      rotation,
    };
    this.events.emit('qr', event);
    this.#started.resolve();
    this.#requestPendingCodes();
  }

  #onOpen(): void {
    this.#pairable = false;
    this.#attempt = 0;
    const me = this.#auth.state.creds.me;
    const wid = me?.id ?? '';
    // No credentials: the auth state in Redis is written on every `creds.update`, not at login.
    const ready: ReadyEvent = {
      wid,
      restored: !this.#linkedHere,
      ...(me?.name ? { pushname: me.name } : {}),
      ...(this.#auth.state.creds.platform ? { platform: this.#auth.state.creds.platform } : {}),
    };
    this.#linkedHere = false;
    this.#setState('connected');
    this.events.emit('ready', ready);
    this.#started.resolve();
  }

  #onClose(sock: MultiDeviceSocket, error: Error | undefined): void {
    if (sock !== this.#sock) return;
    this.#dropSocket(false);
    if (this.#stopped) return;
    const code = statusCodeOf(error);
    const reason = `${reasonName(code)}${error?.message ? `: ${error.message}` : ''}`;
    const action = reconnectActionFor(code);
    if (action.kind === 'logged_out') {
      // Stopped at once, so nothing reconnects while the auth state is being deleted.
      this.#stopped = true;
      void this.#forgetAuth().then(() => this.#shutdown('logged_out', reason));
    } else if (action.kind === 'replaced') {
      this.#shutdown('replaced', reason);
    } else {
      this.#scheduleReconnect(reason, action.immediate);
    }
  }

  #scheduleReconnect(reason: string, immediate: boolean): void {
    if (this.#attempt >= this.#maxReconnects) {
      this.#shutdown('closed', `gave up after ${this.#attempt} reconnect attempts: ${reason}`);
      return;
    }
    const delay = immediate ? 0 : backoffDelay(this.#attempt, this.#backoff);
    this.#attempt++;
    this.#setState('connecting', { reason });
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => {
      if (!this.#stopped) this.#open();
    }, delay);
  }

  #shutdown(state: ConnectionState, reason: string): void {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    this.#dropSocket(true);
    this.#setState(state, { reason });
    this.#started.reject(new MultiDeviceError(state, reason));
    for (const p of this.#pendingPairing.splice(0))
      p.reject(new MultiDeviceError('closed', `the connector stopped (${state}) before a code was issued`));
  }

  /** Stops listening to the current socket; `end` also closes it (a socket we give up on). */
  #dropSocket(end: boolean): void {
    const sock = this.#sock;
    if (!sock) return;
    this.#detach?.();
    this.#detach = null;
    this.#sock = null;
    this.#pairable = false;
    if (end) void this.#endSocket(sock);
  }

  async #endSocket(sock: MultiDeviceSocket): Promise<void> {
    try {
      await sock.end(undefined);
    } catch (err) {
      this.#warn('end_failed', `closing the socket failed: ${errorText(err)}`);
    }
  }

  // ---- link by phone number --------------------------------------------------------------

  #requestPendingCodes(): void {
    const sock = this.#sock;
    if (!sock) return;
    for (const p of this.#pendingPairing.splice(0)) {
      sock.requestPairingCode(p.phoneNumber).then(
        (code) => {
          this.events.emit('pairing-code', { code, phoneNumber: p.phoneNumber });
          p.resolve(code);
        },
        (err: unknown) =>
          p.reject(
            new MultiDeviceError(
              'pairing_failed',
              `WhatsApp refused the pairing code request: ${errorText(err)}`,
              {
                cause: err,
              },
            ),
          ),
      );
    }
  }

  // ---- persistence -----------------------------------------------------------------------

  async #saveCreds(): Promise<void> {
    try {
      await this.#auth.saveCreds();
    } catch (err) {
      this.#warn('creds_save_failed', `saving multi-device credentials failed: ${errorText(err)}`);
    }
  }

  async #forgetAuth(): Promise<void> {
    this.#linkedHere = false;
    try {
      await this.#auth.clear();
    } catch (err) {
      this.#warn('auth_clear_failed', `deleting the multi-device auth state failed: ${errorText(err)}`);
    }
  }

  // ---- messages and receipts -------------------------------------------------------------

  #onUpsert(upsert: BaileysEventMap['messages.upsert']): void {
    // `notify`: arrived live; `append`: catch-up (offline backlog, our own sends from the phone).
    const add = upsert.type === 'notify' ? 'relay' : 'last';
    for (const m of upsert.messages) {
      let message: ReturnType<typeof toWebMessageInfo>;
      try {
        message = toWebMessageInfo(m);
      } catch (err) {
        this.#warn('bad_message', `message ${m.key?.id ?? '?'} could not be converted: ${errorText(err)}`);
        continue;
      }
      this.events.emit('message', { add, message });
    }
  }

  #onUpdates(updates: BaileysEventMap['messages.update']): void {
    for (const { key, update } of updates) {
      const ack = levelOfStatus(update.status);
      if (ack === null) continue;
      const t = typeof update.messageTimestamp === 'number' ? update.messageTimestamp : undefined;
      const receipt = receiptOf(key, ack, t);
      if (receipt) this.events.emit('receipt', receipt);
    }
  }

  #onReceipts(receipts: BaileysEventMap['message-receipt.update']): void {
    for (const { key, receipt: userReceipt } of receipts) {
      const level = levelOfUserReceipt(userReceipt);
      if (!level) continue;
      const receipt = receiptOf(key, level.ack, level.t);
      if (!receipt) continue;
      if (userReceipt.userJid) receipt.participant = chatJidOf(userReceipt.userJid);
      this.events.emit('receipt', receipt);
    }
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

/** A Baileys message key and level as the connector interface's Receipt (null without an id or chat). */
function receiptOf(
  key: BaileysEventMap['messages.update'][number]['key'],
  ack: Receipt['ack'],
  t: number | undefined,
): Receipt | null {
  const chat = preferPhoneJid(key.remoteJid, key.remoteJidAlt);
  if (!key.id || !chat) return null;
  const receipt: Receipt = {
    ids: [key.id],
    ack,
    remoteJid: chatJidOf(chat),
    fromMe: key.fromMe === true,
    // The interface names the legacy frame kinds; a multi-device receipt is a binary node.
    source: 'received',
  };
  const participant = preferPhoneJid(key.participant, key.participantAlt);
  if (participant) receipt.participant = chatJidOf(participant);
  if (t !== undefined && t > 0) receipt.t = t;
  return receipt;
}

function reasonName(code: number | undefined): string {
  if (code === undefined) return 'connection error';
  const name = DisconnectReason[code];
  return name ? `${name} (${code})` : `status ${code}`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
