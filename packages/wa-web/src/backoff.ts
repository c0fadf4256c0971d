/** How reconnect delays grow. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Share of each delay drawn at random, 0..1, so many sessions do not reconnect in step. */
  jitter: number;
}

/** Production defaults: 1 s, doubling, capped at 30 s, ±20 %. */
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30_000, factor: 2, jitter: 0.2 };

/** The delay before reconnect attempt `attempt` (0-based), with `random` in [0, 1). */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const base = Math.min(options.maxMs, options.initialMs * options.factor ** Math.min(attempt, 30));
  const spread = base * options.jitter;
  return Math.max(0, Math.round(base - spread + 2 * spread * random()));
}
