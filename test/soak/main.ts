// `pnpm soak --minutes N`: the whole system under steady traffic with a fault every cycle, then
// a report of what was sent, received, lost and duplicated, latency per minute and memory per
// process per minute. Loopback only; every loop is bounded by the run's duration.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { sleep, waitFor } from '@wasock/testkit';
import { Cluster } from '../support/cluster.ts';
import { compareLedger } from '../support/ledger.ts';
import { LineClient } from '../support/line-client.ts';
import { ResumingClient } from '../support/resuming-client.ts';
import { percentile } from './percentile.ts';
import { parseSoakArgs, USAGE } from './soak-args.ts';
import { type SoakMinute, type SoakReport, soakMarkdown } from './soak-report.ts';

let args: ReturnType<typeof parseSoakArgs>;
try {
  args = parseSoakArgs(process.argv.slice(2));
} catch (err) {
  console.error(`soak: ${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}

const startedAt = new Date().toISOString();
const log = (msg: string) => console.log(`[soak ${((Date.now() - t0) / 1000).toFixed(0)}s] ${msg}`);
const t0 = Date.now();
const cluster = await Cluster.start({
  workers: 2,
  edges: 2,
  workerEnv: { LEASE_TTL_MS: '5000', WA_KEEPALIVE_MS: '1000', WA_DEAD_AFTER_MS: '4000' },
});
// Interrupted: no report, but never the cluster's processes left behind (a signal sent to this
// process alone does not reach its children).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the cluster; no report`);
    void cluster.stop().finally(() => process.exit(130));
  });
}
const sessions = await cluster.link(args.sessions);
log(`${sessions.length} sessions linked`);
const clients = sessions.map((s) => {
  const pair = [0, 1].map(() => new ResumingClient({ token: s.token, ports: () => cluster.edgePorts() }));
  for (const c of pair) c.start();
  return { s, pair };
});

const faults: { at: number; fault: string }[] = [];
const seedChecks = { done: 0, failed: 0 };
const endAt = t0 + args.minutes * 60_000;
let stopping = false;

// Traffic: `rate` messages per second spread round robin over the sessions, paced per tick.
const traffic = (async () => {
  let i = 0;
  const tickMs = 100;
  const perTick = Math.max(1, Math.round((args.rate * tickMs) / 1000));
  while (!stopping && Date.now() < endAt) {
    const started = Date.now();
    await Promise.all(
      Array.from({ length: perTick }, () => {
        const s = sessions[i++ % sessions.length]!;
        return cluster
          .send(s, `soak ${i} ñandú 😀`)
          .catch((err: unknown) => log(`send failed: ${(err as Error).message}`));
      }),
    );
    await sleep(Math.max(0, tickMs - (Date.now() - started)));
  }
})();

// Faults: one per cycle, in turn.
const FAULTS: [string, () => Promise<void>][] = [
  ['redis killed 1 s', () => cluster.bounceRedis(1000)],
  ['redis paused 2 s', () => cluster.pauseRedis(2000)],
  ['worker SIGKILL', () => cluster.replaceWorker(0)],
  ['edge SIGKILL', () => cluster.replaceEdge(0)],
  [
    'wa socket dropped',
    () => cluster.sim.control.injectFault({ session: sessions[0]!.simId, fault: 'drop_socket' }),
  ],
  [
    'wa bad MAC',
    () =>
      cluster.sim.control.injectFault({ session: sessions[1 % sessions.length]!.simId, fault: 'bad_mac' }),
  ],
  [
    'wa pings stalled',
    () =>
      cluster.sim.control.injectFault({ session: sessions[2 % sessions.length]!.simId, fault: 'stop_pings' }),
  ],
  ['worker SIGKILL (other)', () => cluster.replaceWorker(1)],
  ['edge SIGKILL (other)', () => cluster.replaceEdge(1)],
];
const faultLoop = (async () => {
  let k = 0;
  while (!stopping && Date.now() + args.faultEverySeconds * 1000 < endAt) {
    await sleep(args.faultEverySeconds * 1000);
    if (stopping) break;
    const [name, run] = FAULTS[k++ % FAULTS.length]!;
    faults.push({ at: Date.now() - t0, fault: name });
    log(`fault: ${name}`);
    await run().catch((err: unknown) => log(`fault ${name} failed: ${(err as Error).message}`));
    // A bare seed client connecting once the system has caught up must get a contiguous window
    // of the last 50 sent. Caught up: the newest message sent so far reached a resuming client
    // (a takeover after a worker kill publishes it only once the lease expired).
    await sleep(1000);
    const { s, pair } = clients[k % clients.length]!;
    const port = cluster.edgePorts()[0];
    if (port && s.sent.length >= 50) {
      const before = s.sent.length;
      const newest = s.sent[before - 1]!;
      const caughtUp = await waitFor(() => pair.some((c) => c.received.some((r) => r.messageId === newest)), {
        timeoutMs: 30_000,
        what: `message ${newest} delivered after the fault`,
      }).catch((err: unknown) => {
        log(`bare replay: ${(err as Error).message}`);
        return false;
      });
      const bare = await LineClient.connect(port, s.token);
      await bare
        .waitForLines(50, 10_000)
        .catch((err: unknown) => log(`bare replay: ${(err as Error).message}`));
      const ids = bare.lines.filter((l) => l.content === 'message').map((l) => String(l.messageId));
      const at = s.sent.indexOf(ids[0] ?? '');
      const contiguous =
        caughtUp && at >= 0 && ids.every((id, j) => s.sent[at + j] === id) && at + ids.length >= before;
      seedChecks.done++;
      if (!contiguous) seedChecks.failed++;
      bare.close();
    }
  }
})();

