import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { ClientSpec, Conn, LineSink, Target } from './types.ts';

/** A JetStream client: its own NATS connection and an ordered consumer of its token's subject. */
export class NatsConn implements Conn {
  readonly spec: ClientSpec;
  got = 0;
  failure: string | null = null;
  private nc: NatsConnection | null = null;
  private readonly sink: LineSink;

  constructor(spec: ClientSpec, sink: LineSink) {
    this.spec = spec;
    this.sink = sink;
  }

  async open(target: Target, waitLines: number): Promise<void> {
    this.got = 0;
    this.failure = null;
    let nc: NatsConnection;
    try {
      // No reconnects: a dropped client is the benchmark's doing, it opens a new one itself.
      nc = await connect({ servers: `${target.host}:${target.port}`, reconnect: false, timeout: 20_000 });
    } catch (err) {
      this.failure = 'connect_error';
      throw err;
    }
    this.nc = nc;
    const consumer = await jetstream(nc).consumers.get(target.stream ?? '', {
      filter_subjects: this.spec.subject ?? '',
    });
    const messages = await consumer.consume();
    let ready!: () => void;
    const done = new Promise<void>((resolve) => {
      ready = resolve;
    });
    if (waitLines === 0) ready();
    void (async () => {
      for await (const m of messages) {
        const text = m.string();
        this.got++;
        this.sink.line(this, text, 0, text.length);
        if (this.got === waitLines) ready();
      }
    })().catch((err: unknown) => {
      this.failure ??= err instanceof Error ? err.name : 'consume_error';
    });
    await done;
  }

  close(): void {
    const nc = this.nc;
    this.nc = null;
    nc?.close().catch((err: unknown) => {
      this.failure ??= err instanceof Error ? err.name : 'close_error';
    });
  }
}
