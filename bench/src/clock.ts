// Every process of a run reads the same clock: the wall-clock origin of the process plus its
// monotonic offset. Publish times travel inside events, so publisher and clients must agree.

/** Milliseconds (fractional) on the clock shared by all processes of a run. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
