import type { Measurement } from './measurement.ts';
import type { Sizes } from './sizes.ts';
import type { SystemId } from './systems.ts';

// The issue's targets, evaluated on the figures of one run. Each is a ratio between systems
// measured in the same run; `met` is null when a figure it needs is missing.

/** One evaluated target. */
export interface TargetResult {
  target: string;
  /** What was compared, with the figures. */
  measured: string;
  ratio: number | null;
  met: boolean | null;
}

type Pick = { scenario: Measurement['scenario']; case: string; system: SystemId; clients?: number };

function find(ms: Measurement[], p: Pick): Measurement | undefined {
  return ms.find(
    (m) =>
      m.scenario === p.scenario &&
      m.case === p.case &&
      m.system === p.system &&
      !m.error &&
      (p.clients === undefined || m.clients === p.clients),
  );
}

/** The error row of a system in a scenario (at `clients` when given), if it failed there. */
function failedAt(ms: Measurement[], scenario: Measurement['scenario'], system: SystemId, clients?: number) {
  return ms.find(
    (m) =>
      m.scenario === scenario &&
      m.system === system &&
      m.error &&
      (clients === undefined || m.clients === clients),
  );
}

/** A comparison won because the baseline could not complete the case at all. */
function baselineFailed(target: string, ours: string, failure: Measurement): TargetResult {
  return {
    target,
    measured: `${ours}; ${failure.system} failed: ${failure.error}`,
    ratio: Number.POSITIVE_INFINITY,
    met: true,
  };
}

const r2 = (x: number) => Math.round(x * 100) / 100;
const fmt = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 2 });

function ratioRow(
  target: string,
  what: string,
  a: number | undefined,
  b: number | undefined,
  ok: (r: number) => boolean,
): TargetResult {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) {
    return { target, measured: `${what}: not measured`, ratio: null, met: null };
  }
  const ratio = a / b;
  return { target, measured: `${what}: ${fmt(a)} vs ${fmt(b)}`, ratio: r2(ratio), met: ok(ratio) };
}

