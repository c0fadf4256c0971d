import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { Measurement } from './measurement.ts';
import { ALL_SYSTEMS, SYSTEM_LABELS, type SystemId } from './systems.ts';

// Pictures of a run, rendered server-side: a Vega-Lite spec is compiled to Vega and drawn to SVG
// by a headless View (renderer 'none'), so no browser is needed.

const SCENARIO_TITLES: Record<string, string> = {
  fanout: '1 fan-out (one hot token)',
  'many-tokens': '2 many tokens (2 clients each)',
  'idle-tokens': '3 one hot token + idle tokens',
};

const systemOrder = ALL_SYSTEMS.map((s) => SYSTEM_LABELS[s]);
const label = (s: Measurement['system']) => (s in SYSTEM_LABELS ? SYSTEM_LABELS[s as SystemId] : s);

async function render(spec: vl.TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}

/** Delivered events/s against client count, every system side by side, one panel per scenario. */
export function throughputChart(ms: Measurement[]): Promise<string> {
  const values = ms
    .filter((m) => !m.error && m.case.startsWith('flood') && m.scenario in SCENARIO_TITLES)
    .map((m) => ({
      scenario: SCENARIO_TITLES[m.scenario],
      clients: m.clients.toLocaleString('en-US'),
      system: label(m.system),
      eventsPerSec: m.figures.eventsPerSec ?? 0,
    }));
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Delivered events/s (flood) by client count',
    data: { values },
    facet: { column: { field: 'scenario', type: 'nominal', title: null } },
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 260,
      height: 260,
      mark: 'bar',
      encoding: {
        x: { field: 'clients', type: 'ordinal', title: 'clients', sort: null },
        xOffset: { field: 'system', sort: systemOrder },
        y: { field: 'eventsPerSec', type: 'quantitative', title: 'delivered events/s' },
        color: { field: 'system', type: 'nominal', sort: systemOrder, title: 'system' },
        tooltip: [{ field: 'system' }, { field: 'eventsPerSec' }],
      },
    },
  });
}

/** Latency percentiles of the fixed-rate phases, every system side by side, one panel per case. */
export function latencyChart(ms: Measurement[]): Promise<string> {
  const percentiles = ['p50', 'p90', 'p99', 'p99.9', 'max'] as const;
  const values = ms
    .filter((m) => !m.error && m.case.startsWith('rate') && m.latency && m.latency.count > 0)
    .flatMap((m) => {
      const l = m.latency as NonNullable<Measurement['latency']>;
      const byName = { p50: l.p50, p90: l.p90, p99: l.p99, 'p99.9': l.p999, max: l.max };
      return percentiles.map((p) => ({
        panel: `${SCENARIO_TITLES[m.scenario] ?? m.scenario}, ${m.clients.toLocaleString('en-US')} clients${m.case.includes('idle') ? ` (${m.case.replace('rate, ', '')})` : ''}`,
        percentile: p,
        system: label(m.system),
        // Log scale: a sub-microsecond floor keeps zeros drawable.
        ms: Math.max(byName[p], 0.001),
      }));
    });
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Publish → client latency at a fixed rate (ms, log scale)',
    data: { values },
    facet: { field: 'panel', type: 'nominal', title: null },
    columns: 3,
    spec: {
      width: 220,
      height: 200,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'percentile', type: 'ordinal', sort: [...percentiles], title: null },
        y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'ms' },
        color: { field: 'system', type: 'nominal', sort: systemOrder, title: 'system' },
      },
    },
  });
}

/** Capacity: RSS per connection and clients held, one bar per system. */
export function capacityChart(ms: Measurement[]): Promise<string> {
  const values = ms
    .filter((m) => !m.error && m.scenario === 'capacity' && m.case === 'max')
    .flatMap((m) => [
      { metric: 'clients held', system: label(m.system), value: m.figures.held ?? 0 },
      {
        metric: 'RSS per connection (bytes)',
        system: label(m.system),
        value: m.figures.rssPerConnBytes ?? 0,
      },
    ]);
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Capacity of one server process',
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 240,
      height: 220,
      mark: 'bar',
      encoding: {
        x: { field: 'system', type: 'nominal', sort: systemOrder, title: null, axis: { labelAngle: -30 } },
        y: { field: 'value', type: 'quantitative', title: null },
        color: { field: 'system', type: 'nominal', sort: systemOrder, legend: null },
      },
    },
  });
}
