import { Redis, type RedisOptions } from 'ioredis';

export type { Redis } from 'ioredis';

/** Options every wasock Redis connection shares. */
export interface ConnectOptions {
  /** Shown in CLIENT LIST, so an operator can count connections per app. */
  name: string;
  /** Fail commands fast while disconnected (edge handshakes) instead of queueing them. */
  failFast?: boolean;
  extra?: RedisOptions;
}

/** Opens a Redis connection that reconnects forever with capped backoff. */
export function connectRedis(url: string, opts: ConnectOptions): Redis {
  return new Redis(url, {
    connectionName: opts.name,
    // Reconnect forever: Redis coming back is the normal end of an outage.
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    maxRetriesPerRequest: opts.failFast ? 1 : null,
    enableOfflineQueue: true,
    ...opts.extra,
  });
}
