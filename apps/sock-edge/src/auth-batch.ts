import { type AuthLookup, type AuthStore, isCluster, keys, type RedisLike } from '@wasock/store';

// A reconnect storm brings thousands of handshakes within a few event-loop turns, and each would
// send its own two-GET pipeline: one write to Redis, two commands with their timers and a
// pipeline object per client. The handshakes of one turn are looked up together instead: one
// MGET of their token keys and their addresses' failure counters. On Cluster each handshake keeps its own
// lookup (AuthStore's), since the keys of one batch live in many slots.

interface Waiting {
  tokenHash: string;
  address: string;
  resolve: (lookup: AuthLookup) => void;
  reject: (err: unknown) => void;
}

/** Most handshakes in one MGET: a bigger batch would hold Redis for one long reply. */
const MAX_BATCH = 1000;

/** The AuthStore lookup (session of a token hash, failures of an address), batched per turn. */
export class AuthBatch {
  private readonly redis: RedisLike;
  private readonly store: AuthStore;
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(redis: RedisLike, store: AuthStore) {
    this.redis = redis;
    this.store = store;
  }

  /** Reads the session of a token hash and the failures of an address, with the turn's others. */
  lookup(tokenHash: string, address: string): Promise<AuthLookup> {
    if (isCluster(this.redis)) return this.store.lookup(tokenHash, address);
    return new Promise((resolve, reject) => {
      this.waiting.push({ tokenHash, address, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.send);
      }
    });
  }

  private readonly send = (): void => {
    this.scheduled = false;
    const all = this.waiting;
    this.waiting = [];
    for (let i = 0; i < all.length; i += MAX_BATCH) void this.lookupBatch(all.slice(i, i + MAX_BATCH));
  };

  private async lookupBatch(batch: Waiting[]): Promise<void> {
    const addresses = [...new Set(batch.map((w) => w.address))];
    // One MGET for the token keys and the failure counters both: one command, one reply.
    let values: (string | null)[];
    try {
      values = await this.redis.mget([
        ...batch.map((w) => keys.token(w.tokenHash)),
        ...addresses.map((a) => keys.authFailures(a)),
      ]);
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    const sids = values.slice(0, batch.length);
    const failures = values.slice(batch.length);
    const byAddress = new Map(addresses.map((a, i) => [a, Number(failures[i] ?? 0)]));
    batch.forEach((w, i) => {
      w.resolve({ sid: sids[i] ?? null, failures: byAddress.get(w.address) ?? 0 });
    });
  }
}
