import { createHash } from 'node:crypto';
import { type SendRequest, SendState, type SendStatus } from '@wasock/contracts';
import { keys, type RedisLike } from '@wasock/store';
import { Queue } from 'bullmq';
import { SendRateLimitedError } from './errors.ts';
import { newWaMessageId, outboundMessageId, type SendJob } from './send-job.ts';

export interface OutboxOptions {
  /** Sends accepted per session per minute (so one tenant cannot get a number banned). */
  sendsPerMinute: number;
  /** Tries per message before it is `failed` (with backoff). */
  attempts?: number;
  /** How long an Idempotency-Key is remembered. */
  idempotencyTtlSeconds?: number;
}

/** What an accepted send answers. */
export interface Enqueued {
  messageId: string;
  waId: string;
  /** True when the Idempotency-Key had been used: nothing new was queued. */
  duplicate: boolean;
}

/**
 * The producer side of sending: rate limit, idempotency, a status record and a job on the
 * session's BullMQ queue, which the worker holding the session's lease consumes.
 */
export class Outbox {
  private readonly redis: RedisLike;
  private readonly opts: Required<OutboxOptions>;
  private readonly queues = new Map<string, Queue>();

  constructor(redis: RedisLike, opts: OutboxOptions) {
    this.redis = redis;
    this.opts = { attempts: 5, idempotencyTtlSeconds: 24 * 3600, ...opts };
  }

  /** Accepts a send for later delivery; the answer comes before the message leaves. */
  async enqueue(sid: string, request: SendRequest, idempotencyKey?: string): Promise<Enqueued> {
    const waId = newWaMessageId();
    let idemKey: string | undefined;
    if (idempotencyKey !== undefined) {
      idemKey = keys.idempotency(sid, createHash('sha256').update(idempotencyKey).digest('hex'));
      const first = await this.redis.set(idemKey, waId, 'EX', this.opts.idempotencyTtlSeconds, 'NX');
      if (first === null) {
        const existing = (await this.redis.get(idemKey)) ?? waId;
        return { waId: existing, messageId: outboundMessageId(request.to, existing), duplicate: true };
      }
    }
    try {
      await this.takeRateSlot(sid);
      const now = Date.now();
      await this.redis.hset(keys.outbound(sid, waId), {
        messageId: outboundMessageId(request.to, waId),
        state: 'queued' satisfies SendState,
        attempts: 0,
        createdAt: now,
      });
      await this.redis.expire(keys.outbound(sid, waId), 7 * 24 * 3600);
      const job: SendJob = { sid, waId, request };
      await this.queue(sid).add('send', job, {
        jobId: waId,
        attempts: this.opts.attempts,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 10_000 },
      });
    } catch (err) {
      // A refused or failed enqueue must not make the key stand for a message that does not exist.
      if (idemKey) await this.redis.del(idemKey);
      throw err;
    }
    return { waId, messageId: outboundMessageId(request.to, waId), duplicate: false };
  }

  /** The status of an outbound message, or null when unknown. */
  async status(sid: string, waId: string): Promise<SendStatus | null> {
    const h = await this.redis.hgetall(keys.outbound(sid, waId));
    if (!h.messageId) return null;
    return {
      messageId: h.messageId,
      state: SendState.catch('failed').parse(h.state),
      attempts: Number(h.attempts ?? 0),
      createdAt: Number(h.createdAt ?? 0),
      ...(h.sentAt ? { sentAt: Number(h.sentAt) } : {}),
      ...(h.error ? { error: h.error } : {}),
    };
  }

  /** The BullMQ queue of a session's sends (created once per process). */
  queue(sid: string): Queue {
    let q = this.queues.get(sid);
    if (!q) {
      q = new Queue(keys.sendQueue(sid), { connection: this.redis, prefix: keys.queuePrefix() });
      this.queues.set(sid, q);
    }
    return q;
  }

  private async takeRateSlot(sid: string): Promise<void> {
    const now = Date.now();
    const minute = Math.floor(now / 60_000);
    const key = keys.sendRate(sid, minute);
    const res = await this.redis.multi().incr(key).expire(key, 120).exec();
    const count = Number(res?.[0]?.[1] ?? 0);
    if (count > this.opts.sendsPerMinute) {
      throw new SendRateLimitedError(Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000)));
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
