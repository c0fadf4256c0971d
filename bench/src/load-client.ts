// A load generator process: opens many client connections to one system, counts the lines they
// read and records publish→receive latency of every live event. Driven by the coordinator over
// IPC (see ipc.ts); never runs in the process of the system under test.

import type { Histogram } from 'hdr-histogram-js';
import { LineConn } from './clients/line-conn.ts';
import type { ClientSpec, Conn, LineSink, Target } from './clients/types.ts';
import { now, sleep } from './clock.ts';
import { stampIn } from './event-shape.ts';
import { encode, newHistogram, recordMs } from './histogram.ts';
import { notify, serve } from './ipc.ts';

/** What opening (or re-opening) a set of clients produced. */
export interface OpenResult {
  ready: number;
  failed: number;
  /** Failures by code, retries included. */
  errors: Record<string, number>;
  /** Shared-clock time at which the last client became ready. */
  lastReadyAt: number;
}

/** What one measured phase produced in this process. */
export interface PhaseResult {
  lines: number;
  hist: string;
  ms: number;
  /** Clients that lost their connection during the phase. */
  lost: number;
}

export interface OpenArgs {
  target: Target;
  clients: ClientSpec[];
  waitLines: number;
  concurrency: number;
  timeoutMs: number;
  retries: number;
}

class Tally implements LineSink {
  measuring = false;
  t0 = 0;
  lines = 0;
  hist: Histogram = newHistogram();

  line(_conn: Conn, text: string, start: number, end: number): void {
    if (!this.measuring) return;
    this.lines++;
    const pub = stampIn(text, start, end);
    // Events published before the phase (replays) say nothing about live latency.
    if (pub >= this.t0) recordMs(this.hist, now() - pub);
  }
}

const tally = new Tally();
let conns: Conn[] = [];
let target: Target | null = null;
let progressTimer: NodeJS.Timeout | null = null;

async function makeConns(specs: ClientSpec[], t: Target): Promise<Conn[]> {
  if (t.protocol === 'line') return specs.map((s) => new LineConn(s, tally));
  // Loaded only when needed: the NATS client costs start-up time every other system would pay.
  const { NatsConn } = await import('./clients/nats-conn.ts');
  return specs.map((s) => new NatsConn(s, tally));
}

async function openAll(
  list: Conn[],
  t: Target,
  a: Omit<OpenArgs, 'clients' | 'target'>,
): Promise<OpenResult> {
  const deadline = Date.now() + a.timeoutMs;
  const errors: Record<string, number> = {};
  let ready = 0;
  let failed = 0;
  let lastReadyAt = now();
  let next = 0;
  const worker = async () => {
    while (next < list.length && Date.now() < deadline) {
      const conn = list[next++] as Conn;
      for (let attempt = 0; attempt <= a.retries && Date.now() < deadline; attempt++) {
        try {
          const left = Math.max(1, deadline - Date.now());
          await Promise.race([
            conn.open(t, a.waitLines),
            sleep(left).then(() => Promise.reject(new Error('timeout'))),
          ]);
          ready++;
          lastReadyAt = now();
          break;
        } catch (err) {
          const code = conn.failure ?? (err instanceof Error ? err.message : 'error');
          errors[code] = (errors[code] ?? 0) + 1;
          conn.close();
          if (attempt === a.retries) failed++;
          // A refused client backs off a little, as a real one would, before trying again.
          else await sleep(50 * (attempt + 1) + Math.random() * 50);
        }
      }
    }
  };
  const workers = Math.max(1, Math.min(a.concurrency, list.length));
  await Promise.all(Array.from({ length: workers }, worker));
  failed += list.length - ready - failed;
  return { ready, failed, errors, lastReadyAt };
}

serve({
  async open(a: OpenArgs): Promise<OpenResult> {
    target = a.target;
    const fresh = await makeConns(a.clients, a.target);
    conns.push(...fresh);
    return openAll(fresh, a.target, a);
  },
  phaseStart(a: { t0: number }): void {
    tally.t0 = a.t0;
    tally.lines = 0;
    tally.hist = newHistogram();
    tally.measuring = true;
    for (const c of conns) c.failure = null;
    let sent = -1;
    progressTimer = setInterval(() => {
      if (tally.lines !== sent) notify('progress', { lines: tally.lines });
      sent = tally.lines;
    }, 20);
  },
  phaseStop(a: { startedAt: number }): PhaseResult {
    tally.measuring = false;
    if (progressTimer) clearInterval(progressTimer);
    progressTimer = null;
    const lost = conns.filter((c) => c.failure !== null).length;
    return { lines: tally.lines, hist: encode(tally.hist), ms: now() - a.startedAt, lost };
  },
  drop(): number {
    for (const c of conns) c.close();
    return conns.length;
  },
  async reopen(a: { waitLines: number; concurrency: number; timeoutMs: number; retries: number }) {
    if (!target) throw new Error('reopen before open');
    return openAll(conns, target, a);
  },
  stats(): { conns: number; failed: number } {
    return { conns: conns.length, failed: conns.filter((c) => c.failure !== null).length };
  },
  closeAll(): number {
    for (const c of conns) c.close();
    const n = conns.length;
    conns = [];
    return n;
  },
});
