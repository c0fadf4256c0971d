import { env, loadConfig } from '@wasock/runtime';
import { openRedis, type RedisLike } from '@wasock/store';
import { z } from 'zod';

const CliConfig = z.object({ REDIS_URL: env.redisUrl(), REDIS_CLUSTER_NODES: env.redisClusterNodes() });

/** What every command gets: Redis on first use, where to print, and how the terminal looks. */
export interface CliContext {
  /** Connected on first access, so commands that never touch Redis (events tail) never need it. */
  readonly redis: RedisLike;
  out: (line: string) => void;
  /** Whether stdout is a terminal: redraws with ANSI escapes only then. */
  readonly tty: boolean;
  /** Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
  readonly color: boolean;
  /** The last error of the Redis connection, if any: the cause behind a "Connection is closed". */
  redisError(): Error | undefined;
  /** Closes whatever the command opened through the context. */
  close(): void;
}

/**
 * Opens the CLI's context; REDIS_URL (and REDIS_CLUSTER_NODES) are read, validated and connected
 * when a command first needs Redis.
 */
export function openContext(): CliContext {
  let redis: RedisLike | undefined;
  let redisError: Error | undefined;
  const tty = process.stdout.isTTY === true;
  return {
    get redis() {
      redis ??= openRedis(loadConfig(CliConfig), {
        name: 'wasock-cli',
        failFast: true,
        extra: { retryStrategy: () => null, connectTimeout: 5000 },
      });
      // Kept for the error report: ioredis fails the pending command only with "Connection is
      // closed", and would print the real cause as an unhandled error event.
      redis.on('error', (err: Error) => {
        redisError = err;
      });
      return redis;
    },
    out: (line) => process.stdout.write(`${line}\n`),
    tty,
    color: tty && !process.env.NO_COLOR,
    redisError: () => redisError,
    close: () => redis?.disconnect(),
  };
}
