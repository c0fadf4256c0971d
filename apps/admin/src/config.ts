import { ConfigError, env, loadConfig } from '@wasock/runtime';
import { z } from 'zod';

/** The admin token: long enough that guessing it online is hopeless. */
export const AdminToken = z.string().min(16, 'must be at least 16 characters').max(1024);

/** admin settings other than the token, from the environment (see the README table). */
export const AdminSettings = z.object({
  REDIS_URL: env.redisUrl(),
  REDIS_CLUSTER_NODES: env.redisClusterNodes(),
  HTTP_HOST: z.string().min(1).default('0.0.0.0'),
  HTTP_PORT: env.port(8080),
  LOG_LEVEL: env.logLevel(),
  EDGE_PUBLIC_ADDRESS: z.string().min(1).max(256).optional(),
  SENDS_PER_MINUTE: env.int(60, 1, 100_000),
});

/** Everything the admin app is configured with. */
export type AdminConfig = z.infer<typeof AdminSettings> & { ADMIN_TOKEN: string };

/**
 * Reads the configuration. ADMIN_TOKEN is checked apart from the rest because `loadConfig`
 * quotes bad values in its message, and a secret must never reach a log or a terminal.
 */
export function loadAdminConfig(source: NodeJS.ProcessEnv = process.env): AdminConfig {
  const settings = loadConfig(AdminSettings, source);
  const raw = source.ADMIN_TOKEN === '' ? undefined : source.ADMIN_TOKEN;
  if (raw === undefined) {
    throw new ConfigError(
      'invalid configuration: ADMIN_TOKEN: is required (at least 16 characters, e.g. `openssl rand -base64 24`)',
    );
  }
  const token = AdminToken.safeParse(raw);
  if (!token.success) {
    const why = token.error.issues.map((i) => i.message).join('; ');
    throw new ConfigError(`invalid configuration: ADMIN_TOKEN: ${why} (value not shown)`);
  }
  return { ...settings, ADMIN_TOKEN: token.data };
}
