import { join } from 'node:path';
import { connectRedis, newToken, type Redis, TokenStore } from '@wasock/store';
import { AppProcess } from '@wasock/testkit';
import { NatsServer, STREAM, subjectOf } from './baselines/jetstream.ts';
import type { WireMode } from './baselines/wire-limit.ts';
import type { Target } from './clients/types.ts';
import { Child } from './ipc.ts';
import type { SourceInit } from './source.ts';
import type { TokenRef } from './tokens.ts';

// Every system the bench measures, behind one handle: where clients connect, who publishes,
// which process holds the client sockets (for RSS and CPU), and how tokens are made.

export type SystemId = 'wasock' | 'wire-line' | 'wire-coalesced' | 'naive' | 'nats';

/** Display names, in the order tables and charts list the systems. */
export const SYSTEM_LABELS: Record<SystemId, string> = {
  wasock: 'wasock sock-edge',
  'wire-line': 'wire limit (1 line/write)',
  'wire-coalesced': 'wire limit (coalesced)',
  naive: 'naive edge (XREAD BLOCK/client)',
  nats: 'NATS JetStream',
};

export const ALL_SYSTEMS: SystemId[] = ['wasock', 'wire-line', 'wire-coalesced', 'naive', 'nats'];

const SRC = import.meta.dirname;
export const REPO_ROOT = join(SRC, '..', '..');

/** What a run shares with every system: its Redis, and where profiles go when asked for. */
export interface RunEnv {
  redisUrl: string;
  /** Coordinator's own Redis connection (named `bench-coordinator`, left out of counts). */
  redis: Redis;
  cpuProfDir?: string;
}

/** A started system under test. */
export interface System {
  id: SystemId;
  target: Target;
  /** The process holding the client sockets. */
  serverPid: number;
  /** The child that publishes events (prepare/flood/rate). */
  source: Child;
  /** Creates `n` tokens this system accepts. */
  makeTokens(n: number): Promise<TokenRef[]>;
  stop(): Promise<void>;
}

const serverFlags = (): string[] => ['--expose-gc', '--import', join(SRC, 'gc-hook.ts')];

async function redisTokens(redis: Redis, n: number): Promise<TokenRef[]> {
  const store = new TokenStore(redis);
  const out: TokenRef[] = [];
  for (let i = 0; i < n; i += 500) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(500, n - i) }, () => store.create({ label: 'bench' })),
    );
    for (const { token, sid } of batch) out.push({ token, sid, subject: subjectOf(token) });
  }
  return out;
}

function plainTokens(n: number): Promise<TokenRef[]> {
  return Promise.resolve(
    Array.from({ length: n }, (_, i) => {
      const token = newToken();
      return { token, sid: String(i), subject: subjectOf(token) };
    }),
  );
}

async function redisSource(env: RunEnv): Promise<Child> {
  const source = new Child(join(SRC, 'source.ts'), 'source');
  await source.call('init', { kind: 'redis', url: env.redisUrl } satisfies SourceInit);
  return source;
}

async function startWasock(env: RunEnv): Promise<System> {
  const flags = serverFlags();
  if (env.cpuProfDir) flags.push('--cpu-prof', '--cpu-prof-dir', env.cpuProfDir);
  const edge = new AppProcess(process.execPath, [...flags, join(REPO_ROOT, 'apps/sock-edge/src/main.ts')], {
    env: {
      REDIS_URL: env.redisUrl,
      EDGE_PORT: '0',
      EDGE_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      // One hot token with 10,000 clients is the fan-out scenario itself, not abuse.
      EDGE_MAX_CONNECTIONS_PER_TOKEN: '100000',
      LOG_LEVEL: 'info',
    },
  });
  const m = await edge.waitForOutput(/"port":(\d+),"httpPort":(\d+)/);
  const source = await redisSource(env);
  return {
    id: 'wasock',
    target: { protocol: 'line', host: '127.0.0.1', port: Number(m[1]) },
    serverPid: edge.child.pid ?? -1,
    source,
    makeTokens: (n) => redisTokens(env.redis, n),
    async stop() {
      await source.stop();
      // SIGTERM lets the edge drain and, with --cpu-prof, write its profile.
      await edge.stop('SIGTERM');
    },
  };
}

async function startWire(id: 'wire-line' | 'wire-coalesced'): Promise<System> {
  const mode: WireMode = id === 'wire-line' ? 'line' : 'coalesced';
  const server = new Child(join(SRC, 'baselines/wire-limit.ts'), id, { execArgv: serverFlags() });
  const { port } = await server.call<{ port: number }>('listen', { mode });
  return {
    id,
    target: { protocol: 'line', host: '127.0.0.1', port },
    serverPid: server.pid,
    source: server,
    makeTokens: plainTokens,
    stop: () => server.stop(),
  };
}

async function startNaive(env: RunEnv): Promise<System> {
  const server = new Child(join(SRC, 'baselines/naive-edge.ts'), 'naive-edge', { execArgv: serverFlags() });
  const { port } = await server.call<{ port: number }>('listen', { redisUrl: env.redisUrl });
  const source = await redisSource(env);
  return {
    id: 'naive',
    target: { protocol: 'line', host: '127.0.0.1', port },
    serverPid: server.pid,
    source,
    makeTokens: (n) => redisTokens(env.redis, n),
    async stop() {
      await source.stop();
      await server.stop();
    },
  };
}

async function startNats(): Promise<System> {
  const nats = await NatsServer.start();
  const source = new Child(join(SRC, 'source.ts'), 'nats-source');
  await source.call('init', { kind: 'nats', host: '127.0.0.1', port: nats.port } satisfies SourceInit);
  return {
    id: 'nats',
    target: { protocol: 'nats', host: '127.0.0.1', port: nats.port, stream: STREAM },
    serverPid: nats.pid,
    source,
    makeTokens: plainTokens,
    async stop() {
      await source.stop();
      await nats.stop();
    },
  };
}

/** Starts one system on a clean slate (Redis flushed for the Redis-backed ones). */
export async function startSystem(id: SystemId, env: RunEnv): Promise<System> {
  if (id === 'wasock' || id === 'naive') await env.redis.flushall();
  switch (id) {
    case 'wasock':
      return startWasock(env);
    case 'naive':
      return startNaive(env);
    case 'nats':
      return startNats();
    default:
      return startWire(id);
  }
}

/** The coordinator's own Redis connection, named so connection counts can leave it out. */
export function coordinatorRedis(url: string): Redis {
  return connectRedis(url, { name: 'bench-coordinator' });
}
