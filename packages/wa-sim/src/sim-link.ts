import { randomBytes } from 'node:crypto';
import {
  BadMacError,
  type BinaryNode,
  CodecError,
  CryptoError,
  decodeBinaryNode,
  decodeWebMessageInfo,
  decryptFramePayload,
  encodeBinaryFrame,
  encodeBinaryNode,
  encodePong,
  encodeTextFrame,
  encryptFramePayload,
  type Frame,
  parseFrame,
  signChallenge,
  splitClientPayload,
} from '@wasock/wa-web';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { SimSession } from './sim-model.ts';

/** What a link needs from the server that hosts it. */
export interface LinkHost {
  readonly ttlMs: number;
  readonly challengeOnTakeover: boolean;
  registerRef(link: SimLink): string;
  dropRef(ref: string): void;
  /** The session these tokens belong to, or null when they are unknown, stale or logged out. */
  sessionForLogin(clientToken: string, serverToken: string, clientId: string): SimSession | null;
  /** Rotates the tokens, replaces any other link of the session, and binds this link. */
  bindSession(link: SimLink, session: SimSession): void;
  /** The frames a freshly logged-in client gets: chat list, contacts, last messages, battery. */
  preemptNodes(session: SimSession): BinaryNode[];
  /** The `query` answers of seed 001's table (null: not a query the simulator knows). */
  answerQuery(session: SimSession, attrs: Record<string, string>): BinaryNode | null;
  recordRelayed(session: SimSession, bytes: Uint8Array): void;
  recordPresence(session: SimSession, presence: string): void;
  logout(session: SimSession): void;
  countFrame(direction: 'in' | 'out', link: SimLink): void;
  note(event: string, detail: Record<string, unknown>): void;
}

const InitSchema = z.tuple([
  z.literal('admin'),
  z.literal('init'),
  z.array(z.number()),
  z.array(z.string()),
  z.string().min(1).max(200),
  z.boolean(),
]);
const LoginSchema = z.tuple([
  z.literal('admin'),
  z.literal('login'),
  z.string(),
  z.string(),
  z.string(),
  z.literal('takeover'),
]);
const ChallengeSchema = z.tuple([
  z.literal('admin'),
  z.literal('challenge'),
  z.string(),
  z.string(),
  z.string(),
]);
const MAX_REFS_PER_LINK = 50;

/** The server side of one websocket: login, keepalive, encrypted traffic, faults. */
export class SimLink {
  readonly ws: WebSocket;
  readonly id: string;
  readonly #host: LinkHost;
  clientId: string | undefined;
  ref: string | undefined;
  session: SimSession | undefined;
  phase: 'new' | 'awaiting_scan' | 'restoring' | 'logged_in' | 'closed' = 'new';
  /** Fault: answer nothing and send nothing (a dead connection as the client sees it). */
  silent = false;
  #refs = 0;
  #serverTag = 0;
  #challenge: { bytes: Buffer; session: SimSession; loginTag: string } | undefined;

