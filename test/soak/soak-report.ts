import type { LedgerResult } from '../support/ledger.ts';

/** One minute of the soak: latency of messages received in it, memory of every process. */
export interface SoakMinute {
  minute: number;
  received: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  rssKb: Record<string, number>;
  faults: string[];
}

export interface SoakReport {
  startedAt: string;
  minutes: number;
  sessions: number;
  ratePerSecond: number;
  machine: { cpus: number; cpuModel: string; memGiB: number; node: string };
  totals: {
    sent: number;
    resumingClients: number;
    received: number;
    lost: number;
    duplicated: number;
    outOfOrder: number;
  };
  seedReplayChecks: { done: number; failed: number };
  perClient: (LedgerResult & { session: string; connects: number; resumes: Record<string, number> })[];
  perMinute: SoakMinute[];
  faults: { at: number; fault: string }[];
}

/** The Markdown page of a soak report. */
export function soakMarkdown(r: SoakReport): string {
  const t = r.totals;
  const lines = [
    `# Soak report ${r.startedAt}`,
    '',
    `${r.minutes} min, ${r.sessions} sessions, ${r.ratePerSecond} messages/s, faults every cycle; ` +
      `${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memGiB} GiB, Node ${r.machine.node}.`,
    '',
    '| sent | resuming clients | received | lost | duplicated | out of order | bare replay checks (failed) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    `| ${t.sent} | ${t.resumingClients} | ${t.received} | ${t.lost} | ${t.duplicated} | ${t.outOfOrder} | ${r.seedReplayChecks.done} (${r.seedReplayChecks.failed}) |`,
    '',
    '## Per minute',
    '',
    `| minute | received | p50 ms | p99 ms | max ms | faults | ${Object.keys(r.perMinute[0]?.rssKb ?? {})
      .map((k) => `${k} MiB`)
      .join(' | ')} |`,
    `| --- | --- | --- | --- | --- | --- | ${Object.keys(r.perMinute[0]?.rssKb ?? {})
      .map(() => '---')
      .join(' | ')} |`,
    ...r.perMinute.map(
      (m) =>
        `| ${m.minute} | ${m.received} | ${m.p50Ms.toFixed(1)} | ${m.p99Ms.toFixed(1)} | ${m.maxMs.toFixed(1)} | ${m.faults.join(', ') || '–'} | ${Object.values(
          m.rssKb,
        )
          .map((kb) => (kb / 1024).toFixed(1))
          .join(' | ')} |`,
    ),
    '',
    'Latency is simulator send → resuming client receive (same clock), including the control API',
    "call; minutes with a fault include the outage. Memory is each process's RSS at the end of the",
    'minute; a replaced worker or edge starts again from its fresh size.',
    '',
  ];
  return lines.join('\n');
}
