import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { createRegistry } from '@wasock/runtime';
import { repoRoot } from './kustomize.ts';

type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

/** A series name Prometheus stores, with the type and labels of the metric it comes from. */
interface Series {
  metric: string;
  type: MetricType;
  labels: Set<string>;
}

// Labels Prometheus attaches at scrape time (static jobs, PodMonitor targets), and `app`, the
// default label every app registry sets.
const TARGET_LABELS = ['job', 'instance', 'namespace', 'pod', 'container', 'endpoint', 'service', 'app'];

// Series the alerts and dashboard use that no wasock app exports: Prometheus' own scrape health,
// and kube-state-metrics (on Kubernetes; absent under docker-compose, where that alert stays quiet).
const EXTERNAL: Series[] = [
  { metric: 'up', type: 'gauge', labels: new Set() },
  { metric: 'kube_deployment_status_replicas_ready', type: 'gauge', labels: new Set(['deployment']) },
];

function seriesOf(metric: string, type: MetricType, labels: string[]): Series[] {
  const base = { metric, type, labels: new Set(labels) };
  if (type !== 'histogram' && type !== 'summary') return [base];
  return [
    { ...base, metric: `${metric}_bucket`, labels: new Set([...labels, 'le']) },
    { ...base, metric: `${metric}_sum` },
    { ...base, metric: `${metric}_count` },
  ];
}

/**
 * The metrics an app registers in apps/<app>/src/metrics.ts, read from its source: every
 * `new Counter|Gauge|Histogram|Summary({ name: '…', labelNames: [...] })`.
 */
export function appMetrics(app: string): { name: string; type: MetricType; labels: string[] }[] {
  const source = readFileSync(join(repoRoot, 'apps', app, 'src', 'metrics.ts'), 'utf8');
  return source
    .split(/new (?=(?:Counter|Gauge|Histogram|Summary)\()/)
    .slice(1)
    .map((chunk) => {
      const type = /^(\w+)/.exec(chunk)![1]!.toLowerCase() as MetricType;
      const name = /name:\s*'([^']+)'/.exec(chunk)?.[1];
      if (!name) throw new Error(`apps/${app}/src/metrics.ts: a ${type} without a literal name`);
      const labels = /labelNames:\s*\[([^\]]*)\]/.exec(chunk)?.[1] ?? '';
      return { name, type, labels: [...labels.matchAll(/'([^']+)'/g)].map((m) => m[1]!) };
    });
}

/** Every series name the apps can expose (their metrics and the Node process metrics), by name. */
export async function knownSeries(apps: string[]): Promise<Map<string, Series>> {
  const all: Series[] = [...EXTERNAL];
  for (const app of apps) {
    for (const m of appMetrics(app)) all.push(...seriesOf(m.name, m.type, m.labels));
  }
  for (const m of await createRegistry('probe').getMetricsAsJSON()) {
    const labels = new Set<string>();
    for (const v of m.values) for (const l of Object.keys(v.labels)) labels.add(l);
    all.push(...seriesOf(m.name, String(m.type) as MetricType, [...labels]));
  }
  return new Map(all.map((s) => [s.metric, s]));
}

// Grafana's interval variables, replaced by a plausible value so the expression parses.
const GRAFANA_VARIABLES: Record<string, string> = {
  $__rate_interval: '5m',
  $__interval: '1m',
  $__range: '1h',
};

const COUNTER_FUNCTIONS = new Set(['rate', 'irate', 'increase', 'resets']);

/** The name of the function whose argument `node` is, if any. */
function enclosingFunction(node: SyntaxNode, expr: string): string | undefined {
  let n: SyntaxNode | null = node.parent;
  while (n && n.name !== 'FunctionCall' && n.name !== 'PromQL') n = n.parent;
  const ident = n?.name === 'FunctionCall' ? n.getChild('FunctionIdentifier') : null;
  return ident ? expr.slice(ident.from, ident.to) : undefined;
}

/**
 * Problems with one PromQL expression: syntax errors, series no app exports, label matchers on
 * labels the series does not have, and rate()/increase() over something that is not a counter.
 */
export function promqlErrors(source: string, known: Map<string, Series>): string[] {
  let expr = source;
  for (const [name, value] of Object.entries(GRAFANA_VARIABLES)) expr = expr.replaceAll(name, value);
  const errors: string[] = [];
  if (/\$\w/.test(expr)) errors.push(`unknown Grafana variable in ${source}`);
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.type.isError) {
        errors.push(`syntax error at ${ref.from} in ${source}`);
        return false;
      }
      if (ref.name !== 'VectorSelector') return undefined;
      const node = ref.node;
      const ident = node.getChild('Identifier');
      if (!ident) {
        errors.push(`a selector without a metric name in ${source}`);
        return false;
      }
      const metric = expr.slice(ident.from, ident.to);
      const series = known.get(metric);
      if (!series) {
        errors.push(`${metric} is exported by no app (in ${source})`);
        return false;
      }
      for (const label of node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []) {
        const nameNode = label.getChild('LabelName')!;
        const name = expr.slice(nameNode.from, nameNode.to);
        if (!series.labels.has(name) && !TARGET_LABELS.includes(name)) {
          errors.push(`${metric} has no label ${name} (in ${source})`);
        }
      }
      const fn = enclosingFunction(node, expr);
      const countsUp = series.type === 'counter' || series.type === 'histogram' || series.type === 'summary';
      if (fn && COUNTER_FUNCTIONS.has(fn) && !countsUp) {
        errors.push(`${fn}() over ${metric}, a ${series.type} (in ${source})`);
      }
      return false;
    },
  });
  return errors;
}
