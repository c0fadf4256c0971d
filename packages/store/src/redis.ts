import { Cluster, Redis, type RedisOptions } from 'ioredis';

export type { Cluster, Redis } from 'ioredis';

/**
 * What the stores and apps use of a connection: one Redis server or a Redis Cluster. Only
 * commands both accept are called on it; where Cluster needs another shape (keys in several
 * slots, sharded pub/sub) the caller checks `isCluster`.
 */
export type RedisLike = Redis | Cluster;

/** A Redis Cluster seed node. */
export interface ClusterSeed {
  host: string;
  port: number;
}

/** Where Redis is, as every app's configuration spells it. */
export interface RedisTarget {
  REDIS_URL: string;
  /** Seeds of a Redis Cluster; REDIS_URL's credentials and TLS then apply to every node. */
  REDIS_CLUSTER_NODES?: readonly ClusterSeed[] | undefined;
}

/** Options every wasock Redis connection shares. */
export interface ConnectOptions {
  /** Shown in CLIENT LIST, so an operator can count connections per app. */
  name: string;
  /** Fail commands fast while disconnected (edge handshakes) instead of queueing them. */
  failFast?: boolean;
  extra?: RedisOptions;
  /**
   * Cluster only: route SSUBSCRIBE to one subscriber connection per master (the edge's live
   * channels). Ignored on a single server.
   */
  shardedSubscribers?: boolean;
}

// Reconnect forever: Redis coming back is the normal end of an outage.
const backoff = (times: number): number => Math.min(50 * 2 ** Math.min(times, 6), 2000);

/** Opens a Redis connection that reconnects forever with capped backoff. */
export function connectRedis(url: string, opts: ConnectOptions): Redis {
  return new Redis(url, {
    connectionName: opts.name,
    retryStrategy: backoff,
    maxRetriesPerRequest: opts.failFast ? 1 : null,
    enableOfflineQueue: true,
    ...opts.extra,
  });
}

/** Opens REDIS_URL, or a Redis Cluster when REDIS_CLUSTER_NODES is set: the one switch of every app. */
export function openRedis(target: RedisTarget, opts: ConnectOptions): RedisLike {
  const seeds = target.REDIS_CLUSTER_NODES;
  if (!seeds || seeds.length === 0) return connectRedis(target.REDIS_URL, opts);
  return connectCluster(seeds, target.REDIS_URL, opts);
}

/** Opens a Redis Cluster from seed nodes; `url`'s user, password and `rediss:` (TLS) apply to every node. */
export function connectCluster(seeds: readonly ClusterSeed[], url: string, opts: ConnectOptions): Cluster {
  const parsed = new URL(url);
  const nodeAuth: RedisOptions = {
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  // A caller that wants no reconnects (the CLI) says so with retryStrategy; the cluster as a
  // whole follows the same policy as its nodes.
  const retry = opts.extra && 'retryStrategy' in opts.extra ? opts.extra.retryStrategy : backoff;
  return new Cluster(
    seeds.map((s) => ({ host: s.host, port: s.port })),
    {
      clusterRetryStrategy: (times) => retry?.(times) ?? null,
      enableOfflineQueue: true,
      shardedSubscribers: opts.shardedSubscribers ?? false,
      redisOptions: {
        connectionName: opts.name,
        maxRetriesPerRequest: opts.failFast ? 1 : null,
        ...nodeAuth,
        ...opts.extra,
      },
    },
  );
}

/** True for a Redis Cluster connection. */
export function isCluster(redis: RedisLike): redis is Cluster {
  return redis.isCluster;
}

/** A second connection like `redis` (same server or cluster, same options) under another client name. */
export function duplicateAs(redis: RedisLike, name: string): RedisLike {
  if (!isCluster(redis)) return redis.duplicate({ connectionName: name });
  return redis.duplicate(undefined, {
    redisOptions: { ...redis.options.redisOptions, connectionName: name },
  });
}
