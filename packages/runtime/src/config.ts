import { WasockError } from '@wasock/contracts';
import { z } from 'zod';

/** A configuration value from the environment failed validation; the message names the variable. */
export class ConfigError extends WasockError {
  constructor(message: string) {
    super('config_invalid', message);
  }
}

/**
 * Parses the environment with a zod object whose keys are the variable names. Unknown variables
 * are ignored; every invalid one is listed by name.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    // An empty variable means "not set" (compose and k8s templates often render empty values).
    input[key] = value === '' ? undefined : value;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const shown = typeof input[name] === 'string' ? ` (got ${JSON.stringify(input[name])})` : '';
    return `${name}: ${issue.message}${shown}`;
  });
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}

/** Env helpers: a TCP port, a positive integer with a default, a boolean flag, Redis addresses. */
export const env = {
  port: (def: number) => z.coerce.number().int().min(0).max(65_535).default(def),
  int: (def: number, min = 1, max = Number.MAX_SAFE_INTEGER) =>
    z.coerce.number().int().min(min).max(max).default(def),
  bool: (def: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default(def ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  redisUrl: () =>
    z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .default('redis://127.0.0.1:6379'),
  /**
   * `REDIS_CLUSTER_NODES`: comma-separated `host:port` seeds of a Redis Cluster (IPv6 as
   * `[addr]:port`); unset means a single Redis at REDIS_URL.
   */
  redisClusterNodes: () =>
    z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined) return undefined;
        const seeds: { host: string; port: number }[] = [];
        for (const part of text.split(',')) {
          const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$/.exec(part.trim());
          const port = Number(m?.[2]);
          if (!m?.[1] || port < 1 || port > 65_535) {
            ctx.addIssue({ code: 'custom', message: `each seed must be host:port (got "${part.trim()}")` });
            return z.NEVER;
          }
          seeds.push({ host: m[1].replace(/^\[|\]$/g, ''), port });
        }
        return seeds;
      }),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};
