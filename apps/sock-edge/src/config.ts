import { env } from '@wasock/runtime';
import { z } from 'zod';

/** sock-edge settings, from the environment (see the README table). */
export const EdgeConfig = z.object({
  REDIS_URL: env.redisUrl(),
  REDIS_CLUSTER_NODES: env.redisClusterNodes(),
  EDGE_HOST: z.string().min(1).default('0.0.0.0'),
  EDGE_PORT: env.port(5026),
  HTTP_HOST: z.string().min(1).default('0.0.0.0'),
  HTTP_PORT: env.port(9465),
  EDGE_AUTH_TIMEOUT_MS: env.int(5000, 100, 600_000),
  EDGE_QUIET_GAP_MS: env.int(100, 10, 5000),
  EDGE_MAX_HANDSHAKE_BYTES: env.int(1024, 64, 65_536),
  EDGE_REPLAY_COUNT: env.int(50, 1, 10_000),
  EDGE_MAX_BUFFERED_BYTES: env.int(4 * 1024 * 1024, 4096),
  EDGE_MAX_CONNECTIONS: env.int(200_000, 1),
  EDGE_MAX_PENDING_HANDSHAKES: env.int(10_000, 1),
  EDGE_MAX_CONNECTIONS_PER_TOKEN: env.int(100, 1),
  EDGE_AUTH_FAILURES_PER_MINUTE: env.int(30, 1),
  EDGE_DRAIN_TIMEOUT_MS: env.int(10_000, 0, 600_000),
  EDGE_PROXY_PROTOCOL: env.bool(false),
  EDGE_REDIS_COMMAND_TIMEOUT_MS: env.int(3000, 100, 60_000),
  LOG_LEVEL: env.logLevel(),
});
export type EdgeConfig = z.infer<typeof EdgeConfig>;
