// A stand-in for WhatsApp's servers behind Baileys, for tests: sockets whose `ev` is Baileys'
// real event buffer, driven the way makeWASocket drives it (connecting on the next tick, QR for
// an unlinked device, pair-success then restartRequired, login for a linked one with events
// buffered until the offline backlog is flushed, close with a Boom carrying the reason).
// Messages and receipts are built by the test with Baileys' own proto types.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Boom } from '@hapi/boom';
import {
  type AuthenticationCreds,
  type BaileysEventMap,
  DisconnectReason,
  generateMessageIDV2,
  initAuthCreds,
  makeEventBuffer,
  proto,
  type SignalDataSet,
  type UserFacingSocketConfig,
  type WAMessage,
} from '@whiskeysockets/baileys';
import type { BaileysLogger } from './baileys-logger.ts';
import type { MultiDeviceSocket, SocketFactory } from './connector.ts';
import type { MultiDeviceAuth } from './redis-auth-state.ts';

export { DisconnectReason, proto } from '@whiskeysockets/baileys';

/** A Baileys-compatible logger that drops everything. */
export const silentLogger: BaileysLogger = {
  level: 'silent',
  child: () => silentLogger,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** The phone that links: its number, device jid, name. */
export interface FakePhone {
  /** Device jid as WhatsApp gives it to a companion: `<number>:<device>@s.whatsapp.net`. */
  id: string;
  name: string;
}

/** The default phone: 593987654321, companion device 7. */
export const FAKE_PHONE: FakePhone = { id: '593987654321:7@s.whatsapp.net', name: 'Albert' };

/** One fake socket: what makeWASocket would return, plus the server-side levers of a test. */
export class FakeSocket implements MultiDeviceSocket {
  readonly ev: MultiDeviceSocket['ev'];
  readonly config: UserFacingSocketConfig;
  readonly pairingRequests: string[] = [];
  /** Messages relayed on this socket, in order. */
  readonly relayed: RelayedMessage[] = [];
  ended = false;
  endedWith: Error | undefined;
  loggedOut = false;
  readonly #server: FakeWhatsApp;

  constructor(config: UserFacingSocketConfig, server: FakeWhatsApp) {
    this.config = config;
    this.#server = server;
    this.ev = makeEventBuffer(silentLogger);
    // As makeSocket does: Baileys' own listener merges every creds.update into auth.creds.
    this.ev.on('creds.update', (update) => Object.assign(this.creds, update));
    process.nextTick(() => this.#start());
  }

  /** The auth creds this socket was given (Baileys mutates them in place). */
  get creds(): AuthenticationCreds {
    return this.config.auth!.creds;
  }

  #start(): void {
    if (this.ended) return;
    const linked = Boolean(this.creds.me?.id) && this.creds.registered;
    // makeSocket buffers the events of a logged-in socket until the offline backlog is done.
    if (linked) this.ev.buffer();
    this.ev.emit('connection.update', { connection: 'connecting', receivedPendingNotifications: false });
    if (!this.#server.autoRespond) return;
    if (!linked) this.showQr();
    else if (this.#server.unlinked.has(this.creds.me!.id)) this.close(DisconnectReason.loggedOut);
    else {
      this.open();
      if (this.#server.autoFlush) this.offlineDone();
    }
  }

  /** WhatsApp asks the device to link: a QR (`ref,noiseKey,identityKey,advSecret`). */
  showQr(ref = `2@ref${this.#server.sockets.length}`): string {
    const qr = `${ref},${Buffer.from(this.creds.noiseKey.public).toString('base64')},${Buffer.from(this.creds.signedIdentityKey.public).toString('base64')},${this.creds.advSecretKey}`;
    this.ev.emit('connection.update', { qr });
    return qr;
  }

  /** The phone scanned the QR (or typed the code): pair-success, then the server wants a restart. */
  pair(phone: FakePhone = this.#server.phone): void {
    this.ev.emit('creds.update', {
      me: { id: phone.id, name: phone.name },
      platform: 'android',
      registered: true,
      account: proto.ADVSignedDeviceIdentity.fromObject({ details: Buffer.from('fake account details') }),
    });
    this.ev.emit('connection.update', { isNewLogin: true, qr: undefined });
    this.close(DisconnectReason.restartRequired, 'Stream Errored (restart required)');
  }

  /** Login accepted. */
  open(): void {
    this.ev.emit('connection.update', { connection: 'open' });
  }

  /** The offline backlog was delivered: buffered events are released. */
  offlineDone(): void {
    this.ev.flush();
    this.ev.emit('connection.update', { receivedPendingNotifications: true });
  }

  /** Messages arrive (`notify`: live; `append`: catch-up). */
  upsert(messages: WAMessage[], type: 'notify' | 'append' = 'notify'): void {
    this.ev.emit('messages.upsert', { messages, type });
  }

  /** Status updates of messages (1:1 receipts, server acks). */
  updates(updates: BaileysEventMap['messages.update']): void {
    this.ev.emit('messages.update', updates);
  }

  /** Per-user receipts (groups). */
  receipts(receipts: BaileysEventMap['message-receipt.update']): void {
    this.ev.emit('message-receipt.update', receipts);
  }

  /** Stores a Signal key through the socket's key store, as Baileys does after a handshake. */
  async storeKeys(
    data: Parameters<NonNullable<UserFacingSocketConfig['auth']>['keys']['set']>[0],
  ): Promise<void> {
    await this.config.auth!.keys.set(data);
  }

  /** The server closes the connection with a DisconnectReason code. */
  close(statusCode: number, message = 'Connection Failure'): void {
    void this.end(new Boom(message, { statusCode }));
  }

  // ---- the socket API the connector calls ----

  async end(error: Error | undefined): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.endedWith = error;
    this.ev.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date() } });
    this.ev.removeAllListeners('connection.update');
    this.ev.destroy();
  }

  async logout(msg?: string): Promise<void> {
    this.loggedOut = true;
    await this.end(new Boom(msg ?? 'Intentional Logout', { statusCode: DisconnectReason.loggedOut }));
  }

  async relayMessage(jid: string, message: proto.IMessage, opts: { messageId?: string }): Promise<string> {
    if (this.ended) throw new Boom('Connection Closed', { statusCode: DisconnectReason.connectionClosed });
    if (this.#server.refuseSends) throw new Boom('not-acceptable', { statusCode: 406 });
    const sent = { jid, message, messageId: opts.messageId ?? generateMessageIDV2() };
    this.relayed.push(sent);
    return sent.messageId;
  }

  /** WhatsApp's media host: checks the encrypted file's hash and keeps it under a direct path. */
  async waUploadToServer(
    encFilePath: string,
    opts: { fileEncSha256B64: string; mediaType: string },
  ): Promise<{ mediaUrl: string; directPath: string }> {
    if (this.ended) throw new Boom('Connection Closed', { statusCode: DisconnectReason.connectionClosed });
    const file = await readFile(encFilePath);
    if (createHash('sha256').update(file).digest('base64') !== opts.fileEncSha256B64)
      throw new Boom('media upload failed on all hosts', { statusCode: 400 });
    const directPath = `/v/t62.7118-24/${this.#server.uploads.size + 1}.enc?ccb=11-4`;
    this.#server.uploads.set(directPath, { mediaType: opts.mediaType, file });
    return { mediaUrl: `https://mmg.whatsapp.net${directPath}&mms3=true`, directPath };
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    if (this.ended) throw new Boom('Connection Closed', { statusCode: DisconnectReason.connectionClosed });
    this.pairingRequests.push(phoneNumber);
    const code = this.#server.pairingCode;
    this.ev.emit('creds.update', {
      pairingCode: code,
      me: { id: `${phoneNumber}@s.whatsapp.net`, name: '~' },
    });
    return code;
  }
}

/** A message a socket relayed: where to, what, under which id. */
export interface RelayedMessage {
  jid: string;
  message: proto.IMessage;
  messageId: string;
}

/** Fake WhatsApp: a socket factory for MultiDeviceConnector and the list of sockets it made. */
export class FakeWhatsApp {
  readonly sockets: FakeSocket[] = [];
  /** Phone device jids the phone has unlinked: their logins fail with loggedOut. */
  readonly unlinked = new Set<string>();
  phone: FakePhone = FAKE_PHONE;
  pairingCode = 'WASK1234';
  /** Answer each new socket as WhatsApp would (QR or login); off to drive every step by hand. */
  autoRespond = true;
  /** Release a logged-in socket's buffered events right after it opens. */
  autoFlush = true;
  /** Refuse every relayed message (as WhatsApp does for a bad recipient). */
  refuseSends = false;
  /** Uploaded media files by direct path. */
  readonly uploads = new Map<string, { mediaType: string; file: Buffer }>();

  /** Pass as `makeSocket`. */
  readonly factory: SocketFactory = (config) => {
    const socket = new FakeSocket(config, this);
    this.sockets.push(socket);
    return socket;
  };

  /** The newest socket. */
  get current(): FakeSocket {
    const s = this.sockets.at(-1);
    if (!s) throw new Error('no socket was made yet');
    return s;
  }

  /** The phone removes the linked device: the live socket closes with loggedOut, and so will logins. */
  unlink(): void {
    const s = this.current;
    if (s.creds.me?.id) this.unlinked.add(s.creds.me.id);
    s.close(DisconnectReason.loggedOut, 'Connection Failure');
  }
}

/** A text message from `from` (a phone jid), built with Baileys' proto types as Baileys decodes it. */
export function textMessage(
  id: string,
  from: string,
  text: string,
  opts: { fromMe?: boolean; timestamp?: number; pushName?: string } = {},
): WAMessage {
  return proto.WebMessageInfo.fromObject({
    key: { remoteJid: from, fromMe: opts.fromMe ?? false, id },
    message: { conversation: text },
    messageTimestamp: opts.timestamp ?? 1_719_598_097,
    pushName: opts.pushName ?? 'Contact',
  }) as WAMessage;
}

/** An in-memory auth state that counts saves; `clear()` starts over with fresh credentials. */
export function memoryAuth(creds: AuthenticationCreds = initAuthCreds()): MultiDeviceAuth & {
  saves: number;
  cleared: number;
  keys: Map<string, unknown>;
} {
  const store = new Map<string, unknown>();
  const auth = {
    saves: 0,
    cleared: 0,
    keys: store,
    restored: Boolean(creds.registered),
    state: {
      creds,
      keys: {
        get: async (type: string, ids: string[]) =>
          Object.fromEntries(
            ids.flatMap((id) => (store.has(`${type}/${id}`) ? [[id, store.get(`${type}/${id}`)]] : [])),
          ),
        set: async (data: SignalDataSet) => {
          for (const [type, entries] of Object.entries(data))
            for (const [id, value] of Object.entries(entries ?? {}))
              if (value == null) store.delete(`${type}/${id}`);
              else store.set(`${type}/${id}`, value);
        },
      },
    },
    saveCreds: async () => {
      auth.saves++;
    },
    clear: async () => {
      auth.cleared++;
      store.clear();
    },
  };
  return auth as typeof auth & MultiDeviceAuth;
}
