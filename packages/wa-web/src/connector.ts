import type { WaCredentials } from './credentials.ts';
import type { MediaType } from './media-crypto.ts';
import type { Receipt } from './receipts.ts';
import type { TypedEmitter } from './typed-emitter.ts';
import type { WebMessageInfo } from './web-message.ts';

/** Observable connection states. */
export type ConnectionState =
  | 'connecting'
  | 'awaiting_scan'
  | 'connected'
  | 'logged_out'
  | 'replaced'
  | 'closed';

/** States after which the connector never reconnects on its own. */
export const TERMINAL_STATES: ReadonlySet<ConnectionState> = new Set(['replaced', 'closed']);

/** A state transition; `qr` rides along in `awaiting_scan`, `reason` explains the others. */
export interface StateChange {
  state: ConnectionState;
  previous: ConnectionState;
  qr?: string;
  reason?: string;
}

/** A QR to show: the string to encode and how long the ref lives. */
export interface QrEvent {
  qr: string;
  ref: string;
  ttlMs: number;
  /** 0 for the first ref of a connection, then 1, 2… for each reref. */
  rotation: number;
}

/** The session is usable. */
export interface ReadyEvent {
  /**
   * Credentials the worker must persist now (legacy tokens rotate on every login); absent for a
   * connector that writes its own state as it changes (multi-device).
   */
  credentials?: WaCredentials;
  wid: string;
  pushname?: string;
  platform?: string;
  /** True when restored with `takeover`, false after a QR scan. */
  restored: boolean;
}

/** A message from the server: the decoded WebMessageInfo and how it arrived (`relay`, `last`, `before`). */
export interface MessageEvent {
  add: string;
  message: WebMessageInfo;
}

/** The events every connector emits, whatever protocol it speaks. */
export interface ConnectorEvents {
  state: [StateChange];
  qr: [QrEvent];
  ready: [ReadyEvent];
  message: [MessageEvent];
  receipt: [Receipt];
}

/** What the session worker drives: one WhatsApp session, connected until closed. */
export interface Connector {
  readonly events: TypedEmitter<ConnectorEvents>;
  readonly state: ConnectionState;
  /** Starts connecting; resolves once the session shows a QR or is connected. */
  connect(): Promise<void>;
  /** Stops for good (no reconnect) and releases the socket and timers. */
  close(): Promise<void>;
}

/** What a media upload needs besides the encrypted file (`enc ‖ mac10`). */
export interface MediaUploadInfo {
  mediaType: MediaType;
  fileEncSha256: Uint8Array;
}

/** An uploaded media file: the URL a recipient downloads, and the path multi-device messages carry. */
export interface UploadedMedia {
  url: string;
  directPath?: string;
}
