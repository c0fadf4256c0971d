import { keys } from './keys.ts';
import { isCluster, type RedisLike } from './redis.ts';

// Renew and release only if we still hold the lease: a worker that stalled past its TTL must
// not extend or delete a lease another worker has taken since.
const RENEW_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

type WithLease = RedisLike & {
  wasockLeaseRenew(key: string, owner: string, ttlMs: number): Promise<number>;
  wasockLeaseRelease(key: string, owner: string): Promise<number>;
};

/** Session leases (`SET NX PX`) and the worker heartbeat registry. */
export class LeaseStore {
  private readonly redis: WithLease;

  constructor(redis: RedisLike) {
    if (!('wasockLeaseRenew' in redis)) {
      redis.defineCommand('wasockLeaseRenew', { numberOfKeys: 1, lua: RENEW_LUA });
      redis.defineCommand('wasockLeaseRelease', { numberOfKeys: 1, lua: RELEASE_LUA });
    }
    this.redis = redis as WithLease;
  }

  /** Takes the lease of a session if nobody holds it. */
  async acquire(sid: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(keys.lease(sid), owner, 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** Extends our lease; false when it expired or another worker holds it now. */
  async renew(sid: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.wasockLeaseRenew(keys.lease(sid), owner, ttlMs)) === 1;
  }

  /** Gives the lease up (clean shutdown), if we still hold it. */
  async release(sid: string, owner: string): Promise<boolean> {
    return (await this.redis.wasockLeaseRelease(keys.lease(sid), owner)) === 1;
  }

  /** The holders of the given sessions' leases (null where none). */
  async owners(sids: string[]): Promise<(string | null)[]> {
    if (sids.length === 0) return [];
    // Each lease key has its session's hash tag: on Cluster, MGET would cross slots.
    if (isCluster(this.redis)) return Promise.all(sids.map((sid) => this.redis.get(keys.lease(sid))));
    return this.redis.mget(sids.map((sid) => keys.lease(sid)));
  }

  /** Records that a worker is alive. */
  async heartbeat(workerId: string, now = Date.now()): Promise<void> {
    await this.redis.zadd(keys.workers(), now, workerId);
  }

  /** Worker ids seen within `windowMs`; older entries are pruned. */
  async liveWorkers(windowMs: number, now = Date.now()): Promise<string[]> {
    await this.redis.zremrangebyscore(keys.workers(), '-inf', now - windowMs);
    return this.redis.zrange(keys.workers(), 0, -1);
  }

  /** Removes a worker from the registry (clean shutdown). */
  async leave(workerId: string): Promise<void> {
    await this.redis.zrem(keys.workers(), workerId);
  }
}
