import { collectDefaultMetrics, Registry } from 'prom-client';

// prom-client's gauges of active handles/requests/resources end in `_total`, which Prometheus
// reserves for counters (promtool's lint refuses them); the same numbers are in the unsuffixed
// per-type gauges, so these three are dropped.
const MISNAMED_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/** A fresh registry with the Node process metrics, labelled with the app name. */
export function createRegistry(app: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry });
  for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(name);
  return registry;
}
