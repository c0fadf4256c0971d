import { sharedTestRedis, sleep, waitFor } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EdgeProcess, metricValue, startEdge } from './support/edge-process.ts';
import { Gateway, indexOf } from './support/fixtures.ts';
import { LineClient } from './support/line-client.ts';

let edges: EdgeProcess[];
let gw: Gateway;
beforeAll(async () => {
  const { url } = await sharedTestRedis();
  gw = new Gateway(url);
  edges = await Promise.all([startEdge(url), startEdge(url)]);
});
afterAll(async () => {
  await Promise.all(edges.map((e) => e.stop()));
  gw?.close();
});

describe('replay and live delivery', () => {
  it('replays exactly the last 50 of 60 stored events, oldest first', async () => {
    const { token, sid } = await gw.createToken();
    await gw.publishRange(sid, 1, 60);
    const c = await LineClient.connect(edges[0]!.port, token);
    await c.waitForLines(50);
    await sleep(150);
    expect(c.lines.map(indexOf)).toEqual(Array.from({ length: 50 }, (_, i) => i + 11));
    c.close();
  });

  it('delivers events published during replay once each, in order, with no gap', async () => {
    const { token, sid } = await gw.createToken();
    await gw.publishRange(sid, 1, 50);
    const total = 400;
    const publishing = gw.publishRange(sid, 51, total);
    const clients: LineClient[] = [];
    for (let i = 0; i < 12; i++) {
      clients.push(await LineClient.connect(edges[i % 2]!.port, token));
      await sleep(5);
    }
    await publishing;
    for (const c of clients) {
      await waitFor(() => c.lines.length > 0 && indexOf(c.lines.at(-1)!) === total, {
        what: 'the last event',
      });
      const seen = c.lines.map(indexOf);
      const first = seen[0]!;
      // Each client starts somewhere in the replay window and then sees every event once.
      expect(seen).toEqual(Array.from({ length: total - first + 1 }, (_, k) => first + k));
      c.close();
    }
  });

  it('serves one token from two edges, and never shows a token another token’s events', async () => {
    const a = await gw.createToken('a');
    const b = await gw.createToken('b');
    const clients = await Promise.all([
      LineClient.connect(edges[0]!.port, a.token),
      LineClient.connect(edges[1]!.port, a.token),
      LineClient.connect(edges[0]!.port, b.token),
      LineClient.connect(edges[1]!.port, b.token),
    ]);
    await sleep(200);
    await gw.publishRange(a.sid, 1, 5);
    await gw.publishRange(b.sid, 101, 103);
    for (const c of clients.slice(0, 2))
      expect((await c.waitForLines(5)).map(indexOf)).toEqual([1, 2, 3, 4, 5]);
    for (const c of clients.slice(2)) expect((await c.waitForLines(3)).map(indexOf)).toEqual([101, 102, 103]);
    await sleep(100);
    for (const c of clients.slice(0, 2)) expect(c.lines.every((l) => l.number === a.token)).toBe(true);
    for (const c of clients.slice(2)) {
      expect(c.lines).toHaveLength(3);
      expect(c.lines.every((l) => l.number === b.token)).toBe(true);
    }
    for (const c of clients) c.close();
  });

  it('resumes a hello client after an event id with no duplicate, and says how it went', async () => {
    const { token, sid } = await gw.createToken();
    await gw.publishRange(sid, 1, 10);
    const first = await LineClient.connect(edges[0]!.port, `${JSON.stringify({ token, ids: true })}\n`);
    const lines = await first.waitForLines(10);
    const mark = lines[6]!.eventId as string;
    expect(mark).toMatch(/^[0-9a-z]+:7$/);
    first.close();
    await gw.publishRange(sid, 11, 12);
    const again = await LineClient.connect(
      edges[1]!.port,
      `${JSON.stringify({ token, since: mark, ids: true })}\n`,
    );
    const resumed = await again.waitForLines(6);
    expect(resumed[0]).toMatchObject({ content: 'resume', status: 'ok', replayed: 5 });
    expect(resumed.slice(1).map(indexOf)).toEqual([8, 9, 10, 11, 12]);
    again.close();
  });

  it('tells a client resuming from a trimmed-away event that it missed events, then replays all 50', async () => {
    const { token, sid } = await gw.createToken();
    await gw.publishRange(sid, 1, 5);
    const c1 = await LineClient.connect(edges[0]!.port, `${JSON.stringify({ token, ids: true })}\n`);
    const mark = (await c1.waitForLines(5))[1]!.eventId as string;
    c1.close();
    await gw.publishRange(sid, 6, 70);
    const c2 = await LineClient.connect(edges[0]!.port, `${JSON.stringify({ token, since: mark })}\n`);
    const lines = await c2.waitForLines(51);
    expect(lines[0]).toMatchObject({ content: 'resume', status: 'trimmed', replayed: 50 });
    expect(lines[1]).not.toHaveProperty('eventId');
    expect(indexOf(lines[1]!)).toBe(21);
    c2.close();
  });

  it('closes every connection of a revoked token within a second, on every edge', async () => {
    const { token, sid } = await gw.createToken();
    await gw.publishRange(sid, 1, 1);
    const clients = await Promise.all(edges.map((e) => LineClient.connect(e.port, token)));
    for (const c of clients) await c.waitForLines(1);
    const started = Date.now();
    await gw.tokens.revoke(token);
    for (const c of clients) await c.waitForClose(1000);
    expect(Date.now() - started).toBeLessThan(1000);
    for (const c of clients) expect(c.lines.at(-1)).toMatchObject({ content: 'error', code: 'revoked' });
    const refused = await LineClient.connect(edges[0]!.port, token);
    await refused.waitForClose();
    expect(refused.lines[0]).toMatchObject({ code: 'unauthorized' });
  });

  it('cuts off a client that stops reading, and keeps the others flowing', async () => {
    const slowEdge = await startEdge((await sharedTestRedis()).url, { EDGE_MAX_BUFFERED_BYTES: '262144' });
    try {
      const { token, sid } = await gw.createToken();
      const stalled = await LineClient.connect(slowEdge.port, token);
      stalled.socket.pause();
      const reader = await LineClient.connect(slowEdge.port, token);
      await sleep(200);
      // Loopback socket buffers absorb several MB before the edge has to hold bytes itself, so
      // publish in small paced batches until the stalled client is cut (bounded: 4,000 events).
      const big = (i: number) => `${'x'.repeat(8000)} ${i}`;
      let published = 0;
      const slow = async () =>
        metricValue(await slowEdge.metrics(), 'wasock_edge_slow_consumer_disconnects_total');
      while (published < 4000 && (await slow()) === 0) {
        await gw.publishRange(sid, published + 1, published + 20, big);
        published += 20;
        await sleep(5);
      }
      expect(await slow()).toBe(1);
      // Reading again, the stalled client drains what the kernel held and then sees the close.
      stalled.socket.resume();
      await stalled.waitForClose();
      expect(stalled.lines.length).toBeLessThan(published);
      await reader.waitForLines(published, 20_000);
      expect(reader.lines.map(indexOf)).toEqual(Array.from({ length: published }, (_, i) => i + 1));
      reader.close();
    } finally {
      await slowEdge.stop();
    }
  });
});
