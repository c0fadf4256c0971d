import type { Sizes } from '../sizes.ts';
import { type Ctx, clientsOf, connect, flood, onSystem, prepareTokens, rate } from '../trial.ts';

/** Scenario 2: many tokens with two clients each, events spread evenly over the tokens. */
export async function manyTokens(ctx: Ctx, sizes: Sizes): Promise<void> {
  const per = sizes.clientsPerToken;
  const clients = sizes.manyTokens * per;
  for (const id of ctx.systems) {
    await onSystem(ctx, 'many-tokens', id, clients, async (sys, fleet) => {
      // One stored event per token: each client is ready once it read it.
      const refs = await prepareTokens(sys, sizes.manyTokens, 1);
      await connect(sys, fleet, clientsOf(refs, per), 1);
      const hot = refs.map((_, i) => i);
      const f = await flood(
        sys,
        fleet,
        { hot, linesPerEvent: per, windowLines: sizes.windowLines, durationMs: sizes.floodMs },
        ctx.env,
      );
      ctx.results.push({ scenario: 'many-tokens', case: 'flood', system: id, clients, ...f });
      const r = await rate(
        sys,
        fleet,
        { hot, linesPerEvent: per, eventsPerSec: sizes.rateLinesPerSec / per, durationMs: sizes.rateMs },
        ctx.env,
      );
      ctx.results.push({ scenario: 'many-tokens', case: 'rate', system: id, clients, ...r });
    });
  }
}
