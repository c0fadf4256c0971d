import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env } from '@wasock/runtime';
import { openRedis, SessionStore } from '@wasock/store';
import { AppProcess, waitFor } from '@wasock/testkit';
import { WaSimControl } from '@wasock/wa-sim';
import { repoRoot } from './edge-process.ts';

/** The WhatsApp simulator as a child process, with its control client. */
export interface SimProcess {
  proc: AppProcess;
  wsUrl: string;
  control: WaSimControl;
  stop(): Promise<number | null>;
}

/** Starts `packages/wa-sim` on free ports, as `pnpm wa-sim` does. */
export async function startSim(args: string[] = []): Promise<SimProcess> {
  const proc = AppProcess.node(join(repoRoot, 'packages/wa-sim/src/main.ts'), [
    '--port',
    '0',
    '--control-port',
    '0',
    ...args,
  ]);
  const ws = await proc.waitForOutput(/wa-sim websocket (ws:\/\/\S+)/);
  const control = await proc.waitForOutput(/wa-sim control\s+(http:\/\/\S+)/);
  return { proc, wsUrl: ws[1]!, control: new WaSimControl(control[1]!), stop: () => proc.stop() };
}

/** A session-worker child process. */
export interface WorkerProcess {
  proc: AppProcess;
  id: string;
  httpPort: number;
  metrics(): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

// Every worker on one Redis must share CREDS_KEY (the first one records a check value and the
// others refuse to start with another key), and test files share the run's Redis: one fixed key.
const TEST_CREDS_KEY = Buffer.alloc(32, 0x5a).toString('base64');

/** The CREDS_KEY of the test run. */
export function testCredsKey(): string {
  return TEST_CREDS_KEY;
}

/**
 * Starts `apps/session-worker` with test-speed timings against a Redis and a simulator; on a
 * Redis Cluster when `env` carries `REDIS_CLUSTER_NODES`.
 */
export async function startWorker(
  redisUrl: string,
  waUrl: string,
  credsKey: string,
  env: Record<string, string> = {},
): Promise<WorkerProcess> {
  const id = env.WORKER_ID ?? `w-${randomBytes(3).toString('hex')}`;
  const proc = AppProcess.node(join(repoRoot, 'apps/session-worker/src/main.ts'), [], {
    env: {
      REDIS_URL: redisUrl,
      WA_URL: waUrl,
      WA_CONNECTOR: 'legacy',
      CREDS_KEY: credsKey,
      WORKER_ID: id,
      HTTP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      LEASE_TTL_MS: '3000',
      LEASE_RENEW_MS: '1000',
      SCHEDULE_INTERVAL_MS: '300',
      MEDIA_DIR: mkdtempSync(join(tmpdir(), 'wasock-media-')),
      ...env,
    },
  });
  const m = await proc.waitForOutput(/"httpPort":(\d+)/);
  const httpPort = Number(m[1]);
  return {
    proc,
    id,
    httpPort,
    metrics: async () => (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text(),
    stop: (signal = 'SIGTERM') => proc.stop(signal),
  };
}

/**
 * Links a session the way a person does: waits for the QR the worker shows, scans it with the
 * simulated phone, waits until the session is connected. Returns the simulator's session id.
 * `clusterNodes` (as REDIS_CLUSTER_NODES spells them) reads the session from a Redis Cluster.
 */
export async function linkSession(
  redisUrl: string,
  sim: WaSimControl,
  sid: string,
  wid?: string,
  opts: { clusterNodes?: string } = {},
): Promise<string> {
  const redis = openRedis(
    { REDIS_URL: redisUrl, REDIS_CLUSTER_NODES: env.redisClusterNodes().parse(opts.clusterNodes) },
    { name: 'wasock-test-link' },
  );
  try {
    const sessions = new SessionStore(redis);
    const qr = await waitFor(async () => (await sessions.get(sid))?.qr, {
      what: `the QR of ${sid}`,
      timeoutMs: 15_000,
    });
    const summary = await sim.scan({ qr, ...(wid ? { wid } : {}) });
    await waitFor(async () => (await sessions.get(sid))?.state === 'connected', {
      what: `${sid} connected`,
      timeoutMs: 15_000,
    });
    return summary.id;
  } finally {
    redis.disconnect();
  }
}
