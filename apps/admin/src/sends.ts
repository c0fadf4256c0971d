import type { SendAccepted, SendRequest, SendStatus } from '@wasock/contracts';
import { Outbox, SendRateLimitedError } from '@wasock/outbox';
import type { RedisLike, SessionStore } from '@wasock/store';
import { ApiError, SessionNotFoundError } from './errors.ts';

/** The send routes' logic: checks the session, then hands the request to the outbox. */
export class AdminSends {
  readonly #outbox: Outbox;
  readonly #sessions: SessionStore;

  constructor(redis: RedisLike, sessions: SessionStore, opts: { sendsPerMinute: number }) {
    this.#outbox = new Outbox(redis, { sendsPerMinute: opts.sendsPerMinute });
    this.#sessions = sessions;
  }

  /** Queues a send; 404 for an unknown session, 409 for one that can no longer send, 429 when rate-limited. */
  async send(sid: string, request: SendRequest, idempotencyKey?: string): Promise<SendAccepted> {
    const session = await this.#sessions.get(sid);
    if (!session) throw new SessionNotFoundError(sid);
    if (session.revoked !== undefined || session.state === 'logged_out') {
      throw new ApiError(
        409,
        'not_sendable',
        `session ${sid} is ${session.revoked ? 'revoked' : 'logged out'}`,
      );
    }
    if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > 256)) {
      throw new ApiError(400, 'invalid_request', 'Idempotency-Key: 1 to 256 characters');
    }
    try {
      const queued = await this.#outbox.enqueue(sid, request, idempotencyKey);
      return { messageId: queued.messageId, state: 'queued' };
    } catch (err) {
      if (err instanceof SendRateLimitedError) {
        throw new ApiError(429, 'rate_limited', err.message, {
          'retry-after': String(err.retryAfterSeconds),
        });
      }
      throw err;
    }
  }

  /** The status of a sent message; 404 when unknown. */
  async status(sid: string, waId: string): Promise<SendStatus> {
    const status = await this.#outbox.status(sid, waId);
    if (!status) throw new ApiError(404, 'message_not_found', `no message ${waId} in session ${sid}`);
    return status;
  }

  close(): Promise<void> {
    return this.#outbox.close();
  }
}
