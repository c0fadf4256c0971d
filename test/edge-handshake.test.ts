import { sharedTestRedis, sleep } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EdgeProcess, metricValue, startEdge } from './support/edge-process.ts';
import { Gateway } from './support/fixtures.ts';
import { LineClient } from './support/line-client.ts';

let edge: EdgeProcess;
let gw: Gateway;
let token: string;
let sid: string;
beforeAll(async () => {
  const { url } = await sharedTestRedis();
  gw = new Gateway(url);
  edge = await startEdge(url, { EDGE_AUTH_TIMEOUT_MS: '800', EDGE_MAX_HANDSHAKE_BYTES: '256' });
  ({ token, sid } = await gw.createToken());
  await gw.publishRange(sid, 1, 2);
});
afterAll(async () => {
  await edge?.stop();
  gw?.close();
});

async function expectReplay(client: LineClient): Promise<void> {
  const lines = await client.waitForLines(2);
  expect(lines.every((l) => l.number === token)).toBe(true);
}

async function expectError(client: LineClient, code: string): Promise<void> {
  await client.waitForClose();
  const lines = client.lines;
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ content: 'error', code, message: expect.any(String) });
}

describe('the edge handshake', () => {
  it('joins a token sent in pieces 30 ms apart', async () => {
    const c = await LineClient.open(edge.port);
    c.socket.write(token.slice(0, 2));
    await sleep(30);
    c.socket.write(token.slice(2));
    await expectReplay(c);
    c.close();
  });

  it('accepts a token ended by \\r\\n', async () => {
    const c = await LineClient.connect(edge.port, `${token}\r\n`);
    await expectReplay(c);
    c.close();
  });

  it('accepts a token with surrounding spaces', async () => {
    const c = await LineClient.connect(edge.port, `  ${token}  `);
    await expectReplay(c);
    c.close();
  });

  it('refuses an unknown token with unauthorized', async () => {
    await expectError(await LineClient.connect(edge.port, 'not-a-token'), 'unauthorized');
  });

  it('times out a connection that sends nothing', async () => {
    await expectError(await LineClient.open(edge.port), 'timeout');
  });

  it('refuses an oversized token with too_large', async () => {
    await expectError(await LineClient.connect(edge.port, 'x'.repeat(300)), 'too_large');
  });

  it('refuses binary garbage with bad_request', async () => {
    const c = await LineClient.open(edge.port);
    c.socket.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0xff, 0xfe]));
    await expectError(c, 'bad_request');
  });

  it('keeps serving a good client while bad ones come and go, and counts each outcome', async () => {
    const good = await LineClient.connect(edge.port, token);
    await expectReplay(good);
    const bad = await Promise.all([
      LineClient.connect(edge.port, 'nope\n'),
      LineClient.connect(edge.port, '{"token":'),
      LineClient.connect(edge.port, 'y'.repeat(1000)),
    ]);
    await Promise.all(bad.map((b) => b.waitForClose()));
    await gw.publishRange(sid, 3, 3);
    const lines = await good.waitForLines(3);
    expect(lines[2]?.messageId).toMatch(/_00000003$/);
    const metrics = await edge.metrics();
    expect(metricValue(metrics, 'wasock_edge_handshakes_total', '{outcome="unauthorized"}')).toBeGreaterThan(
      0,
    );
    expect(metricValue(metrics, 'wasock_edge_handshakes_total', '{outcome="too_large"}')).toBeGreaterThan(0);
    good.close();
  });
});

describe('the edge behind a load balancer speaking the PROXY protocol', () => {
  it('reads a v1 or v2 header before the token and refuses a connection without one', async () => {
    const proxied = await startEdge((await sharedTestRedis()).url, { EDGE_PROXY_PROTOCOL: 'true' });
    try {
      const v1 = await LineClient.connect(
        proxied.port,
        `PROXY TCP4 203.0.113.7 127.0.0.1 40000 5026\r\n${token}`,
      );
      await expectReplay(v1);
      const sig = [0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a];
      const header = Buffer.from([
        ...sig,
        0x21,
        0x11,
        0,
        12,
        198,
        51,
        100,
        9,
        127,
        0,
        0,
        1,
        0x9c,
        0x40,
        0x13,
        0xa2,
      ]);
      const v2 = await LineClient.open(proxied.port);
      v2.socket.write(Buffer.concat([header, Buffer.from(`${token}\n`)]));
      await expectReplay(v2);
      await expectError(await LineClient.connect(proxied.port, `${token}\n`), 'bad_request');
      v1.close();
      v2.close();
    } finally {
      await proxied.stop();
    }
  });
});

describe('edge limits', () => {
  it('rate-limits failed handshakes per client address, across edge replicas', async () => {
    const url = (await sharedTestRedis()).url;
    const env = { EDGE_PROXY_PROTOCOL: 'true', EDGE_AUTH_FAILURES_PER_MINUTE: '5' };
    const [a, b] = await Promise.all([startEdge(url, env), startEdge(url, env)]);
    try {
      // A fake client address per run (via the PROXY header), so reruns start from zero.
      const address = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
      const from = (port: number, first: string) =>
        LineClient.connect(port, `PROXY TCP4 ${address} 127.0.0.1 40000 5026\r\n${first}\n`);
      for (let i = 0; i < 5; i++)
        await expectError(await from(i % 2 ? a.port : b.port, `guess-${i}`), 'unauthorized');
      await expectError(await from(a.port, 'guess-5'), 'rate_limited');
      // The limit is per address: even the right token waits, and other addresses are not affected.
      await expectError(await from(b.port, token), 'rate_limited');
      const other = await LineClient.connect(
        a.port,
        `PROXY TCP4 192.0.2.1 127.0.0.1 40000 5026\r\n${token}\n`,
      );
      await expectReplay(other);
      other.close();
      expect(metricValue(await a.metrics(), 'wasock_edge_handshakes_total', '{outcome="rate_limited"}')).toBe(
        1,
      );
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('refuses connections beyond the per-token limit with rate_limited', async () => {
    const limited = await startEdge((await sharedTestRedis()).url, { EDGE_MAX_CONNECTIONS_PER_TOKEN: '2' });
    try {
      const ok = [
        await LineClient.connect(limited.port, token),
        await LineClient.connect(limited.port, token),
      ];
      for (const c of ok) await expectReplay(c);
      await expectError(await LineClient.connect(limited.port, token), 'rate_limited');
      ok[0]!.close();
      await sleep(100);
      const again = await LineClient.connect(limited.port, token);
      await expectReplay(again);
      again.close();
      ok[1]!.close();
    } finally {
      await limited.stop();
    }
  });

  it('refuses connections beyond the edge connection limit with overloaded', async () => {
    const small = await startEdge((await sharedTestRedis()).url, { EDGE_MAX_CONNECTIONS: '2' });
    try {
      const held = [await LineClient.connect(small.port, token), await LineClient.connect(small.port, token)];
      for (const c of held) await expectReplay(c);
      await expectError(await LineClient.connect(small.port, token), 'overloaded');
      for (const c of held) c.close();
    } finally {
      await small.stop();
    }
  });
});
