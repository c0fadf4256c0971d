import { join } from 'node:path';
import type { ClientSpec, Target } from './clients/types.ts';
import { now } from './clock.ts';
import { type LatencySummary, mergeEncoded, summarize } from './histogram.ts';
import { Child } from './ipc.ts';
import type { OpenResult, PhaseResult } from './load-client.ts';

// The coordinator's view of the load generators: several child processes, each holding a share
// of the clients (never more than PER_PROCESS sockets, well under the 20,000 open files a process
// may have), with their counters and histograms merged.

/** Most client sockets one load process holds. */
export const PER_PROCESS = 5_000;
/** Above this many clients, sockets are spread over 127.0.0.1..127.0.0.k source addresses. */
const PER_SOURCE_ADDRESS = 25_000;

export interface OpenOptions {
  /** Lines a client must read (its replay) before it counts as ready. */
  waitLines: number;
  /** Handshakes in flight per load process. */
  concurrency: number;
  timeoutMs: number;
  retries: number;
}

/** Merged outcome of opening clients across the fleet. */
export interface FleetOpen {
  ready: number;
  failed: number;
  errors: Record<string, number>;
  lastReadyAt: number;
}

/** Merged outcome of a measured phase. */
export interface FleetPhase {
  lines: number;
  ms: number;
  lost: number;
  /** Lines the driver's events should have produced (0 when unknown). */
  expected: number;
  latency: LatencySummary;
}

function mergeOpen(parts: OpenResult[]): FleetOpen {
  const errors: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.errors)) errors[k] = (errors[k] ?? 0) + v;
  return {
    ready: parts.reduce((s, p) => s + p.ready, 0),
    failed: parts.reduce((s, p) => s + p.failed, 0),
    errors,
    lastReadyAt: Math.max(0, ...parts.map((p) => p.lastReadyAt)),
  };
}

/** A set of load-generator processes. */
export class Fleet {
  private readonly procs: Child[];
  private readonly progress: number[];
  private onProgress: ((lines: number) => void) | null = null;
  private opened = 0;

  private constructor(procs: Child[]) {
    this.procs = procs;
    this.progress = procs.map(() => 0);
    procs.forEach((p, i) => {
      p.on('progress', (data) => {
        this.progress[i] = (data as { lines: number }).lines;
        this.onProgress?.(this.progress.reduce((a, b) => a + b, 0));
      });
    });
  }

  /** Starts enough load processes for `clients` sockets (at least two). */
  static start(clients: number): Fleet {
    const n = Math.max(2, Math.ceil(clients / PER_PROCESS));
    return new Fleet(
      Array.from(
        { length: n },
        (_, i) => new Child(join(import.meta.dirname, 'load-client.ts'), `load-${i}`),
      ),
    );
  }

  get size(): number {
    return this.procs.length;
  }

  /** Opens `clients` (spread evenly over the processes) and waits until each read its replay. */
  async open(target: Target, clients: ClientSpec[], o: OpenOptions): Promise<FleetOpen> {
    const spread = this.opened + clients.length > PER_SOURCE_ADDRESS;
    const specs = clients.map((c, i) =>
      spread
        ? { ...c, localAddress: `127.0.0.${1 + Math.floor((this.opened + i) / PER_SOURCE_ADDRESS)}` }
        : c,
    );
    this.opened += clients.length;
    const shares: ClientSpec[][] = this.procs.map(() => []);
    for (const [i, c] of specs.entries()) shares[i % shares.length]?.push(c);
    const parts = await Promise.all(
      this.procs.map((p, i) =>
        p.call<OpenResult>('open', { target, clients: shares[i], ...o }, o.timeoutMs + 30_000),
      ),
    );
    return mergeOpen(parts);
  }

  /** Runs `drive` as a measured phase: counters reset before, read after; progress goes to `onLines`. */
  async phase<T>(
    drive: () => Promise<T>,
    onLines: (lines: number) => void,
    tailMs: number,
    expectedLines?: (result: T) => number,
  ): Promise<FleetPhase & { drive: T }> {
    const startedAt = now();
    this.progress.fill(0);
    await Promise.all(this.procs.map((p) => p.call('phaseStart', { t0: startedAt })));
    this.onProgress = onLines;
    let result: T;
    try {
      result = await drive();
    } finally {
      this.onProgress = null;
    }
    // Lines still in flight when the driver stops are part of what it published.
    // What was published must be read before the next phase starts, or that phase would
    // measure this one's backlog. Bounded: a system that lost lines does not stall the run.
    // Systems that trim undelivered events (stream MAXLEN 50) never deliver them all, so the wait
    // also ends once nothing arrived for a second.
    const expected = expectedLines?.(result) ?? 0;
    const drainUntil = Date.now() + 20_000;
    let seen = -1;
    let quietSince = Date.now();
    for (;;) {
      const got = this.progress.reduce((a, b) => a + b, 0);
      if (got >= expected || Date.now() > drainUntil) break;
      if (got !== seen) {
        seen = got;
        quietSince = Date.now();
      } else if (Date.now() - quietSince > 1_000) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, tailMs));
    const parts = await Promise.all(this.procs.map((p) => p.call<PhaseResult>('phaseStop', { startedAt })));
    const hist = mergeEncoded(parts.map((p) => p.hist));
    return {
      lines: parts.reduce((s, p) => s + p.lines, 0),
      ms: Math.max(...parts.map((p) => p.ms)),
      lost: parts.reduce((s, p) => s + p.lost, 0),
      expected,
      latency: summarize(hist),
      drive: result,
    };
  }

  /** Drops every client connection at once. */
  async drop(): Promise<void> {
    await Promise.all(this.procs.map((p) => p.call('drop')));
  }

  /** Reconnects every client at once; returns when each read `waitLines` lines (or gave up). */
  async reopen(o: OpenOptions): Promise<FleetOpen> {
    const parts = await Promise.all(
      this.procs.map((p) => p.call<OpenResult>('reopen', o, o.timeoutMs + 30_000)),
    );
    return mergeOpen(parts);
  }

  /** Closes all clients and ends the processes. */
  async stop(): Promise<void> {
    await Promise.all(
      this.procs.map(async (p) => {
        try {
          await p.call('closeAll', {}, 10_000);
        } catch (err) {
          // A load process that died already has nothing left to close.
          console.warn(`[bench] ${p.label}: ${(err as Error).message.split('\n')[0]}`);
        }
        await p.stop();
      }),
    );
  }
}
