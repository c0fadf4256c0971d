import { collectDefaultMetrics, Registry } from 'prom-client';

/** A fresh registry with the Node process metrics, labelled with the app name. */
export function createRegistry(app: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry });
  return registry;
}
