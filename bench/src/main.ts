// `pnpm bench [--quick]`: runs every scenario on wasock and each baseline in one run, then writes
// bench/results/<date>.{json,md} and the SVG charts. The whole run is bounded by a watchdog.

import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { RedisServer } from '@wasock/testkit';
import { parseArgs } from './args.ts';
import { NATS_BIN } from './baselines/jetstream.ts';
import { BenchError } from './errors.ts';
import { machineFacts } from './machine.ts';
import type { Measurement } from './measurement.ts';
import { openFilesLimit } from './proc-stats.ts';
import { writeReport } from './report.ts';
import { capacity } from './scenarios/capacity.ts';
import { fanout } from './scenarios/fanout.ts';
import { idleTokens } from './scenarios/idle-tokens.ts';
import { ingest } from './scenarios/ingest.ts';
import { manyTokens } from './scenarios/many-tokens.ts';
import { storm } from './scenarios/storm.ts';
import { FULL, QUICK } from './sizes.ts';
import { coordinatorRedis, REPO_ROOT } from './systems.ts';
import { evaluateTargets } from './targets.ts';
import type { Ctx } from './trial.ts';

const args = parseArgs(process.argv.slice(2));
const sizes = structuredClone(args.quick ? QUICK : FULL);
const started = Date.now();
const date = new Date()
  .toISOString()
  .replace(/:/g, '-')
  .replace(/\.\d+Z$/, 'Z');
const outDir = args.out ?? join(REPO_ROOT, 'bench', 'results', ...(args.quick ? ['quick'] : []));
const notes: string[] = [];
const log = (msg: string) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);

// Every loop below is bounded on its own; this is the last word if something still hangs.
const watchdogMs = args.quick ? 240_000 : 3 * 3600_000;
setTimeout(() => {
  log(`run exceeded ${watchdogMs / 1000} s: stopping`);
  process.exit(2);
}, watchdogMs).unref();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));

const fileLimit = openFilesLimit();
if (fileLimit < 20_000) {
  // Adapt rather than raise a limit a fresh machine would not have raised.
  const cap = Math.max(100, fileLimit - 500);
  sizes.capacityMax = Math.min(sizes.capacityMax, cap);
  notes.push(`open-files limit is ${fileLimit}: capacity bounded to ${cap} clients`);
}
if (sizes.capacityMax > fileLimit) {
  notes.push(
    `capacity tries ${sizes.capacityMax.toLocaleString('en-US')} clients against a per-process open-files limit of ${fileLimit.toLocaleString('en-US')} (not raised), so each server stops at its file limit`,
  );
}
notes.push(
  'Clients read with the line protocol (token then newline) or as NATS ordered consumers; each client is its own TCP connection. Load generators, publisher and servers are separate processes sharing 2 cores.',
  'The bench Redis runs without persistence and the NATS stream uses memory storage, so neither pays for disk.',
  'sock-edge runs with its defaults except EDGE_MAX_CONNECTIONS_PER_TOKEN=100000 (the fan-out scenario puts 10,000 clients on one token).',
);

// Other work on the machine skews every figure; the load average says how much there was.
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
const loadAtStart = load();
const redisServer = await RedisServer.start();
const redis = coordinatorRedis(redisServer.url);
const results: Measurement[] = [];
const profileDir = args.cpuProf ? join(outDir, `${date}-profiles`) : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });
const ctx: Ctx = {
  env: { redisUrl: redisServer.url, redis, ...(profileDir ? { cpuProfDir: profileDir } : {}) },
  quick: args.quick,
  systems: args.systems,
  results,
  log,
};
const scenarios = { fanout, 'many-tokens': manyTokens, 'idle-tokens': idleTokens, storm, capacity, ingest };
try {
  for (const id of args.scenarios) await scenarios[id](ctx, sizes);
  notes.push(`load average (1/5/15 min) at start ${loadAtStart}, at end ${load()} on this machine`);
  const pending = results
    .filter((m) => m.error?.startsWith('pending'))
    .map((m) => `scenario 6 ingest: ${m.error}`);
  const written = await writeReport(outDir, {
    date,
    mode: args.quick ? 'quick' : 'full',
    command: `pnpm bench ${process.argv.slice(2).join(' ')}`.trim(),
    durationS: Math.round((Date.now() - started) / 1000),
    machine: machineFacts(REPO_ROOT, NATS_BIN),
    sizes,
    systems: args.systems,
    measurements: results,
    targets: evaluateTargets(results, sizes),
    pending,
    notes,
  });
  log(`report: ${written.markdown}`);
  console.log(written.json);
} catch (err) {
  log(`bench failed: ${err instanceof BenchError ? `${err.code}: ` : ''}${(err as Error).stack ?? err}`);
  process.exitCode = 1;
} finally {
  redis.disconnect();
  await redisServer.dispose();
}
process.exit();