  constructor(ws: WebSocket, id: string, host: LinkHost) {
    this.ws = ws;
    this.id = id;
    this.#host = host;
    ws.on('message', (data, isBinary) => this.#onMessage(data as Buffer, isBinary));
  }

  /**
   * A fresh server-side tag for frames nobody asked for. Its shape (`<seconds>-<n>`) can never
   * equal a client request tag (`<seconds>.--<n>`), so it cannot answer one by accident.
   */
  nextTag(): string {
    return `${Math.floor(Date.now() / 1000)}-${this.#serverTag++}`;
  }

  /** Sends a text frame unless a fault silenced the link. */
  sendText(tag: string, json: unknown): void {
    this.#sendRaw(encodeTextFrame(tag, json));
  }

  /** Encrypts and sends a binary node with the session keys. */
  sendNode(tag: string, node: BinaryNode): void {
    if (!this.session) return;
    this.#sendRaw(encodeBinaryFrame(tag, encryptFramePayload(encodeBinaryNode(node), this.session.keys)));
  }

  /** Sends raw bytes or text as they are (faults use this to send what the protocol forbids). */
  sendRawFrame(data: string | Buffer, isBinary: boolean): void {
    if (this.silent || this.ws.readyState !== this.ws.OPEN) return;
    this.#host.countFrame('out', this);
    this.ws.send(data, { binary: isBinary });
  }

  /** Tells the client another one took its session, then closes (the client must not come back). */
  replace(): void {
    this.sendText(this.nextTag(), ['Cmd', { type: 'disconnect', kind: 'replaced' }]);
    this.close();
  }

  /** Closes the socket politely. */
  close(): void {
    this.phase = 'closed';
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(1000);
  }

  /** Kills the socket without a close handshake (the drop_socket fault). */
  terminate(): void {
    this.phase = 'closed';
    this.ws.terminate();
  }

  /** Completes a QR pairing: sends `s1` Conn with the secret, then `s2`..`s4` and the preempt frames. */
  pair(session: SimSession, secret: Buffer): void {
    this.session = session;
    this.phase = 'logged_in';
    if (this.ref) this.#host.dropRef(this.ref);
    this.sendText('s1', ['Conn', { ...this.#connBody(session, true), secret: secret.toString('base64') }]);
    this.sendText('s2', ['Blocklist', { id: 1, blocklist: [] }]);
    this.sendText('s3', ['Stream', 'update', false, '2.2017.6']);
    this.sendText('s4', ['Props', PROPS]);
    this.#sendPreempt(session);
  }

  #sendPreempt(session: SimSession): void {
    for (const node of this.#host.preemptNodes(session)) this.sendNode(`preempt-${this.nextTag()}`, node);
  }

  #connBody(session: SimSession, withRef: boolean): Record<string, unknown> {
    const phone = session.phone;
    return {
      ...(withRef && this.ref ? { ref: this.ref } : {}),
      wid: phone.wid,
      connected: true,
      isResponse: 'false',
      serverToken: session.serverToken,
      browserToken: session.browserToken,
      clientToken: session.clientToken,
      lc: 'FR',
      lg: 'fr',
      locales: 'fr-FR,en-GB,de-DE',
      is24h: true,
      protoVersion: [0, 17],
      binVersion: 11,
      battery: 30,
      plugged: false,
      platform: phone.platform,
      features: { URL: true, FLAGS: 'EAEYASgBOAFAAUgBWAFgAWgBeAGYAQGgAQGwAQK4AQHIAQHYAQHoAQLwAQP4AQOIAgE=' },
      phone: {
        wa_version: '2.20.140',
        mcc: '208',
        mnc: '015',
        os_version: '10',
        device_manufacturer: 'Xiaomi',
        device_model: 'sagit',
        os_build_number: 'wa-sim',
      },
      pushname: phone.pushname,
      tos: 0,
    };
  }

  #sendRaw(data: string | Buffer): void {
    this.sendRawFrame(data, typeof data !== 'string');
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    if (this.phase === 'closed') return;
    this.#host.countFrame('in', this);
    let frame: Frame;
    try {
      frame = parseFrame(data, isBinary);
    } catch (err) {
      if (!(err instanceof CodecError)) throw err;
      this.#host.note('bad_frame', { link: this.id, error: err.message });
      return;
    }
    switch (frame.kind) {
      case 'ping':
        this.sendRawFrame(encodePong(Date.now()), false);
        return;
      case 'pong':
      case 'empty':
        return;
      case 'json':
        this.#onJson(frame.tag, frame.json);
        return;
      case 'binary':
        this.#onBinary(frame.tag, frame.payload);
        return;
    }
  }

  #onJson(tag: string, json: unknown): void {
    if (!Array.isArray(json)) {
      this.sendText(tag, { status: 400 });
      return;
    }
    if (json[0] === 'admin' && json[1] === 'init') {
      const init = InitSchema.safeParse(json);
      if (!init.success) {
        this.sendText(tag, { status: 400 });
        return;
      }
      this.clientId = init.data[4];
      this.phase = 'awaiting_scan';
      this.#issueRef(tag);
      return;
    }
    if (json[0] === 'admin' && json[1] === 'Conn' && json[2] === 'reref') {
      if (this.phase !== 'awaiting_scan') {
        this.sendText(tag, { status: 400 });
        return;
      }
      if (this.ref) this.#host.dropRef(this.ref);
      this.#issueRef(tag);
      return;
    }
    if (json[0] === 'admin' && json[1] === 'Conn' && json[2] === 'disconnect') {
      if (this.session) this.#host.logout(this.session);
      this.close();
      return;
    }
    if (json[0] === 'admin' && json[1] === 'test') {
      this.sendText(tag, ['Pong', this.phase === 'logged_in']);
      return;
    }
    if (json[0] === 'admin' && json[1] === 'login') {
      this.#onLogin(tag, json);
      return;
    }
    if (json[0] === 'admin' && json[1] === 'challenge') {
      this.#onChallengeAnswer(tag, json);
      return;
    }
    this.sendText(tag, { status: 404 });
  }

  #issueRef(tag: string): void {
    if (this.#refs++ >= MAX_REFS_PER_LINK) {
      // Real servers stop handing out refs after a while: the QR page must be reloaded.
      this.sendText(tag, { status: 429 });
      this.close();
      return;
    }
    this.ref = this.#host.registerRef(this);
    this.sendText(tag, {
      status: 200,
      ref: this.ref,
      ttl: this.#host.ttlMs,
      update: false,
      curr: '2.2017.6',
      time: Date.now(),
    });
  }

