import { Counter, Gauge, type Registry } from 'prom-client';

/** Every metric the admin app exports; created once on its registry. */
export function createAdminMetrics(registry: Registry) {
  const registers = [registry];
  return {
    requests: new Counter({
      name: 'wasock_admin_http_requests_total',
      help: 'Admin HTTP requests by route (method and path template) and status.',
      labelNames: ['route', 'status'] as const,
      registers,
    }),
    liveClients: new Gauge({
      name: 'wasock_admin_live_clients',
      help: 'Authenticated WebSocket clients on /live.',
      registers,
    }),
  };
}
export type AdminMetrics = ReturnType<typeof createAdminMetrics>;
