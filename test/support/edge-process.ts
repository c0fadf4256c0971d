import { join } from 'node:path';
import { AppProcess } from '@wasock/testkit';

export const repoRoot = join(import.meta.dirname, '..', '..');

/** A sock-edge child process on free ports, with the ports it reported. */
export interface EdgeProcess {
  proc: AppProcess;
  port: number;
  httpPort: number;
  metrics(): Promise<string>;
  /** Heap used after a full collection; only for edges started with `--expose-gc`. */
  heapAfterGc(): Promise<number>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `apps/sock-edge` exactly as `pnpm sock-edge` does, against `redisUrl`. */
export async function startEdge(
  redisUrl: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<EdgeProcess> {
  const proc = new AppProcess(process.execPath, [...nodeArgs, join(repoRoot, 'apps/sock-edge/src/main.ts')], {
    env: {
      REDIS_URL: redisUrl,
      EDGE_PORT: '0',
      EDGE_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      // Every test client comes from 127.0.0.1; the brute-force limit is tested on its own.
      EDGE_AUTH_FAILURES_PER_MINUTE: '1000000',
      ...env,
    },
  });
  const m = await proc.waitForOutput(/"port":(\d+),"httpPort":(\d+)/);
  const port = Number(m[1]);
  const httpPort = Number(m[2]);
  return {
    proc,
    port,
    httpPort,
    metrics: async () => (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text(),
    heapAfterGc: async () => {
      const res = await fetch(`http://127.0.0.1:${httpPort}/debug/gc`, { method: 'POST' });
      return ((await res.json()) as { heapUsed: number }).heapUsed;
    },
    stop: (signal = 'SIGTERM') => proc.stop(signal),
  };
}

/** Reads one sample value from Prometheus text output (labels in exposition order). */
export function metricValue(text: string, name: string, labels = ''): number {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const [series, value] = line.split(' ');
    if (!series || value === undefined) continue;
    const bare = series.replace(/,?app="[^"]*"/, '').replace('{}', '');
    if (bare === `${name}${labels}`) return Number(value);
  }
  return 0;
}
