import { now, sleep } from './clock.ts';

// The two ways every system is driven, shared by the Redis/NATS publisher and the wire-limit
// server: a flood bounded by a window of undelivered lines (so no system is pushed into cutting
// off slow consumers, and memory stays bounded), and a fixed rate for latency.

/** Publishes one event of hot token `slot` with sequence `seq`, stamped when it is called. */
export interface Emitter {
  emit(slot: number, seq: number, pubMs: number): Promise<void> | undefined;
  /** Called after each burst of emits in one event-loop turn (coalescing servers flush here). */
  endTurn?(): void;
}

export interface FloodArgs {
  /** Indexes of the tokens that get events, used round-robin. */
  hot: number[];
  /** Client lines one event turns into (clients per hot token). */
  linesPerEvent: number;
  /** Most lines published but not yet read by clients. */
  windowLines: number;
  durationMs: number;
}

export interface RateArgs {
  hot: number[];
  /** Client lines one event turns into (clients per hot token). */
  linesPerEvent: number;
  eventsPerSec: number;
  durationMs: number;
}

/** What a driver did: events published, and (at a fixed rate) how far it fell behind. */
export interface DriveResult {
  published: number;
  behindMs: number;
}

const MAX_OUTSTANDING = 256;
const BURST = 64;

/** Publishes as fast as clients read, for `durationMs`; `received()` is the lines read so far. */
export async function flood(e: Emitter, a: FloodArgs, received: () => number): Promise<DriveResult> {
  const end = Date.now() + a.durationMs;
  let published = 0;
  let outstanding = 0;
  const pending = new Set<Promise<void>>();
  const window = Math.max(a.windowLines, 4 * a.linesPerEvent);
  while (Date.now() < end) {
    let burst = 0;
    while (
      burst < BURST &&
      outstanding < MAX_OUTSTANDING &&
      (published + 1) * a.linesPerEvent - received() <= window
    ) {
      const slot = a.hot[published % a.hot.length] as number;
      const p = e.emit(slot, published, now());
      published++;
      burst++;
      if (p) {
        outstanding++;
        const tracked: Promise<void> = p.finally(() => {
          outstanding--;
          pending.delete(tracked);
        });
        pending.add(tracked);
      }
    }
    e.endTurn?.();
    // A full window waits for clients; otherwise yield one turn so sockets and IPC move.
    if (burst === 0) await sleep(1);
    else await new Promise((r) => setImmediate(r));
  }
  await Promise.all(pending);
  return { published, behindMs: 0 };
}

/** Publishes `eventsPerSec` events per second for `durationMs`, on schedule. */
export async function paced(e: Emitter, a: RateArgs): Promise<DriveResult> {
  const start = now();
  const total = Math.max(1, Math.round((a.eventsPerSec * a.durationMs) / 1000));
  const pending = new Set<Promise<void>>();
  let published = 0;
  let behindMs = 0;
  while (published < total) {
    const due = Math.min(total, Math.floor(((now() - start) * a.eventsPerSec) / 1000) + 1);
    while (published < due) {
      const lag = now() - (start + (published * 1000) / a.eventsPerSec);
      behindMs = Math.max(behindMs, lag);
      const slot = a.hot[published % a.hot.length] as number;
      const p = e.emit(slot, published, now());
      published++;
      if (p) {
        const tracked: Promise<void> = p.finally(() => pending.delete(tracked));
        pending.add(tracked);
      }
    }
    e.endTurn?.();
    const nextAt = start + (published * 1000) / a.eventsPerSec;
    await sleep(Math.max(0, Math.min(50, nextAt - now())));
  }
  await Promise.all(pending);
  return { published, behindMs: Math.round(behindMs) };
}
