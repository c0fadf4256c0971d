// The Grafana dashboard of deploy/grafana/wasock-dashboard.json, as code: edit here, then
//   node deploy/grafana/dashboard.ts > deploy/grafana/wasock-dashboard.json
// (test/deploy/manifests.test.ts fails when the JSON and this differ).
// Job names job="sock-edge" / job="session-worker" come from the PodMonitors' jobLabel and the
// static jobs of deploy/prometheus/prometheus.yml.

type Obj = Record<string, unknown>;
type Target = [expr: string, legend: string];

export function buildDashboard(): Obj {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a template
  const ds = { type: 'prometheus', uid: '${datasource}' };
  let id = 0;
  let y = 0;
  const panels: Obj[] = [];
  const E = 'job="sock-edge"';
  const W = 'job="session-worker"';
  const R = '$__rate_interval';
  function row(title: string) {
    panels.push({
      id: ++id,
      type: 'row',
      title,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
      panels: [],
    });
    y += 1;
  }
  let x = 0;
  let rowH = 0;
  function place(w: number, h: number) {
    if (x + w > 24) {
      x = 0;
      y += rowH;
      rowH = 0;
    }
    const pos = { h, w, x, y };
    x += w;
    rowH = Math.max(rowH, h);
    return pos;
  }
  function flush() {
    if (x > 0) {
      y += rowH;
      x = 0;
      rowH = 0;
    }
  }
  function ts(
    title: string,
    description: string,
    targets: Target[],
    unit = 'short',
    w = 12,
    opts: { stack?: boolean } = {},
  ) {
    panels.push({
      id: ++id,
      type: 'timeseries',
      title,
      description,
      datasource: ds,
      gridPos: place(w, 8),
      fieldConfig: {
        defaults: {
          unit,
          custom: {
            lineWidth: 1,
            fillOpacity: opts.stack ? 30 : 10,
            stacking: { mode: opts.stack ? 'normal' : 'none' },
          },
        },
        overrides: [],
      },
      options: {
        legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
        tooltip: { mode: 'multi', sort: 'desc' },
      },
      targets: targets.map(([expr, legendFormat], i) => ({
        datasource: ds,
        expr,
        legendFormat,
        refId: String.fromCharCode(65 + i),
      })),
    });
  }
  function stat(title: string, description: string, expr: string, unit = 'short', thresholds?: Obj) {
    panels.push({
      id: ++id,
      type: 'stat',
      title,
      description,
      datasource: ds,
      gridPos: place(4, 4),
      fieldConfig: {
        defaults: {
          unit,
          thresholds: thresholds ?? { mode: 'absolute', steps: [{ color: 'green', value: null }] },
        },
        overrides: [],
      },
      options: {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        colorMode: 'value',
        graphMode: 'area',
        textMode: 'auto',
      },
      targets: [{ datasource: ds, expr, refId: 'A', instant: false }],
    });
  }
  const q = (p: number, m: string, by = 'le') =>
    `histogram_quantile(${p}, sum by (${by}) (rate(${m}_bucket[${R}])))`;

  row('Overview');
  stat('Edges up', 'Edges answering scrapes.', `sum(up{${E}})`, 'short', {
    mode: 'absolute',
    steps: [
      { color: 'red', value: null },
      { color: 'orange', value: 1 },
      { color: 'green', value: 2 },
    ],
  });
  stat('Workers up', 'Session workers answering scrapes.', `sum(up{${W}})`, 'short', {
    mode: 'absolute',
    steps: [
      { color: 'red', value: null },
      { color: 'green', value: 1 },
    ],
  });
  stat(
    'Live connections',
    'Clients past the handshake, all edges.',
    `sum(wasock_edge_connections{${E},phase="live"})`,
  );
  stat(
    'Delivered events/s',
    'Event lines written to client sockets (replay and live).',
    `sum(rate(wasock_edge_events_delivered_total{${E}}[${R}]))`,
    'ops',
  );
  stat(
    'Delivery p99',
    'XADD in Redis to the client sockets, 99th percentile.',
    q(0.99, `wasock_edge_delivery_latency_seconds`).replace('_bucket[', `_bucket{${E}}[`),
    's',
    {
      mode: 'absolute',
      steps: [
        { color: 'green', value: null },
        { color: 'orange', value: 0.25 },
        { color: 'red', value: 0.5 },
      ],
    },
  );
  stat(
    'Connected sessions',
    'WhatsApp sessions in state connected, all workers.',
    `sum(wasock_worker_sessions{${W},state="connected"})`,
  );
  flush();

  row('sock-edge');
  ts(
    'Connections by phase',
    'Open client connections, all edges.',
    [[`sum by (phase) (wasock_edge_connections{${E}})`, '{{phase}}']],
    'short',
    12,
    { stack: true },
  );
  ts('Live connections per edge', 'Balance across edges; a new edge fills as clients reconnect.', [
    [`sum by (instance) (wasock_edge_connections{${E},phase="live"})`, '{{instance}}'],
  ]);
  ts(
    'Handshakes by outcome',
    'ok, closed (the client left) or the error code.',
    [[`sum by (outcome) (rate(wasock_edge_handshakes_total{${E}}[${R}]))`, '{{outcome}}']],
    'ops',
    12,
    { stack: true },
  );
  ts(
    'Delivered events/s',
    'Replay and live event lines written to sockets.',
    [
      [`sum(rate(wasock_edge_events_delivered_total{${E}}[${R}]))`, 'all edges'],
      [`sum by (instance) (rate(wasock_edge_events_delivered_total{${E}}[${R}]))`, '{{instance}}'],
    ],
    'ops',
  );
  ts(
    'Delivery latency',
    'XADD in Redis to live event handed to client sockets.',
    [
      [q(0.5, 'wasock_edge_delivery_latency_seconds').replace('_bucket[', `_bucket{${E}}[`), 'p50'],
      [q(0.99, 'wasock_edge_delivery_latency_seconds').replace('_bucket[', `_bucket{${E}}[`), 'p99'],
      [
        `sum(rate(wasock_edge_delivery_latency_seconds_sum{${E}}[${R}])) / sum(rate(wasock_edge_delivery_latency_seconds_count{${E}}[${R}]))`,
        'mean',
      ],
    ],
    's',
  );
  ts(
    'Replay duration',
    'Good token to the replay queued on the socket.',
    [
      [q(0.5, 'wasock_edge_replay_duration_seconds').replace('_bucket[', `_bucket{${E}}[`), 'p50'],
      [q(0.99, 'wasock_edge_replay_duration_seconds').replace('_bucket[', `_bucket{${E}}[`), 'p99'],
    ],
    's',
  );
  ts(
    'Disconnects',
    'Clients cut off for not reading, and connections closed by token revocation.',
    [
      [`sum(rate(wasock_edge_slow_consumer_disconnects_total{${E}}[${R}])) * 60`, 'slow consumers / min'],
      [`sum(rate(wasock_edge_revoked_connections_total{${E}}[${R}])) * 60`, 'revoked / min'],
    ],
    'short',
    8,
  );
  ts(
    'Redis reconnects',
    'Edge reconnects to Redis (live gaps refilled from the streams).',
    [[`sum by (instance) (increase(wasock_edge_redis_reconnects_total{${E}}[${R}]))`, '{{instance}}']],
    'short',
    8,
  );
  ts(
    'Subscribed sessions',
    'Sessions with at least one local client.',
    [[`sum by (instance) (wasock_edge_subscribed_sessions{${E}})`, '{{instance}}']],
    'short',
    8,
  );
  flush();

  row('session-worker');
  ts(
    'Sessions by state',
    'WhatsApp sessions run by the workers.',
    [[`sum by (state) (wasock_worker_sessions{${W}})`, '{{state}}']],
    'short',
    12,
    { stack: true },
  );
  ts('Sessions per worker', 'Spread of sessions over the workers (leases).', [
    [`sum by (instance) (wasock_worker_sessions{${W}})`, '{{instance}}'],
  ]);
  ts(
    'Published events/s by kind',
    'Events appended to the session streams.',
    [[`sum by (kind) (rate(wasock_worker_events_published_total{${W}}[${R}]))`, '{{kind}}']],
    'ops',
    8,
    { stack: true },
  );
  ts(
    'Deduplicated and dropped',
    'Re-deliveries skipped, and events refused by a full publish queue (lost).',
    [
      [`sum by (kind) (rate(wasock_worker_events_deduplicated_total{${W}}[${R}]))`, 'deduplicated {{kind}}'],
      [`sum by (kind) (increase(wasock_worker_events_dropped_total{${W}}[${R}]))`, 'dropped {{kind}}'],
    ],
    'short',
    8,
  );
  ts(
    'Publish queue depth',
    'Events held in memory, waiting for Redis.',
    [[`max by (instance) (wasock_worker_publish_queue_depth{${W}})`, '{{instance}}']],
    'short',
    8,
  );
  ts(
    'Publish latency',
    'Publish queue to the append in Redis, retries included.',
    [
      [q(0.5, 'wasock_worker_publish_duration_seconds').replace('_bucket[', `_bucket{${W}}[`), 'p50'],
      [q(0.99, 'wasock_worker_publish_duration_seconds').replace('_bucket[', `_bucket{${W}}[`), 'p99'],
    ],
    's',
  );
  ts(
    'Media jobs by outcome',
    'completed, retried, failed.',
    [[`sum by (outcome) (rate(wasock_worker_media_jobs_total{${W}}[${R}]))`, '{{outcome}}']],
    'ops',
  );
  ts(
    'Media job duration',
    'Download, verify, decrypt, store and publish of one file.',
    [
      [q(0.5, 'wasock_worker_media_job_duration_seconds').replace('_bucket[', `_bucket{${W}}[`), 'p50'],
      [q(0.99, 'wasock_worker_media_job_duration_seconds').replace('_bucket[', `_bucket{${W}}[`), 'p99'],
    ],
    's',
  );
  ts(
    'Outbound sends by outcome',
    'Messages sent through WhatsApp: sent, retried, failed.',
    [[`sum by (outcome) (rate(wasock_worker_sends_total{${W}}[${R}]))`, '{{outcome}}']],
    'ops',
  );
  ts(
    'Send duration',
    'One send attempt: media upload, relay, WhatsApp answer.',
    [
      [q(0.5, 'wasock_worker_send_duration_seconds').replace('_bucket[', `_bucket{${W}}[`), 'p50'],
      [q(0.99, 'wasock_worker_send_duration_seconds').replace('_bucket[', `_bucket{${W}}[`), 'p99'],
    ],
    's',
  );
  ts('Leases', 'Leases acquired, sessions taken over from stored credentials, leases lost.', [
    [`sum(increase(wasock_worker_lease_acquisitions_total{${W}}[${R}]))`, 'acquired'],
    [`sum(increase(wasock_worker_takeovers_total{${W}}[${R}]))`, 'takeovers'],
    [`sum(increase(wasock_worker_leases_lost_total{${W}}[${R}]))`, 'lost'],
  ]);
  ts(
    'WhatsApp frames',
    'Frames received and sent, and frames dropped (bad MAC, undecodable).',
    [
      [`sum(rate(wasock_worker_wa_frames_in_total{${W}}[${R}]))`, 'in'],
      [`sum(rate(wasock_worker_wa_frames_out_total{${W}}[${R}]))`, 'out'],
      [`sum(rate(wasock_worker_wa_mac_failures_total{${W}}[${R}]))`, 'bad MAC'],
      [`sum(rate(wasock_worker_wa_bad_frames_total{${W}}[${R}]))`, 'undecodable'],
    ],
    'ops',
  );
  flush();

  row('Processes');
  ts(
    'CPU',
    'CPU seconds per second, per process.',
    [
      [
        `sum by (job, instance) (rate(process_cpu_seconds_total{job=~"sock-edge|session-worker"}[${R}]))`,
        '{{job}} {{instance}}',
      ],
    ],
    'percentunit',
    8,
  );
  ts(
    'Resident memory',
    'Per process.',
    [
      [
        `max by (job, instance) (process_resident_memory_bytes{job=~"sock-edge|session-worker"})`,
        '{{job}} {{instance}}',
      ],
    ],
    'bytes',
    8,
  );
  ts(
    'Event loop lag p99',
    'A busy event loop delays every socket of the process.',
    [
      [
        `max by (job, instance) (nodejs_eventloop_lag_p99_seconds{job=~"sock-edge|session-worker"})`,
        '{{job}} {{instance}}',
      ],
    ],
    's',
    8,
  );
  flush();

  return {
    uid: 'wasock-overview',
    title: 'wasock',
    description:
      'sock-edge and session-worker: connections, delivery, sessions, publishing, media, leases. Job names job="sock-edge" and job="session-worker" (PodMonitor jobLabel or the static jobs of deploy/prometheus/prometheus.yml).',
    tags: ['wasock'],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-3h', to: 'now' },
    timepicker: {},
    timezone: 'browser',
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
      ],
    },
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Prometheus',
          type: 'datasource',
          query: 'prometheus',
          current: {},
          hide: 0,
          refresh: 1,
          options: [],
        },
      ],
    },
    links: [],
    panels,
  };
}

if (import.meta.main) process.stdout.write(`${JSON.stringify(buildDashboard(), null, 2)}\n`);
