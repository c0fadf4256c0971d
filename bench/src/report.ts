import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { capacityChart, latencyChart, throughputChart } from './charts.ts';
import type { MachineFacts } from './machine.ts';
import type { Measurement } from './measurement.ts';
import type { Sizes } from './sizes.ts';
import { SYSTEM_LABELS, type SystemId } from './systems.ts';
import type { TargetResult } from './targets.ts';

/** Everything one run produced: what the JSON file holds. */
export interface RunReport {
  date: string;
  mode: 'full' | 'quick';
  command: string;
  durationS: number;
  machine: MachineFacts;
  sizes: Sizes;
  systems: SystemId[];
  measurements: Measurement[];
  targets: TargetResult[];
  pending: string[];
  notes: string[];
}

/** The files a run wrote. */
export interface WrittenReport {
  json: string;
  markdown: string;
  charts: string[];
}

const n = (x: number | undefined, digits = 0) =>
  x === undefined || Number.isNaN(x) ? '–' : x.toLocaleString('en-US', { maximumFractionDigits: digits });
const sysName = (s: Measurement['system']) => (s in SYSTEM_LABELS ? SYSTEM_LABELS[s as SystemId] : s);

function ratioTo(ms: Measurement[], m: Measurement, base: SystemId): string {
  const b = ms.find(
    (x) =>
      x.scenario === m.scenario &&
      x.case === m.case &&
      x.clients === m.clients &&
      x.system === base &&
      !x.error,
  );
  const a = m.figures.eventsPerSec;
  const bv = b?.figures.eventsPerSec;
  return a !== undefined && bv ? `${n(a / bv, 2)}×` : '–';
}

function deliveryTable(ms: Measurement[], scenario: Measurement['scenario']): string {
  const rows = ms.filter((m) => m.scenario === scenario);
  if (rows.length === 0) return '_not run_\n';
  const head =
    '| case | system | clients | delivered events/s | vs wire (1 line/write) | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | lost clients | missed lines | server CPU s | Redis CPU s |\n' +
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n';
  const body = rows
    .map((m) => {
      if (m.error)
        return `| ${m.case} | ${sysName(m.system)} | ${n(m.clients)} | **failed**: ${m.error} | | | | | | | | | | |`;
      const l = m.latency;
      return `| ${m.case} | ${sysName(m.system)} | ${n(m.clients)} | ${n(m.figures.eventsPerSec)} | ${ratioTo(ms, m, 'wire-line')} | ${n(l?.p50, 2)} | ${n(l?.p90, 2)} | ${n(l?.p99, 2)} | ${n(l?.p999, 2)} | ${n(l?.max, 2)} | ${n(m.figures.lost)} | ${n(m.figures.missedLines)} | ${n(m.figures.serverCpuS, 2)} | ${n(m.figures.redisCpuS, 2)} |`;
    })
    .join('\n');
  return `${head}${body}\n`;
}

function stormTable(ms: Measurement[]): string {
  const rows = ms.filter((m) => m.scenario === 'storm');
  if (rows.length === 0) return '_not run_\n';
  const head =
    '| system | clients | time until all replayed (s) | ready | failed | errors (retried) | server CPU s | Redis CPU s | notes |\n' +
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n';
  return `${head}${rows
    .map((m) =>
      m.error
        ? `| ${sysName(m.system)} | ${n(m.clients)} | **failed**: ${m.error} | | | | | | |`
        : `| ${sysName(m.system)} | ${n(m.clients)} | ${n(m.figures.replayedSeconds, 3)} | ${n(m.figures.ready)} | ${n(m.figures.failed)} | ${n(m.figures.errors)} | ${n(m.figures.serverCpuS, 2)} | ${n(m.figures.redisCpuS, 2)} | ${(m.notes ?? []).join('; ')} |`,
    )
    .join('\n')}\n`;
}

function capacityTable(ms: Measurement[]): string {
  const rows = ms.filter((m) => m.scenario === 'capacity');
  if (rows.length === 0) return '_not run_\n';
  const head =
    '| system | case | clients held | server RSS (MiB) | RSS per connection (bytes) | Redis connections held | notes |\n' +
    '| --- | --- | ---: | ---: | ---: | ---: | --- |\n';
  return `${head}${rows
    .map((m) =>
      m.error
        ? `| ${sysName(m.system)} | ${m.case} | **failed**: ${m.error} | | | | |`
        : `| ${sysName(m.system)} | ${m.case} | ${n(m.figures.held)} | ${n((m.figures.rssBytes ?? m.figures.rssBaseBytes ?? Number.NaN) / 2 ** 20, 1)} | ${n(m.figures.rssPerConnBytes)} | ${n(m.figures.redisConnections)} | ${(m.notes ?? []).join('; ')} |`,
    )
    .join('\n')}\n`;
}

