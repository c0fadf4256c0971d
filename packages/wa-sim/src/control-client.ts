import type { FaultBody, MessageBody, ReceiptBody, ScanBody } from './control-schemas.ts';
import type { SessionSummary, SimStats } from './sim-server.ts';

/** A control API call that did not succeed; `code` is the API's error code. */
export class WaSimControlError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'WaSimControlError';
    this.status = status;
    this.code = code;
  }
}

/** What `POST /messages` answers. */
export interface SentMessage {
  id: string;
  remoteJid: string;
  mediaUrl?: string;
  mediaKey?: string;
  fileSha256?: string;
}

/** A relayed WebMessageInfo as JSON (bytes as base64). */
export type RelayedMessage = {
  key: { remoteJid?: string; fromMe?: boolean; id?: string; participant?: string };
  message?: Record<string, unknown>;
  messageTimestamp?: number;
  status?: number;
};

/** A typed client of the simulator's control API (tests, the demo, scripts). */
export class WaSimControl {
  readonly #base: string;

  constructor(baseUrl: string) {
    this.#base = baseUrl.replace(/\/+$/, '');
  }

  /** The control API's base URL (it also serves `/metrics`, `/livez`, `/readyz`). */
  get baseUrl(): string {
    return this.#base;
  }

  /** The phone scans `qr` (the string the client's `qr` event carried). */
  scan(body: ScanBody): Promise<SessionSummary> {
    return this.#call('POST', '/scan', body);
  }

  /** A contact sends a message to a session. */
  sendMessage(body: MessageBody): Promise<SentMessage> {
    return this.#call('POST', '/messages', body);
  }

  /** Sends acks for messages of a chat. */
  sendReceipt(body: ReceiptBody): Promise<void> {
    return this.#call('POST', '/receipts', body);
  }

  /** Breaks a session's live connection on purpose. */
  injectFault(body: FaultBody): Promise<void> {
    return this.#call('POST', '/faults', body);
  }

  /** Sessions and the refs that wait for a scan. */
  sessions(): Promise<{
    sessions: SessionSummary[];
    pendingRefs: { ref: string; clientId?: string; link: string }[];
  }> {
    return this.#call('GET', '/sessions');
  }

  /** What the client of a session sent. */
  async relayed(session: string): Promise<RelayedMessage[]> {
    const out = await this.#call<{ messages: RelayedMessage[] }>(
      'GET',
      `/sessions/${encodeURIComponent(session)}/relayed`,
    );
    return out.messages;
  }

  /** The phone logs a session out (its tokens stop working). */
  logout(session: string): Promise<void> {
    return this.#call('POST', `/sessions/${encodeURIComponent(session)}/logout`, {});
  }

  /** Simulator counters. */
  stats(): Promise<SimStats> {
    return this.#call('GET', '/stats');
  }

  async #call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method, signal: AbortSignal.timeout(10_000) };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const res = await fetch(`${this.#base}${path}`, init);
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (err) {
      throw new WaSimControlError(
        res.status,
        'bad_response',
        `control API answered non-JSON: ${(err as Error).message}`,
      );
    }
    if (!res.ok) {
      const e = (json ?? {}) as { error?: string; message?: string };
      throw new WaSimControlError(res.status, e.error ?? 'http_error', e.message ?? `HTTP ${res.status}`);
    }
    return json as T;
  }
}
