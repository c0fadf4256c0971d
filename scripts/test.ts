// `npm test` after bootstrap: type-check, lint, then every test in one vitest run against one
// Redis (REDIS_URL if set, else a redis-server started here on a free port).
import { spawnSync } from 'node:child_process';
import { RedisServer } from '../packages/testkit/src/index.ts';

function step(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  console.error(`\n[test] ${name}: ${cmd} ${args.join(' ')}`);
  const res = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (res.status !== 0) {
    console.error(`[test] ${name} failed (exit ${res.status ?? res.signal})`);
    process.exit(res.status ?? 1);
  }
}

const vitestArgs = process.argv.slice(2);
const quiet = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
if (vitestArgs.length === 0) {
  step('typecheck', 'turbo', ['run', 'typecheck', '--output-logs=errors-only'], quiet);
  step('typecheck scripts', 'tsc', ['--noEmit', '-p', '.']);
  step('lint', 'biome', ['check', '.']);
}

let redis: RedisServer | undefined;
if (!process.env.REDIS_URL) {
  redis = await RedisServer.start();
  console.error(`[test] started redis-server for the tests at ${redis.url}`);
}
// The hostile-input fuzz opens 100,000 connections as fast as two cores allow; alone, it does not
// starve the timing-sensitive end-to-end tests of CPU, and they do not skew its latency figures.
const HEAVY = ['test/edge-fuzz.test.ts'];
const env = { ...process.env, REDIS_URL: process.env.REDIS_URL ?? redis?.url };
try {
  if (vitestArgs.length > 0) step('tests', 'vitest', ['run', ...vitestArgs], env);
  else {
    step('tests', 'vitest', ['run', ...HEAVY.flatMap((f) => ['--exclude', `**/${f}`])], env);
    step('heavy tests', 'vitest', ['run', ...HEAVY], env);
  }
} finally {
  await redis?.dispose();
}
