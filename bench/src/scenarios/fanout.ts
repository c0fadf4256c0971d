import type { Sizes } from '../sizes.ts';
import { type Ctx, clientsOf, connect, flood, onSystem, prepareTokens, rate } from '../trial.ts';

/** Scenario 1: N clients of one hot token; a flood (max events/s) and a fixed rate (latency). */
export async function fanout(ctx: Ctx, sizes: Sizes): Promise<void> {
  for (const n of sizes.fanoutClients) {
    for (const id of ctx.systems) {
      await onSystem(ctx, 'fanout', id, n, async (sys, fleet) => {
        const refs = await prepareTokens(sys, 1, 50);
        await connect(sys, fleet, clientsOf(refs, n), 50);
        const f = await flood(
          sys,
          fleet,
          { hot: [0], linesPerEvent: n, windowLines: sizes.windowLines, durationMs: sizes.floodMs },
          ctx.env,
        );
        ctx.results.push({ scenario: 'fanout', case: 'flood', system: id, clients: n, ...f });
        const r = await rate(
          sys,
          fleet,
          { hot: [0], linesPerEvent: n, eventsPerSec: sizes.rateLinesPerSec / n, durationMs: sizes.rateMs },
          ctx.env,
        );
        ctx.results.push({ scenario: 'fanout', case: 'rate', system: id, clients: n, ...r });
      });
    }
  }
}
