import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, freePort, sharedTestRedis, waitFor } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EdgeProcess, metricValue, startEdge } from './support/edge-process.ts';
import { Gateway, indexOf } from './support/fixtures.ts';
import { printedEvents, runSeedClient } from './support/seed-client.ts';

// A real load balancer: HAProxy (Debian) in TCP mode with send-proxy-v2 in front of two edges.

let gw: Gateway;
let edges: EdgeProcess[];
let haproxy: AppProcess;
let port: number;

beforeAll(async () => {
  const { url } = await sharedTestRedis();
  gw = new Gateway(url);
  edges = await Promise.all([1, 2].map(() => startEdge(url, { EDGE_PROXY_PROTOCOL: 'true' })));
  port = await freePort();
  const cfg = join(mkdtempSync(join(tmpdir(), 'haproxy-')), 'haproxy.cfg');
  writeFileSync(
    cfg,
    [
      'global',
      '  maxconn 2000',
      'defaults',
      '  mode tcp',
      '  timeout connect 2s',
      '  timeout check 3s',
      // Clients hold their stream open for hours; the edge and the client decide when it ends.
      '  timeout client 1h',
      '  timeout server 1h',
      '  retries 2',
      '  option redispatch',
      'frontend clients',
      `  bind 127.0.0.1:${port}`,
      '  default_backend edges',
      'backend edges',
      '  balance leastconn',
      '  option httpchk GET /readyz',
      ...edges.map(
        (e, i) =>
          `  server edge${i} 127.0.0.1:${e.port} send-proxy-v2 check port ${e.httpPort} inter 500 fall 3 rise 1`,
      ),
      '',
    ].join('\n'),
  );
  haproxy = new AppProcess('haproxy', ['-f', cfg, '-db']);
  await waitFor(
    async () => {
      const { connect } = await import('node:net');
      return new Promise<boolean>((resolve) => {
        const s = connect(port, '127.0.0.1', () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
    },
    { what: 'haproxy listening' },
  );
});
afterAll(async () => {
  await haproxy?.stop();
  await Promise.all(edges.map((e) => e.stop()));
  gw?.close();
});

describe('behind HAProxy with send-proxy-v2', () => {
  it('serves the seed Python client, and after its edge is SIGKILLed serves it again from the other with its replay', async () => {
    const { token, sid } = await gw.createToken('haproxy');
    await gw.publishRange(sid, 1, 3);
    const first = runSeedClient('python', port, token);
    await waitFor(() => printedEvents('python', first.stdout).length >= 3, {
      what: 'the replay through haproxy',
    });
    await gw.publishRange(sid, 4, 5);
    await waitFor(() => printedEvents('python', first.stdout).length >= 5, {
      what: 'live events through haproxy',
    });
    expect(printedEvents('python', first.stdout).map(indexOf)).toEqual([1, 2, 3, 4, 5]);

    // The edge that serves it, as its metrics say; the PROXY header made it a normal handshake.
    const live = await Promise.all(
      edges.map(async (e) => metricValue(await e.metrics(), 'wasock_edge_connections', '{phase="live"}')),
    );
    const serving = live.indexOf(1);
    expect(serving).toBeGreaterThanOrEqual(0);
    await edges[serving]!.stop('SIGKILL');
    // The seed client ends when its connection drops; its program starts it again.
    await first.waitForExit();
    await gw.publishRange(sid, 6, 7);
    const again = runSeedClient('python', port, token);
    await waitFor(() => printedEvents('python', again.stdout).length >= 7, {
      what: 'the replay from the other edge',
    });
    await again.stop();
    expect(printedEvents('python', again.stdout).map(indexOf)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const other = edges[1 - serving]!;
    expect(
      metricValue(await other.metrics(), 'wasock_edge_handshakes_total', '{outcome="ok"}'),
    ).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
