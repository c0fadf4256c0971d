import { RedisServer, sleep, waitFor } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EdgeProcess, metricValue, startEdge } from './support/edge-process.ts';
import { Gateway, indexOf } from './support/fixtures.ts';
import { LineClient } from './support/line-client.ts';

// This file owns its Redis: it is killed and restarted under the edge.
let redis: RedisServer;
let edge: EdgeProcess;
let gw: Gateway;
beforeAll(async () => {
  redis = await RedisServer.start({ persistent: true });
  gw = new Gateway(redis.url);
  edge = await startEdge(redis.url);
});
afterAll(async () => {
  await edge?.stop();
  gw?.close();
  await redis?.dispose();
});

describe('Redis restarted under connected clients', () => {
  it('keeps clients connected and delivers every event published after the restart, once', async () => {
    const { token, sid } = await gw.createToken();
    await gw.publishRange(sid, 1, 3);
    const clients = await Promise.all([1, 2, 3].map(() => LineClient.connect(edge.port, token)));
    for (const c of clients) await c.waitForLines(3);

    await redis.kill();
    await sleep(300);
    await redis.restart();
    await gw.publishRange(sid, 4, 40);

    for (const c of clients) {
      await waitFor(() => c.lines.length >= 40, { what: 'the events published after the restart' });
      await sleep(100);
      expect(c.closed).toBe(false);
      expect(c.lines.map(indexOf)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    }
    expect(metricValue(await edge.metrics(), 'wasock_edge_redis_reconnects_total')).toBeGreaterThanOrEqual(1);
    for (const c of clients) c.close();
  });

  it('fills the gap from the stream when events were published before the edge resubscribed', async () => {
    const { token, sid } = await gw.createToken();
    const c = await LineClient.connect(edge.port, token);
    await sleep(150);
    await redis.kill();
    await redis.restart();
    // Published at once, racing the edge's reconnect: live messages may be missed, the stream not.
    await gw.publishRange(sid, 1, 20);
    await waitFor(() => c.lines.length >= 20, { what: 'all 20 events' });
    await sleep(200);
    expect(c.lines.map(indexOf)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    c.close();
  });

  it('reports not ready while Redis is down and ready again after', async () => {
    const ready = async () => (await fetch(`http://127.0.0.1:${edge.httpPort}/readyz`)).status;
    expect(await ready()).toBe(200);
    await redis.kill();
    await waitFor(async () => (await ready()) === 503, { what: '/readyz 503' });
    await redis.restart();
    await waitFor(async () => (await ready()) === 200, { what: '/readyz 200' });
  });
});
