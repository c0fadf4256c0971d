import { hostname } from 'node:os';
import { env } from '@wasock/runtime';
import { z } from 'zod';

/** session-worker settings, from the environment (see the README table). */
export const WorkerConfig = z.object({
  REDIS_URL: env.redisUrl(),
  REDIS_CLUSTER_NODES: env.redisClusterNodes(),
  WA_URL: z
    .string()
    .regex(/^wss?:\/\//, 'must be a ws:// or wss:// URL')
    .default('wss://web.whatsapp.com/ws'),
  WA_ORIGIN: z.string().url().default('https://web.whatsapp.com'),
  // Sessions created without `--connector` use this one (see the README, "Choosing a connector").
  WA_CONNECTOR: z.enum(['legacy', 'multidevice']).default('multidevice'),
  // WhatsApp Web version the multi-device connector announces (`2.3000.1234567890`); Baileys' own when unset.
  WA_MD_VERSION: z
    .string()
    .regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, 'must be three numbers, e.g. 2.3000.1023223821')
    .optional(),
  WA_MEDIA_UPLOAD_URL: z.string().url().optional(),
  WA_KEEPALIVE_MS: env.int(20_000, 100, 600_000),
  WA_DEAD_AFTER_MS: env.int(25_000, 200, 600_000),
  CREDS_KEY: z.string().min(1, 'is required: 32 bytes, base64 or hex (e.g. `openssl rand -base64 32`)'),
  WORKER_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/)
    .default(`${hostname()}-${process.pid}`),
  HTTP_HOST: z.string().min(1).default('0.0.0.0'),
  HTTP_PORT: env.port(9466),
  LEASE_TTL_MS: env.int(15_000, 1000, 600_000),
  LEASE_RENEW_MS: env.int(5000, 100, 300_000),
  SCHEDULE_INTERVAL_MS: env.int(2000, 100, 300_000),
  PUBLISH_QUEUE_MAX: env.int(10_000, 1, 10_000_000),
  STREAM_MAXLEN: env.int(50, 1, 10_000),
  MEDIA_DIR: z.string().min(1).default('.tmp/media'),
  MEDIA_BASE_URL: z.string().url().optional(),
  MEDIA_MAX_BYTES: env.int(64 * 1024 * 1024, 1024),
  MEDIA_CONCURRENCY: env.int(4, 1, 256),
  MEDIA_ATTEMPTS: env.int(5, 1, 100),
  LOG_LEVEL: env.logLevel(),
  // Baileys (the multi-device library) logs every frame below warn; its own level keeps that out.
  LOG_LEVEL_BAILEYS: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
});
export type WorkerConfig = z.infer<typeof WorkerConfig>;

/** What is known about a session when a worker claims it, for choosing its connector. */
export interface ConnectorEvidence {
  /** The connector recorded at creation (`--connector`), if any. */
  recorded?: 'legacy' | 'multidevice';
  /** Legacy credentials are stored (`wasock:{sid}:creds`). */
  legacyCreds: boolean;
  /** A multi-device auth state is stored (`wasock:{sid}:md-auth`). */
  multiDeviceAuth: boolean;
}

/**
 * The connector that runs a session: the one recorded at creation; else, for a session already
 * linked, the protocol it is linked with (changing `WA_CONNECTOR`, or upgrading a deployment
 * whose sessions predate the record, must not throw a working link away); else the default.
 */
export function connectorFor(
  evidence: ConnectorEvidence,
  fallback: WorkerConfig['WA_CONNECTOR'],
): 'legacy' | 'multidevice' {
  if (evidence.recorded) return evidence.recorded;
  if (evidence.legacyCreds) return 'legacy';
  if (evidence.multiDeviceAuth) return 'multidevice';
  return fallback;
}
