import { parseEvent, type StoredEvent, toAsciiJson } from '@wasock/contracts';
import type { DedupeKey } from './dedupe.ts';
import { formatEventId, newEpoch } from './epoch.ts';
import { keys } from './keys.ts';
import { PUBLISH_LUA } from './publish-script.ts';
import { isCluster, type RedisLike } from './redis.ts';

/** The default and usual stream length: seed 000 replays the last 50 events. */
export const DEFAULT_STREAM_MAXLEN = 50;

/** How long published message ids are remembered for dedupe: WhatsApp re-delivers within days. */
export const DEFAULT_DEDUPE_TTL_MS = 7 * 24 * 3600 * 1000;

export interface Published {
  /** Redis stream entry id. */
  id: string;
  n: number;
  epoch: string;
  /** `<epoch>:<n>`, as hello clients with `ids` see it. */
  eventId: string;
}

type WithPublish = RedisLike & {
  wasockPublish(...args: (string | number)[]): Promise<[string, number, string] | null>;
};

/** Validates seed 000 events and appends them to a session's stream, announcing each live. */
export class StreamPublisher {
  private readonly redis: WithPublish;
  private readonly maxLen: number;
  private readonly dedupeTtlMs: number;
  private readonly sharded: boolean;

  /**
   * `sharded` publishes live entries with SPUBLISH (the edge SSUBSCRIBEs); it defaults to
   * whether `redis` is a Cluster, where the live channel's hash tag puts it in the session's slot.
   */
  constructor(redis: RedisLike, opts: { maxLen?: number; dedupeTtlMs?: number; sharded?: boolean } = {}) {
    this.maxLen = opts.maxLen ?? DEFAULT_STREAM_MAXLEN;
    this.sharded = opts.sharded ?? isCluster(redis);
    this.dedupeTtlMs = opts.dedupeTtlMs ?? DEFAULT_DEDUPE_TTL_MS;
    if (!Number.isInteger(this.maxLen) || this.maxLen < 1)
      throw new RangeError('maxLen must be a positive integer');
    if (!('wasockPublish' in redis))
      redis.defineCommand('wasockPublish', { numberOfKeys: 4, lua: PUBLISH_LUA });
    this.redis = redis as WithPublish;
  }

  /**
   * Validates `event` against the seed 000 contract (a `number` field is dropped) and appends it
   * in one atomic round trip: XADD MAXLEN = maxLen, stream meta, (S)PUBLISH on the live channel.
   */
  async publish(sid: string, event: unknown): Promise<Published> {
    const published = await this.append(sid, event, undefined);
    if (!published) throw new Error('publish without dedupe cannot be refused');
    return published;
  }

  /** Like `publish`, but appends nothing and returns null when `key` says it was published before. */
  publishOnce(sid: string, event: unknown, key: DedupeKey): Promise<Published | null> {
    return this.append(sid, event, key);
  }

  private async append(sid: string, event: unknown, key: DedupeKey | undefined): Promise<Published | null> {
    const stored: StoredEvent = parseEvent(event);
    const args: (string | number)[] = [
      keys.events(sid),
      keys.streamMeta(sid),
      keys.live(sid),
      keys.seen(sid),
      toAsciiJson(stored),
      this.maxLen,
      newEpoch(),
      Date.now(),
      this.dedupeTtlMs,
      key?.mark ?? '',
      this.sharded ? '1' : '0',
      ...(key?.seenIf ?? []),
    ];
    const res = await this.redis.wasockPublish(...args);
    if (res === null) return null;
    const [id, n, epoch] = res;
    return { id, n: Number(n), epoch, eventId: formatEventId(epoch, Number(n)) };
  }
}