function ingestTable(ms: Measurement[]): string {
  const rows = ms.filter((m) => m.scenario === 'ingest');
  if (rows.length === 0) return '_not run_\n';
  return `| case | figures | p50 ms | p99 ms | notes |\n| --- | --- | ---: | ---: | --- |\n${rows
    .map(
      (m) =>
        `| ${m.case} | ${
          m.error
            ? `**failed**: ${m.error}`
            : Object.entries(m.figures)
                .map(([k, v]) => `${k} ${n(v, 2)}`)
                .join(', ')
        } | ${n(m.latency?.p50, 2)} | ${n(m.latency?.p99, 2)} | ${(m.notes ?? []).join('; ')} |`,
    )
    .join('\n')}\n`;
}

function targetsTable(ts: TargetResult[]): string {
  const verdict = (t: TargetResult) => (t.met === null ? 'not measured' : t.met ? '**met**' : '**not met**');
  return `| target | measured | ratio | verdict |\n| --- | --- | ---: | --- |\n${ts
    .map((t) => `| ${t.target} | ${t.measured} | ${t.ratio === null ? '–' : n(t.ratio, 2)} | ${verdict(t)} |`)
    .join('\n')}\n`;
}

/** The Markdown report of a run. */
export function markdown(r: RunReport, base: string): string {
  const m = r.machine;
  return `# wasock benchmark — ${r.date} (${r.mode})

Produced by \`${r.command}\` in ${n(r.durationS)} s. Every ratio compares systems measured in this
same run on this machine${r.mode === 'quick' ? '. **Quick mode: tiny sizes, the figures prove only that the suite runs.**' : '.'}

**Machine**: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Linux ${m.kernel}, open files ${n(m.openFilesLimit)} per process ·
Node ${m.node} · Redis ${m.redis} · nats-server ${m.nats} · commit \`${m.gitCommit.slice(0, 12)}\`${m.gitDirty ? ' (with uncommitted changes)' : ''}

## Targets

${targetsTable(r.targets)}
## 1 Fan-out, one hot token

Flood: published as fast as clients read (at most ${n(r.sizes.windowLines)} lines in flight). Rate: ${n(r.sizes.rateLinesPerSec)} delivered lines/s.

${deliveryTable(r.measurements, 'fanout')}
## 2 Many tokens (${n(r.sizes.manyTokens)} tokens × ${r.sizes.clientsPerToken} clients)

${deliveryTable(r.measurements, 'many-tokens')}
## 3 Idle-token independence (hot token with ${n(r.sizes.idleHotClients)} clients)

${deliveryTable(r.measurements, 'idle-tokens')}
## 4 Reconnect storm (${n(r.sizes.stormTokens)} tokens × ${r.sizes.stormClientsPerToken} clients, ${r.sizes.stormFill} stored events each)

${stormTable(r.measurements)}
## 5 Capacity (idle clients on one server process)

${capacityTable(r.measurements)}
## 6 Ingest

${ingestTable(r.measurements)}
## Pictures

![delivered events/s](${base}-throughput.svg)

![latency percentiles](${base}-latency.svg)

![capacity](${base}-capacity.svg)
${r.pending.length ? `\n## Pending\n\n${r.pending.map((p) => `- ${p}`).join('\n')}\n` : ''}${r.notes.length ? `\n## Notes\n\n${r.notes.map((p) => `- ${p}`).join('\n')}\n` : ''}`;
}

/** Writes `<dir>/<date>.json`, `.md` and the SVG charts. */
export async function writeReport(dir: string, r: RunReport): Promise<WrittenReport> {
  mkdirSync(dir, { recursive: true });
  const base = r.date;
  const json = join(dir, `${base}.json`);
  writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  const charts: [string, string][] = [
    [`${base}-throughput.svg`, await throughputChart(r.measurements)],
    [`${base}-latency.svg`, await latencyChart(r.measurements)],
    [`${base}-capacity.svg`, await capacityChart(r.measurements)],
  ];
  for (const [file, svg] of charts) writeFileSync(join(dir, file), svg);
  const md = join(dir, `${base}.md`);
  writeFileSync(md, markdown(r, base));
  return { json, markdown: md, charts: charts.map(([f]) => join(dir, f)) };
}
