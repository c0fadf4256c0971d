import { connectRedis, type Redis, readLatest } from '@wasock/store';
import { RedisServer, sleep, waitFor } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue } from './support/edge-process.ts';
import { Gateway } from './support/fixtures.ts';
import {
  linkSession,
  type SimProcess,
  startSim,
  startWorker,
  testCredsKey,
  type WorkerProcess,
} from './support/system.ts';

const CONTACT = '593123456789@c.us';
let redis: RedisServer;
let sim: SimProcess;
let worker: WorkerProcess;
let gw: Gateway;
let conn: Redis;

beforeAll(async () => {
  redis = await RedisServer.start({ persistent: true });
  gw = new Gateway(redis.url);
  conn = connectRedis(redis.url, { name: 'wasock-test' });
  conn.on('error', () => undefined);
  sim = await startSim();
  // The stream keeps 200 here so that all 100 messages can be checked in it.
  worker = await startWorker(redis.url, sim.wsUrl, testCredsKey(), {
    STREAM_MAXLEN: '200',
    LEASE_TTL_MS: '15000',
  });
});
afterAll(async () => {
  await worker?.stop('SIGKILL');
  await sim?.stop();
  gw?.close();
  conn?.disconnect();
  await redis?.dispose();
});

describe('Redis stopped under a working session', () => {
  it('publishes all 100 messages sent during a 5 s outage, in order, once, after Redis returns', async () => {
    const { sid } = await gw.createToken();
    const simSession = await linkSession(redis.url, sim.control, sid);
    await redis.kill();
    const stoppedAt = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      ids.push(
        (await sim.control.sendMessage({ session: simSession, kind: 'text', from: CONTACT, text: `#${i}` }))
          .id,
      );
    }
    await waitFor(
      async () => metricValue(await worker.metrics(), 'wasock_worker_publish_queue_depth') === 100,
      {
        what: '100 events waiting in the publish queue',
      },
    );
    await sleep(Math.max(0, 5000 - (Date.now() - stoppedAt)));
    expect(await fetch(`http://127.0.0.1:${worker.httpPort}/readyz`).then((r) => r.status)).toBe(503);
    await redis.restart();

    await waitFor(async () => (await readLatest(conn, sid, 200)).entries.length >= 100, {
      what: 'all 100 messages in the stream',
      timeoutMs: 20_000,
    });
    await sleep(200);
    const bodies = (await readLatest(conn, sid, 200)).entries.map(
      (e) => JSON.parse(e.body) as { body: string; messageId: string },
    );
    expect(bodies.map((b) => b.body)).toEqual(Array.from({ length: 100 }, (_, i) => `#${i}`));
    expect(bodies.map((b) => b.messageId.split('_').pop())).toEqual(ids);
    const metrics = await worker.metrics();
    expect(metricValue(metrics, 'wasock_worker_events_dropped_total', '{kind="message"}')).toBe(0);
    await waitFor(async () => (await fetch(`http://127.0.0.1:${worker.httpPort}/readyz`)).status === 200, {
      what: 'the worker ready again',
    });
  }, 60_000);
});
