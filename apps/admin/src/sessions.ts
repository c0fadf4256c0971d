import type {
  AdminEvent,
  AdminSession,
  CreatedSession,
  CreateSessionBody,
  PairingCode,
} from '@wasock/contracts';
import type { Logger } from '@wasock/runtime';
import { PairingStore, type RedisLike, readLatest, SessionStore, TokenStore } from '@wasock/store';
import { ApiError, SessionNotFoundError } from './errors.ts';
import { toAdminEvent, toAdminSession } from './session-view.ts';

/** 409: the session's token is revoked, so no worker will run it again. */
export class SessionRevokedError extends ApiError {
  constructor(sid: string) {
    super(409, 'token_revoked', `the token of session ${sid} is revoked: the session no longer runs`);
  }
}

// The worker waits up to 20 s for the session to reach the link stage; WhatsApp answers in ~1 s.
const PAIRING_TIMEOUT_MS = 30_000;
// What a worker's refusal means for an HTTP client: its request cannot succeed now (409), or
// WhatsApp or the wait failed (502/504).
const PAIRING_STATUS: Record<string, number> = {
  already_linked: 409,
  unsupported: 409,
  not_connected: 409,
  closed: 409,
  bad_phone_number: 400,
  pairing_timeout: 504,
};

/** What operators do to sessions, over the store. Throws `ApiError`s the API answers with. */
export class AdminSessions {
  readonly #redis: RedisLike;
  readonly #sessions: SessionStore;
  readonly #tokens: TokenStore;
  readonly #pairing: PairingStore;
  readonly #logger: Logger;

  constructor(redis: RedisLike, logger: Logger) {
    this.#redis = redis;
    this.#sessions = new SessionStore(redis);
    this.#pairing = new PairingStore(redis);
    this.#tokens = new TokenStore(redis);
    this.#logger = logger;
  }

  /** Every session, newest first. */
  async list(): Promise<AdminSession[]> {
    const all = (await this.#sessions.list()).map(toAdminSession);
    return all.sort((a, b) => b.created - a.created || a.sid.localeCompare(b.sid));
  }

  /** One session, or null. */
  async find(sid: string): Promise<AdminSession | null> {
    const r = await this.#sessions.get(sid);
    return r ? toAdminSession(r) : null;
  }

  /** One session; 404 when unknown. */
  async get(sid: string): Promise<AdminSession> {
    const s = await this.find(sid);
    if (!s) throw new SessionNotFoundError(sid);
    return s;
  }

  /** Creates a session and its token (returned once). */
  async create(opts: CreateSessionBody = {}): Promise<CreatedSession> {
    const label = opts.label ?? '';
    const { token, sid } = await this.#tokens.create({
      ...(label ? { label } : {}),
      ...(opts.connector ? { connector: opts.connector } : {}),
    });
    this.#logger.info({ sid, label, connector: opts.connector ?? 'default' }, 'session created');
    return { sid, token, label, connector: opts.connector ?? null };
  }

  /** Logs the session out of WhatsApp (through its worker); 409 when it already is. */
  async logout(sid: string): Promise<void> {
    const s = await this.get(sid);
    if (s.state === 'logged_out') {
      throw new ApiError(409, 'already_logged_out', `session ${sid} is already logged out`);
    }
    await this.#sessions.logout(sid);
    this.#logger.info({ sid }, 'logout requested');
  }

  /** Restarts the session; 409 when its token is revoked. */
  async restart(sid: string): Promise<void> {
    const s = await this.get(sid);
    if (s.revoked !== null) throw new SessionRevokedError(sid);
    await this.#sessions.restart(sid);
    this.#logger.info({ sid }, 'restart requested');
  }

  /**
   * Asks the worker running the session for a pairing code for `phoneNumber` (digits) and waits
   * for WhatsApp's answer; 409 when no worker runs it or it cannot link that way now.
   */
  async pairingCode(sid: string, phoneNumber: string): Promise<PairingCode> {
    const s = await this.get(sid);
    if (s.state === 'connected')
      throw new ApiError(409, 'already_linked', `session ${sid} is connected: it is already linked`);
    const requestId = await this.#pairing.request(sid, phoneNumber);
    if (!requestId)
      throw new ApiError(409, 'not_running', `no session worker runs session ${sid} now (state ${s.state})`);
    this.#logger.info({ sid, requestId }, 'pairing code requested');
    const outcome = await this.#pairing.waitForOutcome(sid, requestId, { timeoutMs: PAIRING_TIMEOUT_MS });
    if (!outcome)
      throw new ApiError(504, 'pairing_timeout', `the worker running ${sid} did not answer in time`);
    if ('error' in outcome)
      throw new ApiError(
        PAIRING_STATUS[outcome.error.code] ?? 502,
        outcome.error.code,
        outcome.error.message,
      );
    return { code: outcome.code, phoneNumber: outcome.phoneNumber };
  }

  /** Revokes the session's token; 409 when it already is. Returns the revocation time. */
  async revoke(sid: string): Promise<number> {
    await this.get(sid);
    const at = await this.#tokens.revokeSession(sid);
    if (at === null)
      throw new ApiError(409, 'already_revoked', `the token of session ${sid} is already revoked`);
    this.#logger.info({ sid }, 'token revoked');
    return at;
  }

  /** The newest stored events, oldest first. */
  async events(sid: string, limit: number): Promise<AdminEvent[]> {
    await this.get(sid);
    const { entries } = await readLatest(this.#redis, sid, limit);
    return entries.flatMap((e) => {
      const ev = toAdminEvent(e);
      if (!ev) this.#logger.warn({ sid, entry: e.id }, 'stored event is not a seed 000 event; left out');
      return ev ? [ev] : [];
    });
  }

  /** The QR text to scan; 404 with the reason when the session is not awaiting a scan. */
  async qr(sid: string): Promise<string> {
    const s = await this.get(sid);
    if (s.qr) return s.qr;
    const why =
      s.state === 'awaiting_scan'
        ? 'the QR is not ready yet'
        : s.state === 'new'
          ? 'the session has not started yet: no QR so far'
          : `the session is ${s.state.replace('_', ' ')}: there is no QR to scan`;
    throw new ApiError(404, 'no_qr', why);
  }
}
