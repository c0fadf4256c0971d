import { keys, type RedisLike } from '@wasock/store';

/** The worker side of the status record: what happened to each attempt. */
export class OutboundStatus {
  private readonly redis: RedisLike;

  constructor(redis: RedisLike) {
    this.redis = redis;
  }

  /** An attempt starts. */
  async sending(sid: string, waId: string): Promise<void> {
    await this.redis
      .multi()
      .hset(keys.outbound(sid, waId), 'state', 'sending')
      .hincrby(keys.outbound(sid, waId), 'attempts', 1)
      .exec();
  }

  /** WhatsApp accepted the message. */
  async sent(sid: string, waId: string): Promise<void> {
    await this.redis.hset(keys.outbound(sid, waId), { state: 'sent', sentAt: Date.now() });
    await this.redis.hdel(keys.outbound(sid, waId), 'error');
  }

  /** An attempt failed; `final` when no retry follows. */
  async failed(sid: string, waId: string, error: string, final: boolean): Promise<void> {
    await this.redis.hset(keys.outbound(sid, waId), { state: final ? 'failed' : 'queued', error });
  }

  /** True once WhatsApp accepted the message: a retried job must not send it again. */
  async isSent(sid: string, waId: string): Promise<boolean> {
    return (await this.redis.hget(keys.outbound(sid, waId), 'state')) === 'sent';
  }
}
