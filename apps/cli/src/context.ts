import { env, loadConfig } from '@wasock/runtime';
import { connectRedis, type Redis } from '@wasock/store';
import { z } from 'zod';

const CliConfig = z.object({ REDIS_URL: env.redisUrl() });

/** What every command gets: a Redis connection and where to print. */
export interface CliContext {
  redis: Redis;
  out: (line: string) => void;
}

/** Opens the CLI's Redis connection from REDIS_URL; fails fast when Redis is down. */
export function openContext(): CliContext {
  const { REDIS_URL } = loadConfig(CliConfig);
  const redis = connectRedis(REDIS_URL, {
    name: 'wasock-cli',
    failFast: true,
    extra: { retryStrategy: () => null, connectTimeout: 5000 },
  });
  return { redis, out: (line) => process.stdout.write(`${line}\n`) };
}
