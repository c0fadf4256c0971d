import type { Published } from '@wasock/store';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Live values the gauges read at scrape time. */
export interface WorkerGaugeSources {
  sessionStates: () => Iterable<string>;
  queueDepth: () => number;
}

/** Every metric the session worker exports; created once per worker on its registry. */
export function createWorkerMetrics(registry: Registry, sources?: WorkerGaugeSources) {
  const registers = [registry];
  return {
    sessions: new Gauge({
      name: 'wasock_worker_sessions',
      help: 'Sessions run by this worker, by connection state.',
      labelNames: ['state'] as const,
      registers,
      collect() {
        if (!sources) return;
        this.reset();
        for (const state of sources.sessionStates()) this.inc({ state });
      },
    }),
    framesIn: new Counter({
      name: 'wasock_worker_wa_frames_in_total',
      help: 'WhatsApp frames received.',
      registers,
    }),
    framesOut: new Counter({
      name: 'wasock_worker_wa_frames_out_total',
      help: 'WhatsApp frames sent.',
      registers,
    }),
    macFailures: new Counter({
      name: 'wasock_worker_wa_mac_failures_total',
      help: 'Encrypted WhatsApp frames dropped for a bad MAC.',
      registers,
    }),
    badFrames: new Counter({
      name: 'wasock_worker_wa_bad_frames_total',
      help: 'WhatsApp frames that could not be decoded (dropped, session kept).',
      registers,
    }),
    published: new Counter({
      name: 'wasock_worker_events_published_total',
      help: 'Events appended to session streams, by kind.',
      labelNames: ['kind'] as const,
      registers,
    }),
    duplicates: new Counter({
      name: 'wasock_worker_events_deduplicated_total',
      help: 'Events not appended because they were already published (re-deliveries, lower acks).',
      labelNames: ['kind'] as const,
      registers,
    }),
    dropped: new Counter({
      name: 'wasock_worker_events_dropped_total',
      help: 'Events refused because the publish queue was full (each one is also logged).',
      labelNames: ['kind'] as const,
      registers,
    }),
    publishLatency: new Histogram({
      name: 'wasock_worker_publish_duration_seconds',
      help: 'Time from an event entering the publish queue to its append in Redis (retries included).',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'wasock_worker_publish_queue_depth',
      help: 'Events waiting in the in-memory publish queue.',
      registers,
      collect() {
        if (sources) this.set(sources.queueDepth());
      },
    }),
    mediaJobs: new Counter({
      name: 'wasock_worker_media_jobs_total',
      help: 'Media jobs finished, by outcome (completed, retried, failed).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    mediaDuration: new Histogram({
      name: 'wasock_worker_media_job_duration_seconds',
      help: 'Download, verify, decrypt, store and publish of one media file.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    sends: new Counter({
      name: 'wasock_worker_sends_total',
      help: 'Outbound messages by outcome (sent, retried, failed).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    sendDuration: new Histogram({
      name: 'wasock_worker_send_duration_seconds',
      help: 'One send attempt: media upload, relay, WhatsApp answer.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    leaseAcquired: new Counter({
      name: 'wasock_worker_lease_acquisitions_total',
      help: 'Session leases acquired.',
      registers,
    }),
    takeovers: new Counter({
      name: 'wasock_worker_takeovers_total',
      help: 'Sessions restored from stored credentials (takeover login, no QR).',
      registers,
    }),
    leaseLost: new Counter({
      name: 'wasock_worker_leases_lost_total',
      help: 'Leases lost while running (renewal failed or another worker holds it).',
      registers,
    }),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/** Counts one `publishOnce` of an event: appended, or skipped (null) as already published. */
export function countPublish(
  metrics: WorkerMetrics,
  kind: 'message' | 'media' | 'ack',
  published: Published | null,
): void {
  (published ? metrics.published : metrics.duplicates).inc({ kind });
}
