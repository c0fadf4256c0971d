// The publishing side of wasock and the naive edge (Redis, through the store's StreamPublisher:
// the same validated XADD MAXLEN=50 + PUBLISH the session worker does) and of NATS JetStream
// (js.publish to the token's subject). A child process, so publishing never shares a core's
// event loop with the clients or the server.

import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectRedis, type Redis, StreamPublisher } from '@wasock/store';
import { now } from './clock.ts';
import { BenchError } from './errors.ts';
import { benchEvent, benchLine } from './event-shape.ts';
import { serve } from './ipc.ts';
import { type Emitter, type FloodArgs, flood, paced, type RateArgs } from './pacing.ts';
import type { TokenRef } from './tokens.ts';

export type SourceInit = { kind: 'redis'; url: string } | { kind: 'nats'; host: string; port: number };

let emitter: Emitter | null = null;
let tokens: TokenRef[] = [];
let received = 0;
let redis: Redis | null = null;
let nc: NatsConnection | null = null;

function redisEmitter(publisher: StreamPublisher): Emitter {
  return {
    emit: (slot, seq, pubMs) =>
      publisher.publish((tokens[slot] as TokenRef).sid, benchEvent(seq, pubMs)).then(() => undefined),
  };
}

function natsEmitter(js: JetStreamClient): Emitter {
  return {
    emit: (slot, seq, pubMs) => {
      const t = tokens[slot] as TokenRef;
      // The same bytes a wasock client reads (minus the newline: NATS frames messages itself).
      return js.publish(t.subject, benchLine(t.token, seq, pubMs).slice(0, -1)).then(() => undefined);
    },
  };
}

async function fill(count: number): Promise<void> {
  if (!emitter) throw new BenchError('usage', 'source not initialised');
  const e = emitter;
  // Bounded concurrency: a few thousand streams are filled without a burst of promises.
  let next = 0;
  const total = tokens.length * count;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      await e.emit(i % tokens.length, i, now());
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
}

serve(
  {
    async init(a: SourceInit): Promise<void> {
      if (a.kind === 'redis') {
        redis = connectRedis(a.url, { name: 'bench-source' });
        emitter = redisEmitter(new StreamPublisher(redis));
      } else {
        // Loaded only for NATS, so the Redis-backed runs do not pay for it at start-up.
        const [{ connect }, { jetstream }] = await Promise.all([
          import('@nats-io/transport-node'),
          import('@nats-io/jetstream'),
        ]);
        nc = await connect({ servers: `${a.host}:${a.port}` });
        emitter = natsEmitter(jetstream(nc));
      }
    },
    async prepare(a: { tokens: TokenRef[]; fill: number }): Promise<void> {
      tokens = a.tokens;
      if (a.fill > 0) await fill(a.fill);
    },
    flood(a: FloodArgs) {
      if (!emitter) throw new BenchError('usage', 'source not initialised');
      received = 0;
      return flood(emitter, a, () => received);
    },
    rate(a: RateArgs) {
      if (!emitter) throw new BenchError('usage', 'source not initialised');
      return paced(emitter, a);
    },
    async close(): Promise<void> {
      redis?.disconnect();
      await nc?.close();
    },
  },
  (name, data) => {
    if (name === 'received') received = (data as { lines: number }).lines;
  },
);
