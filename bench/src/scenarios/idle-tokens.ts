import type { Sizes } from '../sizes.ts';
import { type Ctx, clientsOf, connect, flood, onSystem, prepareTokens, rate } from '../trial.ts';

/**
 * Scenario 3: one hot token's throughput and p99 with few, then many, other tokens connected
 * and idle (one client each). The cost of an event must grow with its own token's clients, not
 * with the others. Both counts are measured on the same server process, the idle clients of the
 * larger count added after the smaller one was measured, so only the idle tokens differ.
 */
export async function idleTokens(ctx: Ctx, sizes: Sizes): Promise<void> {
  const hotClients = sizes.idleHotClients;
  const counts = [...sizes.idleTokens].sort((a, b) => a - b);
  const most = counts[counts.length - 1] ?? 0;
  for (const id of ctx.systems) {
    await onSystem(ctx, 'idle-tokens', id, hotClients + most, async (sys, fleet) => {
      const refs = await prepareTokens(sys, most + 1, 1);
      const [hotRef, ...idleRefs] = refs;
      if (!hotRef) return;
      await connect(sys, fleet, clientsOf([hotRef], hotClients), 1);
      let connected = 0;
      for (const idle of counts) {
        await connect(sys, fleet, clientsOf(idleRefs.slice(connected, idle), 1), 1);
        connected = idle;
        const clients = hotClients + idle;
        const f = await flood(
          sys,
          fleet,
          { hot: [0], linesPerEvent: hotClients, windowLines: sizes.windowLines, durationMs: sizes.floodMs },
          ctx.env,
        );
        ctx.results.push({ scenario: 'idle-tokens', case: `flood, ${idle} idle`, system: id, clients, ...f });
        const r = await rate(
          sys,
          fleet,
          {
            hot: [0],
            linesPerEvent: hotClients,
            eventsPerSec: sizes.rateLinesPerSec / hotClients,
            durationMs: sizes.rateMs,
          },
          ctx.env,
        );
        ctx.results.push({ scenario: 'idle-tokens', case: `rate, ${idle} idle`, system: id, clients, ...r });
      }
    });
  }
}
