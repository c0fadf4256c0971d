import { sleep } from '../clock.ts';
import { openFilesLimit, rssBytes } from '../proc-stats.ts';
import { redisConnections } from '../redis-stats.ts';
import type { Sizes } from '../sizes.ts';
import type { System } from '../systems.ts';
import { type Ctx, clientsOf, onSystem, prepareTokens } from '../trial.ts';

// Clients per token stay under the edge's per-token connection limit (100 by default).
const PER_TOKEN = 50;

/** RSS of the server after a full GC (SIGUSR2 through the bench's gc hook) and a settle time. */
async function settledRss(sys: System, settleMs: number): Promise<number> {
  await sleep(settleMs / 2);
  // nats-server (Go) has no hook; SIGUSR2 would mean something else to it.
  if (sys.id !== 'nats') process.kill(sys.serverPid, 'SIGUSR2');
  await sleep(settleMs);
  return rssBytes(sys.serverPid);
}

/** Redis connections the system holds (the edge's are named `wasock-edge*`). */
function heldRedis(ctx: Ctx, sys: System): Promise<number> {
  if (sys.id === 'wasock') return redisConnections(ctx.env.redis, 'wasock-edge');
  if (sys.id === 'naive') return redisConnections(ctx.env.redis);
  return Promise.resolve(0);
}

/**
 * Scenario 5: idle clients connected to one server process until it refuses (file limit) or a
 * bounded maximum; RSS per connection after GC; Redis connections held at each checkpoint.
 */
export async function capacity(ctx: Ctx, sizes: Sizes): Promise<void> {
  const fileLimit = openFilesLimit();
  const max = Math.min(sizes.capacityMax, fileLimit + 1_000);
  const systems = ctx.systems.filter((s) => s !== 'wire-coalesced'); // same server as wire-line
  for (const id of systems) {
    await onSystem(ctx, 'capacity', id, max, async (sys, fleet) => {
      const refs = await prepareTokens(sys, Math.ceil(max / PER_TOKEN), 1);
      const all = clientsOf(refs, PER_TOKEN).slice(0, max);
      const rss0 = await settledRss(sys, sizes.settleMs);
      const steps = [...sizes.capacityCheckpoints.filter((c) => c < max), max];
      const notes: string[] = [];
      let held = 0;
      let rssAtHeld = rss0;
      for (const step of steps) {
        const res = await fleet.open(sys.target, all.slice(held, step), {
          waitLines: 1,
          concurrency: 100,
          timeoutMs: 120_000,
          retries: 1,
        });
        held += res.ready;
        const rss = await settledRss(sys, sizes.settleMs);
        const redis = await heldRedis(ctx, sys);
        ctx.results.push({
          scenario: 'capacity',
          case: `checkpoint ${step}`,
          system: id,
          clients: held,
          figures: {
            held,
            rssBytes: rss,
            rssPerConnBytes: held > 0 ? Math.round((rss - rss0) / held) : 0,
            redisConnections: redis,
          },
        });
        rssAtHeld = rss;
        if (res.failed > 0) {
          notes.push(`refused after ${held} clients: ${JSON.stringify(res.errors)}`);
          break;
        }
      }
      ctx.results.push({
        scenario: 'capacity',
        case: 'max',
        system: id,
        clients: held,
        figures: {
          held,
          attempted: max,
          fileLimit,
          rssBaseBytes: rss0,
          rssPerConnBytes: held > 0 ? Math.round((rssAtHeld - rss0) / held) : 0,
          redisConnections: await heldRedis(ctx, sys),
        },
        notes,
      });
    });
  }
}