// Per-minute samples.
const perMinute: SoakMinute[] = [];
let cursor = 0;
const sampleMinute = (minute: number) => {
  const received = clients.flatMap(({ s, pair }) =>
    pair.flatMap((c) =>
      c.received
        .slice(0)
        .filter(
          (r) => r.content === 'message' && r.at > t0 + (minute - 1) * 60_000 && r.at <= t0 + minute * 60_000,
        )
        .map((r) => r.at - (s.sentAt.get(String(r.messageId)) ?? r.at)),
    ),
  );
  perMinute.push({
    minute,
    received: received.length,
    p50Ms: percentile(received, 50),
    p99Ms: percentile(received, 99),
    maxMs: received.length ? Math.max(...received) : Number.NaN,
    rssKb: cluster.memory(),
    faults: faults.filter((f) => f.at > (minute - 1) * 60_000 && f.at <= minute * 60_000).map((f) => f.fault),
  });
  log(`minute ${minute}: ${received.length} received, p99 ${percentile(received, 99).toFixed(1)} ms`);
};
const totalMinutes = Math.ceil(args.minutes);
while (cursor < totalMinutes) {
  const boundary = Math.min(t0 + (cursor + 1) * 60_000, endAt);
  await sleep(Math.max(0, boundary - Date.now()));
  sampleMinute(++cursor);
}
stopping = true;
await traffic;
await faultLoop;
log('traffic stopped; waiting for every client to catch up (at most 60 s)');
// A Set per client: with ~9,000 messages per session a list lookup made each probe take seconds.
await waitFor(
  () =>
    clients.every(({ s, pair }) =>
      pair.every((c) => {
        const got = new Set(c.messageIds());
        return s.sent.every((id) => got.has(id));
      }),
    ),
  {
    timeoutMs: 60_000,
    what: 'every client complete',
  },
).catch(() => log('some clients are still missing messages after 60 s'));

const perClient = clients.flatMap(({ s, pair }) =>
  pair.map((c) => ({
    session: s.sid,
    connects: c.connects,
    resumes: c.resumes.reduce<Record<string, number>>((acc, r) => {
      acc[r] = (acc[r] ?? 0) + 1;
      return acc;
    }, {}),
    ...compareLedger(s.sent, c.messageIds()),
  })),
);
const report: SoakReport = {
  startedAt,
  minutes: args.minutes,
  sessions: args.sessions,
  ratePerSecond: args.rate,
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.versions.node,
  },
  totals: {
    sent: sessions.reduce((n, s) => n + s.sent.length, 0),
    resumingClients: perClient.length,
    received: perClient.reduce((n, c) => n + c.received, 0),
    lost: perClient.reduce((n, c) => n + c.lost.length, 0),
    duplicated: perClient.reduce((n, c) => n + c.duplicated.length, 0),
    outOfOrder: perClient.reduce((n, c) => n + c.outOfOrder, 0),
  },
  seedReplayChecks: seedChecks,
  perClient,
  perMinute,
  faults,
};
for (const { pair } of clients) for (const c of pair) c.stop();
await cluster.stop();
mkdirSync(args.out, { recursive: true });
const stamp = startedAt.replace(/[:.]/g, '-');
writeFileSync(join(args.out, `${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(args.out, `${stamp}.md`), soakMarkdown(report));
log(`report: ${join(args.out, `${stamp}.md`)}`);
console.log(
  `soak: ${report.totals.sent} sent, ${report.totals.lost} lost, ${report.totals.duplicated} duplicated`,
);
process.exit(report.totals.lost === 0 && report.totals.duplicated === 0 ? 0 : 1);
