import { parseEvent, type StoredEvent, toAsciiJson } from '@wasock/contracts';
import type { Redis } from 'ioredis';
import { formatEventId, newEpoch } from './epoch.ts';
import { keys } from './keys.ts';
import { PUBLISH_LUA } from './publish-script.ts';

/** The default and usual stream length: seed 000 replays the last 50 events. */
export const DEFAULT_STREAM_MAXLEN = 50;

export interface Published {
  /** Redis stream entry id. */
  id: string;
  n: number;
  epoch: string;
  /** `<epoch>:<n>`, as hello clients with `ids` see it. */
  eventId: string;
}

type WithPublish = Redis & {
  wasockPublish(
    events: string,
    meta: string,
    live: string,
    body: string,
    maxLen: number,
    epoch: string,
  ): Promise<[string, number, string]>;
};

/** Validates seed 000 events and appends them to a session's stream, announcing each live. */
export class StreamPublisher {
  private readonly redis: WithPublish;
  private readonly maxLen: number;

  constructor(redis: Redis, opts: { maxLen?: number } = {}) {
    this.maxLen = opts.maxLen ?? DEFAULT_STREAM_MAXLEN;
    if (!Number.isInteger(this.maxLen) || this.maxLen < 1)
      throw new RangeError('maxLen must be a positive integer');
    if (!('wasockPublish' in redis))
      redis.defineCommand('wasockPublish', { numberOfKeys: 3, lua: PUBLISH_LUA });
    this.redis = redis as WithPublish;
  }

  /**
   * Validates `event` against the seed 000 contract (a `number` field is dropped) and appends it
   * in one atomic round trip: XADD MAXLEN = maxLen, stream meta, PUBLISH on the live channel.
   */
  async publish(sid: string, event: unknown): Promise<Published> {
    const stored: StoredEvent = parseEvent(event);
    const body = toAsciiJson(stored);
    const [id, n, epoch] = await this.redis.wasockPublish(
      keys.events(sid),
      keys.streamMeta(sid),
      keys.live(sid),
      body,
      this.maxLen,
      newEpoch(),
    );
    return { id, n: Number(n), epoch, eventId: formatEventId(epoch, Number(n)) };
  }
}
