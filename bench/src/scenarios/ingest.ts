import type { Sizes } from '../sizes.ts';
import type { Ctx } from '../trial.ts';

/** Scenario 6: session-worker ingest (simulator → Redis) and end-to-end latency. */
export async function ingest(ctx: Ctx, _sizes: Sizes): Promise<void> {
  ctx.results.push({
    scenario: 'ingest',
    case: 'simulator → worker → Redis',
    system: 'session-worker',
    clients: 0,
    figures: {},
    error: 'pending: not built yet',
  });
}
