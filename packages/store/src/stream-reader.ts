import type { ChainableCommander } from 'ioredis';
import { StoreError } from './errors.ts';
import { keys } from './keys.ts';
import type { LiveEntry } from './live-message.ts';
import type { RedisLike } from './redis.ts';

/** A run of a session's stored events (oldest first) and the stream's epoch. */
export interface StreamSnapshot {
  epoch: string | null;
  entries: LiveEntry[];
}

type RawEntry = [id: string, fields: string[]];
type Reply<T> = [Error | null, T];

function toEntry(raw: RawEntry, epoch: string): LiveEntry {
  const [id, fields] = raw;
  let n = Number.NaN;
  let body: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'n') n = Number(fields[i + 1]);
    else if (fields[i] === 'b') body = fields[i + 1];
  }
  if (body === undefined || !Number.isSafeInteger(n)) {
    throw new StoreError('bad_stream_entry', `stream entry ${id} lacks its n/b fields`);
  }
  return { id, n, epoch, body };
}

// The range and the epoch are read in one MULTI so they describe the same moment of the stream
// (both keys carry the session's hash tag: one Cluster slot).
async function readWithEpoch(
  redis: RedisLike,
  sid: string,
  range: (tx: ChainableCommander) => ChainableCommander,
): Promise<{ epoch: string | null; raw: RawEntry[] }> {
  const res = await range(redis.multi()).hget(keys.streamMeta(sid), 'epoch').exec();
  if (!res) throw new StoreError('transaction_aborted', 'stream read was aborted');
  const [[rangeErr, raw], [epochErr, epoch]] = res as [Reply<RawEntry[]>, Reply<string | null>];
  if (rangeErr) throw rangeErr;
  if (epochErr) throw epochErr;
  return { epoch, raw };
}

/** Reads the newest `count` events of a session, returned oldest first, with the epoch. */
export async function readLatest(redis: RedisLike, sid: string, count: number): Promise<StreamSnapshot> {
  const { epoch, raw } = await readWithEpoch(redis, sid, (tx) =>
    tx.xrevrange(keys.events(sid), '+', '-', 'COUNT', count),
  );
  return { epoch, entries: raw.map((r) => toEntry(r, epoch ?? '')).reverse() };
}

/** Reads the events after stream id `afterId` (exclusive), oldest first, at most `count`. */
export async function readAfter(
  redis: RedisLike,
  sid: string,
  afterId: string,
  count: number,
): Promise<StreamSnapshot> {
  const { epoch, raw } = await readWithEpoch(redis, sid, (tx) =>
    tx.xrange(keys.events(sid), `(${afterId}`, '+', 'COUNT', count),
  );
  return { epoch, entries: raw.map((r) => toEntry(r, epoch ?? '')) };
}
