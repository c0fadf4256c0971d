import type { Logger } from '@wasock/runtime';

/** One event waiting to be published, with what it needs to publish itself once. */
export interface QueuedPublish {
  sid: string;
  /** What the log and metrics call it (`message`, `ack`, `media`). */
  kind: string;
  run: () => Promise<unknown>;
}

export interface PublishQueueOptions {
  maxItems: number;
  logger: Logger;
  /** Backoff between failed attempts, by attempt number (1-based). */
  backoffMs?: (attempt: number) => number;
  onDropped?: (item: QueuedPublish) => void;
  onPublished?: (item: QueuedPublish, ms: number) => void;
  onRetry?: (item: QueuedPublish, err: unknown) => void;
}

/**
 * A bounded in-memory FIFO in front of Redis: events are published strictly in order; when a
 * publish fails (Redis down) the head is retried with backoff until it succeeds. When the queue
 * is full a new event is refused, counted and logged — never dropped silently.
 */
export class PublishQueue {
  private readonly items: QueuedPublish[] = [];
  private running = false;
  private stopped = false;
  private idle: (() => void)[] = [];
  private readonly opts: PublishQueueOptions;

  constructor(opts: PublishQueueOptions) {
    this.opts = opts;
  }

  get depth(): number {
    return this.items.length;
  }

  /** Queues an event; false (and a counted, logged drop) when the queue is full. */
  push(item: QueuedPublish): boolean {
    if (this.items.length >= this.opts.maxItems) {
      this.opts.logger.error(
        { sid: item.sid, kind: item.kind, depth: this.items.length },
        'publish queue full: event dropped',
      );
      this.opts.onDropped?.(item);
      return false;
    }
    this.items.push(item);
    if (!this.running) void this.drain();
    return true;
  }

  /** Resolves when every queued event has been published (or the queue was stopped). */
  whenIdle(): Promise<void> {
    if (this.items.length === 0 && !this.running) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Stops retrying; what is still queued is reported as dropped. */
  stop(): void {
    this.stopped = true;
    for (const item of this.items.splice(0)) {
      this.opts.logger.error({ sid: item.sid, kind: item.kind }, 'publish queue stopped: event dropped');
      this.opts.onDropped?.(item);
    }
  }

  private async drain(): Promise<void> {
    this.running = true;
    const backoff = this.opts.backoffMs ?? ((n: number) => Math.min(50 * 2 ** (n - 1), 2000));
    while (this.items.length > 0 && !this.stopped) {
      const item = this.items[0] as QueuedPublish;
      const started = performance.now();
      for (let attempt = 1; !this.stopped; attempt++) {
        try {
          await item.run();
          this.opts.onPublished?.(item, performance.now() - started);
          break;
        } catch (err) {
          this.opts.onRetry?.(item, err);
          if (attempt === 1 || attempt % 20 === 0) {
            this.opts.logger.warn(
              { err, sid: item.sid, kind: item.kind, attempt },
              'publish failed; retrying',
            );
          }
          await new Promise((r) => setTimeout(r, backoff(attempt)));
        }
      }
      if (this.items[0] === item) this.items.shift();
    }
    this.running = false;
    for (const resolve of this.idle.splice(0)) resolve();
  }
}
