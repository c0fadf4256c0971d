import { request } from 'node:http';
import { RedisServer } from './redis-server.ts';

/** Where a test's Redis comes from, in the order the project promises. */
export type RedisSource = 'env' | 'testcontainers' | 'binary';

export interface TestRedis {
  url: string;
  source: RedisSource;
  dispose(): Promise<void>;
}

let shared: Promise<TestRedis> | undefined;

/**
 * The Redis shared by the tests of one worker: `REDIS_URL` if set, else a testcontainers Redis
 * when a Docker engine answers, else a `redis-server` binary on a free port. Tests that kill or
 * restart Redis start their own `RedisServer` instead.
 */
export function sharedTestRedis(): Promise<TestRedis> {
  shared ??= acquire();
  return shared;
}

async function acquire(): Promise<TestRedis> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv) return { url: fromEnv, source: 'env', dispose: async () => undefined };
  if (await dockerAnswers()) {
    const { GenericContainer } = await import('testcontainers');
    const container = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
    return {
      url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`,
      source: 'testcontainers',
      dispose: async () => {
        await container.stop();
      },
    };
  }
  const server = await RedisServer.start();
  return { url: server.url, source: 'binary', dispose: () => server.dispose() };
}

/** True when a Docker engine answers `/_ping` on its socket within a second. */
export function dockerAnswers(socketPath = '/var/run/docker.sock'): Promise<boolean> {
  if (process.env.DOCKER_HOST && !process.env.DOCKER_HOST.startsWith('unix://'))
    return Promise.resolve(false);
  const path = process.env.DOCKER_HOST?.replace(/^unix:\/\//, '') ?? socketPath;
  return new Promise((resolve) => {
    const req = request({ socketPath: path, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

let isolated: Promise<RedisServer> | undefined;

/**
 * A Redis for one test file alone (a `redis-server` on a free port, killed with the test
 * process). Files that start session workers use it: workers claim every runnable session of
 * their Redis, so on the shared one they would take over other files' sessions.
 */
export function isolatedRedis(): Promise<RedisServer> {
  isolated ??= RedisServer.start();
  return isolated;
}