  #onLogin(tag: string, json: unknown[]): void {
    const login = LoginSchema.safeParse(json);
    if (!login.success || !this.clientId) {
      this.sendText(tag, { status: 400 });
      return;
    }
    const [, , clientToken, serverToken, clientId] = login.data;
    const session = this.#host.sessionForLogin(clientToken, serverToken, clientId);
    if (!session) {
      this.#host.note('login_refused', { link: this.id });
      this.sendText(tag, { status: 401 });
      return;
    }
    if (this.ref) this.#host.dropRef(this.ref);
    this.phase = 'restoring';
    if (this.#host.challengeOnTakeover) {
      const bytes = randomBytes(32);
      this.#challenge = { bytes, session, loginTag: tag };
      this.sendText('s1', ['Cmd', { type: 'challenge', challenge: bytes.toString('base64') }]);
      return;
    }
    this.#completeLogin(session, tag, 's1');
  }

  #onChallengeAnswer(tag: string, json: unknown[]): void {
    const answer = ChallengeSchema.safeParse(json);
    const pending = this.#challenge;
    this.#challenge = undefined;
    if (!answer.success || !pending) {
      this.sendText(tag, { status: 400 });
      return;
    }
    const expected = signChallenge(pending.session.keys.macKey, pending.bytes);
    if (answer.data[2] !== expected || answer.data[3] !== pending.session.serverToken) {
      this.sendText(tag, { status: 401 });
      this.sendText(pending.loginTag, { status: 401 });
      return;
    }
    this.sendText(tag, { status: 200 });
    this.#completeLogin(pending.session, pending.loginTag, 's2');
  }

  #completeLogin(session: SimSession, loginTag: string, connTag: string): void {
    this.#host.bindSession(this, session);
    this.session = session;
    this.phase = 'logged_in';
    this.sendText(connTag, ['Conn', this.#connBody(session, false)]);
    this.sendText(loginTag, { status: 200 });
    this.#sendPreempt(session);
  }

  #onBinary(tag: string, payload: Uint8Array): void {
    const session = this.session;
    if (!session || this.phase !== 'logged_in') {
      this.sendText(tag, { status: 401 });
      return;
    }
    let node: BinaryNode;
    try {
      const { sealed } = splitClientPayload(payload);
      node = decodeBinaryNode(decryptFramePayload(sealed, session.keys));
    } catch (err) {
      if (!(err instanceof CryptoError || err instanceof CodecError)) throw err;
      this.#host.note(err instanceof BadMacError ? 'client_bad_mac' : 'client_bad_frame', { link: this.id });
      return;
    }
    const [description, attrs, content] = node;
    if (description === 'query') {
      const answer = this.#host.answerQuery(session, attrs);
      if (answer) this.sendNode(tag, answer);
      else this.sendText(tag, { status: 404 });
      return;
    }
    if (description === 'action' && attrs.type === 'relay' && Array.isArray(content)) {
      for (const child of content) {
        if (child[0] !== 'message' || !(child[2] instanceof Uint8Array)) continue;
        try {
          decodeWebMessageInfo(child[2]);
        } catch (err) {
          if (!(err instanceof CodecError)) throw err;
          this.sendText(tag, { status: 400 });
          return;
        }
        this.#host.recordRelayed(session, child[2]);
      }
      this.sendText(tag, { status: 200, t: Math.floor(Date.now() / 1000) });
      return;
    }
    if (description === 'action' && attrs.type === 'set') {
      const presence = Array.isArray(content) ? content.find((c) => c[0] === 'presence') : undefined;
      if (presence?.[1].type) this.#host.recordPresence(session, presence[1].type);
      this.sendText(tag, { status: 200 });
      return;
    }
    this.sendText(tag, { status: 404 });
  }
}

// Seed 001's `Props`, verbatim.
const PROPS = {
  camelotWeb: false,
  preloadStickers: false,
  webVoipInternalTester: false,
  webCleanIncomingFilename: 1,
  webEnableModelStorage: false,
  wsCanCacheRequests: false,
  fbCrashlog: true,
  bucket: '',
  gifSearch: 'tenor',
  maxFileSize: 100,
  media: 64,
  maxSubject: 25,
  maxParticipants: 257,
  imageMaxKBytes: 1024,
  imageMaxEdge: 1600,
  statusVideoMaxDuration: 30,
  frequentlyForwardedMessages: 1,
  suspiciousLinks: 1,
  fwdUiStartTs: 1531267200,
  restrictGroups: 1,
  productCatalogOpenDeeplink: 1,
  multicastLimitGlobal: 5,
  finalLiveLocation: 1,
  frequentlyForwardedMax: 1,
  mmsMediaKeyTTL: 172800,
  stickers: 1,
  announceGroups: 1001,
  groupDescLength: 512,
};
