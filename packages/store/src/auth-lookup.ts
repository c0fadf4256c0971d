import { keys } from './keys.ts';
import { isCluster, type RedisLike } from './redis.ts';

/** What one handshake needs from Redis: the token's session and the address's failure count. */
export interface AuthLookup {
  sid: string | null;
  failures: number;
}

/**
 * Token lookup and per-address brute-force accounting, shared by every edge replica through
 * Redis so a client cannot spread its guesses over replicas.
 */
export class AuthStore {
  private readonly redis: RedisLike;

  constructor(redis: RedisLike) {
    this.redis = redis;
  }

  /** Reads the session of a token hash and the failures of an address in one round trip. */
  async lookup(tokenHash: string, address: string): Promise<AuthLookup> {
    if (isCluster(this.redis)) {
      // The two keys hash to different slots (a pipeline would span nodes): two commands, sent
      // together, so the handshake still waits for one round trip.
      const [sid, failures] = await Promise.all([
        this.redis.get(keys.token(tokenHash)),
        this.redis.get(keys.authFailures(address)),
      ]);
      return { sid, failures: Number(failures ?? 0) };
    }
    const res = await this.redis.pipeline().get(keys.token(tokenHash)).get(keys.authFailures(address)).exec();
    const [[tokenErr, sid], [failErr, failures]] = (res ?? []) as [
      [Error | null, string | null],
      [Error | null, string | null],
    ];
    if (tokenErr) throw tokenErr;
    if (failErr) throw failErr;
    return { sid, failures: Number(failures ?? 0) };
  }

  /**
   * The lookups of many handshakes at once, in their order: one MGET of every token key and of
   * each distinct address's counter. On Cluster the keys live in many slots, so each handshake
   * keeps its own lookup (all sent together).
   */
  async lookupMany(requests: readonly { tokenHash: string; address: string }[]): Promise<AuthLookup[]> {
    if (isCluster(this.redis)) return Promise.all(requests.map((r) => this.lookup(r.tokenHash, r.address)));
    const addresses = [...new Set(requests.map((r) => r.address))];
    const values = await this.redis.mget([
      ...requests.map((r) => keys.token(r.tokenHash)),
      ...addresses.map((a) => keys.authFailures(a)),
    ]);
    const failures = new Map(addresses.map((a, i) => [a, Number(values[requests.length + i] ?? 0)]));
    return requests.map((r, i) => ({ sid: values[i] ?? null, failures: failures.get(r.address) ?? 0 }));
  }

  /** Counts a failed handshake of an address; the count resets `windowMs` after the first failure. */
  async recordFailure(address: string, windowMs: number): Promise<number> {
    const key = keys.authFailures(address);
    const res = await this.redis.multi().incr(key).pexpire(key, windowMs, 'NX').exec();
    return Number(res?.[0]?.[1] ?? 0);
  }
}
