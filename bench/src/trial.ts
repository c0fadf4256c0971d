import type { ClientSpec } from './clients/types.ts';
import { BenchError } from './errors.ts';
import { Fleet, type FleetOpen } from './fleet.ts';
import type { Measurement, ScenarioId } from './measurement.ts';
import type { DriveResult, FloodArgs, RateArgs } from './pacing.ts';
import { cpuSeconds } from './proc-stats.ts';
import { redisCpuSeconds } from './redis-stats.ts';
import { type RunEnv, type System, type SystemId, startSystem } from './systems.ts';
import type { TokenRef } from './tokens.ts';

// Building blocks the scenarios share: run something against one freshly started system with
// its own load fleet (always torn down), connect clients, and measure a flood or a fixed rate.

/** What a scenario gets from the run. */
export interface Ctx {
  env: RunEnv;
  quick: boolean;
  systems: SystemId[];
  results: Measurement[];
  log(msg: string): void;
}

/** Starts `id` and a fleet for `clients`, runs `fn`, records a failure as an error measurement. */
export async function onSystem(
  ctx: Ctx,
  scenario: ScenarioId,
  id: SystemId,
  clients: number,
  fn: (sys: System, fleet: Fleet) => Promise<void>,
): Promise<void> {
  ctx.log(`${scenario}: ${id} (${clients} clients)`);
  let sys: System | null = null;
  const fleet = Fleet.start(clients);
  try {
    sys = await startSystem(id, ctx.env);
    await fn(sys, fleet);
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    ctx.log(`${scenario}: ${id} failed: ${message}`);
    ctx.results.push({ scenario, case: 'all', system: id, clients, figures: {}, error: message });
  } finally {
    await fleet.stop();
    await sys?.stop();
  }
}

/** Makes `tokens` tokens, fills each stream with `fill` events, and returns them. */
export async function prepareTokens(sys: System, tokens: number, fill: number): Promise<TokenRef[]> {
  const refs = await sys.makeTokens(tokens);
  await sys.source.call('prepare', { tokens: refs, fill }, 300_000);
  return refs;
}

/** Client specs: `perToken` clients for each of `refs`. */
export function clientsOf(refs: TokenRef[], perToken: number): ClientSpec[] {
  const out: ClientSpec[] = [];
  for (const r of refs) for (let i = 0; i < perToken; i++) out.push({ token: r.token, subject: r.subject });
  return out;
}

/** Opens clients and fails the case when some could not get their replay. */
export async function connect(
  sys: System,
  fleet: Fleet,
  clients: ClientSpec[],
  waitLines: number,
  timeoutMs = 120_000,
): Promise<FleetOpen> {
  const res = await fleet.open(sys.target, clients, { waitLines, concurrency: 200, timeoutMs, retries: 2 });
  if (res.failed > 0) {
    throw new BenchError(
      'setup_failed',
      `${res.failed} of ${clients.length} clients could not connect: ${JSON.stringify(res.errors)}`,
    );
  }
  return res;
}

/** Throughput and latency of a flood or fixed-rate phase. */
async function measure(
  sys: System,
  fleet: Fleet,
  drive: () => Promise<DriveResult>,
  env: RunEnv,
  durationMs: number,
  linesPerEvent: number,
): Promise<Pick<Measurement, 'figures' | 'latency'>> {
  const cpu0 = cpuSeconds(sys.serverPid);
  const redis0 = await redisCpuSeconds(env.redis);
  const tailMs = Math.min(200, durationMs / 4);
  const r = await fleet.phase(
    drive,
    (lines) => sys.source.notify('received', { lines }),
    tailMs,
    (d) => d.published * linesPerEvent,
  );
  const cpu1 = cpuSeconds(sys.serverPid);
  const redis1 = await redisCpuSeconds(env.redis);
  const seconds = r.ms / 1000;
  return {
    figures: {
      eventsPerSec: Math.round(r.lines / seconds),
      lines: r.lines,
      seconds: Math.round(seconds * 100) / 100,
      published: r.drive.published,
      publisherBehindMs: r.drive.behindMs,
      lost: r.lost,
      // Lines never delivered: events trimmed from a stream (MAXLEN 50) before a slow reader got them.
      missedLines: Math.max(0, r.expected - r.lines),
      serverCpuS: Math.round((cpu1 - cpu0) * 100) / 100,
      redisCpuS: Math.round((redis1 - redis0) * 100) / 100,
    },
    latency: r.latency,
  };
}

/** Floods the hot tokens for `durationMs`: delivered events/s at the most clients can read. */
export function flood(sys: System, fleet: Fleet, a: FloodArgs, env: RunEnv) {
  return measure(
    sys,
    fleet,
    () => sys.source.call<DriveResult>('flood', a, a.durationMs + 120_000),
    env,
    a.durationMs,
    a.linesPerEvent,
  );
}

/** Publishes at a fixed rate for `durationMs`: latency at a load every system can carry. */
export function rate(sys: System, fleet: Fleet, a: RateArgs, env: RunEnv) {
  return measure(
    sys,
    fleet,
    () => sys.source.call<DriveResult>('rate', a, a.durationMs + 120_000),
    env,
    a.durationMs,
    a.linesPerEvent,
  );
}
