import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Every metric the edge exports; created once per edge on its registry. */
export function createEdgeMetrics(registry: Registry) {
  const registers = [registry];
  return {
    connections: new Gauge({
      name: 'wasock_edge_connections',
      help: 'Open client connections by phase (handshake or live).',
      labelNames: ['phase'] as const,
      registers,
    }),
    handshakes: new Counter({
      name: 'wasock_edge_handshakes_total',
      help: 'Finished handshakes by outcome (ok or the error code).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    delivered: new Counter({
      name: 'wasock_edge_events_delivered_total',
      help: 'Event lines written to client sockets (replay and live).',
      registers,
    }),
    latency: new Histogram({
      name: 'wasock_edge_delivery_latency_seconds',
      help: 'Time from the XADD in Redis to the live event being handed to client sockets.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    replay: new Histogram({
      name: 'wasock_edge_replay_duration_seconds',
      help: 'Time from a good token to the replay being queued on the socket.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    slowConsumers: new Counter({
      name: 'wasock_edge_slow_consumer_disconnects_total',
      help: 'Clients cut off because their unsent bytes passed EDGE_MAX_BUFFERED_BYTES.',
      registers,
    }),
    revocations: new Counter({
      name: 'wasock_edge_revoked_connections_total',
      help: 'Connections closed because their token was revoked.',
      registers,
    }),
    redisReconnects: new Counter({
      name: 'wasock_edge_redis_reconnects_total',
      help: 'Times the edge reconnected to Redis and refilled live gaps from the streams.',
      registers,
    }),
    sessions: new Gauge({
      name: 'wasock_edge_subscribed_sessions',
      help: 'Sessions with at least one local client (live channels subscribed).',
      registers,
    }),
  };
}

export type EdgeMetrics = ReturnType<typeof createEdgeMetrics>;