/** Evaluates every target of the issue against `ms`. */
export function evaluateTargets(ms: Measurement[], sizes: Sizes): TargetResult[] {
  const out: TargetResult[] = [];
  const eps = (m?: Measurement) => m?.figures.eventsPerSec;
  const p99 = (m?: Measurement) => m?.latency?.p99;

  for (const n of sizes.fanoutClients) {
    const w = find(ms, { scenario: 'fanout', case: 'flood', system: 'wasock', clients: n });
    const line = find(ms, { scenario: 'fanout', case: 'flood', system: 'wire-line', clients: n });
    out.push(
      ratioRow(
        `fan-out events/s ≥ 50% of wire limit (1 line/write), N=${n}`,
        'wasock / wire events/s',
        eps(w),
        eps(line),
        (r) => r >= 0.5,
      ),
    );
  }
  for (const n of sizes.fanoutClients) {
    const w = find(ms, { scenario: 'fanout', case: 'rate', system: 'wasock', clients: n });
    const line = find(ms, { scenario: 'fanout', case: 'rate', system: 'wire-line', clients: n });
    const bound = p99(line) === undefined ? undefined : 2 * (p99(line) as number) + 2;
    out.push(
      ratioRow(
        `fan-out p99 at ${fmt(sizes.rateLinesPerSec)} lines/s ≤ 2× wire p99 + 2 ms, N=${n}`,
        'wasock p99 ms / (2×wire p99 + 2)',
        p99(w),
        bound,
        (r) => r <= 1,
      ),
    );
  }
  // Ahead of NATS JetStream in scenarios 1, 2 and 4.
  const vsNats: [Measurement['scenario'], string, number | undefined][] = [
    ...sizes.fanoutClients.map((n) => ['fanout', 'flood', n] as [Measurement['scenario'], string, number]),
    ['many-tokens', 'flood', undefined],
  ];
  for (const [scenario, c, n] of vsNats) {
    const w = find(ms, { scenario, case: c, system: 'wasock', ...(n ? { clients: n } : {}) });
    const nats = find(ms, { scenario, case: c, system: 'nats', ...(n ? { clients: n } : {}) });
    const label = `${scenario}${n ? ` N=${n}` : ''}`;
    const natsFailed = failedAt(ms, scenario, 'nats', n);
    const t1 = `ahead of NATS on events/s, ${label}`;
    if (w && !nats && natsFailed)
      out.push(baselineFailed(t1, `wasock ${fmt(eps(w) ?? 0)} events/s`, natsFailed));
    else out.push(ratioRow(t1, 'wasock / NATS events/s', eps(w), eps(nats), (r) => r > 1));
    const wr = find(ms, { scenario, case: 'rate', system: 'wasock', ...(n ? { clients: n } : {}) });
    const nr = find(ms, { scenario, case: 'rate', system: 'nats', ...(n ? { clients: n } : {}) });
    const t2 = `ahead of NATS on p99, ${label}`;
    if (wr && !nr && natsFailed)
      out.push(baselineFailed(t2, `wasock p99 ${fmt(p99(wr) ?? 0)} ms`, natsFailed));
    else out.push(ratioRow(t2, 'NATS p99 / wasock p99 (ms)', p99(nr), p99(wr), (r) => r > 1));
  }
  const ws = find(ms, { scenario: 'storm', case: 'drop + reconnect', system: 'wasock' });
  const ns = find(ms, { scenario: 'storm', case: 'drop + reconnect', system: 'nats' });
  const stormT = 'ahead of NATS in the reconnect storm (time to replay all)';
  const natsStormFailed = failedAt(ms, 'storm', 'nats');
  if (ws && !ns && natsStormFailed) {
    out.push(baselineFailed(stormT, `wasock ${fmt(ws.figures.replayedSeconds ?? 0)} s`, natsStormFailed));
  } else {
    out.push(
      ratioRow(
        stormT,
        'NATS s / wasock s',
        ns?.figures.replayedSeconds,
        ws?.figures.replayedSeconds,
        (r) => r > 1,
      ),
    );
  }

  // ≥ 10× the naive edge in clients held and in events/s at the largest fan-out.
  const wc = find(ms, { scenario: 'capacity', case: 'max', system: 'wasock' });
  const nc = find(ms, { scenario: 'capacity', case: 'max', system: 'naive' });
  out.push(
    ratioRow(
      '≥ 10× the naive edge in clients held',
      'wasock / naive clients held',
      wc?.figures.held,
      nc?.figures.held,
      (r) => r >= 10,
    ),
  );
  const big = sizes.fanoutClients[sizes.fanoutClients.length - 1] ?? 0;
  const wf = find(ms, { scenario: 'fanout', case: 'flood', system: 'wasock', clients: big });
  const nf = find(ms, { scenario: 'fanout', case: 'flood', system: 'naive', clients: big });
  if (wf && !nf && failedAt(ms, 'fanout', 'naive', big)) {
    out.push({
      target: `≥ 10× the naive edge in events/s at ${fmt(big)} clients`,
      measured: `wasock ${fmt(eps(wf) ?? 0)} events/s; the naive edge could not hold ${fmt(big)} clients (0 events/s)`,
      ratio: Number.POSITIVE_INFINITY,
      met: true,
    });
  } else {
    out.push(
      ratioRow(
        `≥ 10× the naive edge in events/s at ${fmt(big)} clients`,
        'wasock / naive events/s',
        eps(wf),
        eps(nf),
        (r) => r >= 10,
      ),
    );
  }

  // Idle-token independence and constant Redis connections.
  const few = sizes.idleTokens[0] ?? 0;
  const many = sizes.idleTokens[sizes.idleTokens.length - 1] ?? 0;
  const fewF = find(ms, { scenario: 'idle-tokens', case: `flood, ${few} idle`, system: 'wasock' });
  const manyF = find(ms, { scenario: 'idle-tokens', case: `flood, ${many} idle`, system: 'wasock' });
  out.push(
    ratioRow(
      `idle-token ratio ≥ 0.9 (events/s, ${many} vs ${few} idle tokens)`,
      'events/s',
      eps(manyF),
      eps(fewF),
      (r) => r >= 0.9,
    ),
  );
  const fewR = find(ms, { scenario: 'idle-tokens', case: `rate, ${few} idle`, system: 'wasock' });
  const manyR = find(ms, { scenario: 'idle-tokens', case: `rate, ${many} idle`, system: 'wasock' });
  out.push(
    ratioRow(
      `idle-token ratio ≥ 0.9 (p99, ${few} vs ${many} idle tokens)`,
      `p99 ms (${few} idle / ${many} idle)`,
      p99(fewR),
      p99(manyR),
      (r) => r >= 0.9,
    ),
  );
  const conns = ms.filter(
    (m) => m.scenario === 'capacity' && m.system === 'wasock' && m.case.startsWith('checkpoint'),
  );
  if (conns.length === 0)
    out.push({
      target: 'Redis connections per edge 2–3 at every client count',
      measured: 'not measured',
      ratio: null,
      met: null,
    });
  else {
    const values = conns.map((m) => `${fmt(m.clients)}→${m.figures.redisConnections}`);
    const ok = conns.every(
      (m) => (m.figures.redisConnections ?? 0) >= 2 && (m.figures.redisConnections ?? 0) <= 3,
    );
    const top = Math.max(...conns.map((m) => m.clients));
    out.push({
      target: `Redis connections per edge 2–3 from ${fmt(conns[0]?.clients ?? 0)} to ${fmt(top)} clients`,
      measured: `clients→connections: ${values.join(', ')}`,
      ratio: null,
      met: ok,
    });
  }

  const wireCap = find(ms, { scenario: 'capacity', case: 'max', system: 'wire-line' });
  out.push(
    ratioRow(
      'RSS per idle connection ≤ 2× the wire-limit server’s',
      'wasock / wire bytes per connection',
      wc?.figures.rssPerConnBytes,
      wireCap?.figures.rssPerConnBytes,
      (r) => r <= 2,
    ),
  );
  out.push(
    ratioRow(
      `reconnect storm of ${fmt(ws?.clients ?? 0)} clients fully replayed in ≤ 5 s`,
      'seconds / 5 s',
      ws && ws.figures.failed === 0 ? ws.figures.replayedSeconds : undefined,
      5,
      (r) => r <= 1,
    ),
  );
  return out;
}
