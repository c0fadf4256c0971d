import { now } from '../clock.ts';
import { cpuSeconds } from '../proc-stats.ts';
import { redisCpuSeconds } from '../redis-stats.ts';
import type { Sizes } from '../sizes.ts';
import { type Ctx, clientsOf, connect, onSystem, prepareTokens } from '../trial.ts';

/**
 * Scenario 4: every client drops at once and reconnects at once; the time until each has read
 * its full replay again, the errors on the way, and what it cost Redis and the server.
 */
export async function storm(ctx: Ctx, sizes: Sizes): Promise<void> {
  const clients = sizes.stormTokens * sizes.stormClientsPerToken;
  for (const id of ctx.systems) {
    await onSystem(ctx, 'storm', id, clients, async (sys, fleet) => {
      const refs = await prepareTokens(sys, sizes.stormTokens, sizes.stormFill);
      await connect(sys, fleet, clientsOf(refs, sizes.stormClientsPerToken), sizes.stormFill);
      const cpu0 = cpuSeconds(sys.serverPid);
      const redis0 = await redisCpuSeconds(ctx.env.redis);
      const t0 = now();
      await fleet.drop();
      // Unbounded concurrency: the whole herd at once; refused clients retry with a short backoff.
      const res = await fleet.reopen({
        waitLines: sizes.stormFill,
        concurrency: 1e9,
        timeoutMs: 60_000,
        retries: 8,
      });
      const seconds = (res.lastReadyAt - t0) / 1000;
      const errors = Object.values(res.errors).reduce((a, b) => a + b, 0);
      ctx.results.push({
        scenario: 'storm',
        case: 'drop + reconnect',
        system: id,
        clients,
        figures: {
          replayedSeconds: Math.round(seconds * 1000) / 1000,
          ready: res.ready,
          failed: res.failed,
          errors,
          serverCpuS: Math.round((cpuSeconds(sys.serverPid) - cpu0) * 100) / 100,
          redisCpuS: Math.round(((await redisCpuSeconds(ctx.env.redis)) - redis0) * 100) / 100,
        },
        ...(errors > 0 ? { notes: [`errors by code: ${JSON.stringify(res.errors)}`] } : {}),
      });
    });
  }
}
