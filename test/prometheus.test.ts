import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, freePort, waitFor } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminProcess, startAdmin } from './admin/admin-process.ts';
import { LineClient } from './support/line-client.ts';
import { Stack } from './support/stack.ts';

// Prometheus for real: the Debian binary scrapes every app on loopback, and its HTTP API shows
// the key series exist and move. promtool checks every /metrics page.

let stack: Stack;
let admin: AdminProcess;
let prom: AppProcess;
let promUrl: string;

beforeAll(async () => {
  stack = await Stack.start({ edgeEnv: {} });
  admin = await startAdmin(stack.redisUrl);
  const { sim, edge, worker } = stack;
  const dir = mkdtempSync(join(tmpdir(), 'prometheus-'));
  const simMetrics = new URL(sim.control.baseUrl);
  const targets = {
    'sock-edge': `127.0.0.1:${edge.httpPort}`,
    'session-worker': `127.0.0.1:${worker.httpPort}`,
    admin: `127.0.0.1:${admin.port}`,
    'wa-sim': simMetrics.host,
  };
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      ...Object.entries(targets).flatMap(([job, target]) => [
        `  - job_name: ${job}`,
        `    static_configs: [{ targets: ['${target}'] }]`,
      ]),
      '',
    ].join('\n'),
  );
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  prom = new AppProcess('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  await waitFor(async () => (await fetch(`${promUrl}/-/ready`).catch(() => null))?.ok, {
    what: 'prometheus ready',
    timeoutMs: 30_000,
  });
}, 60_000);
afterAll(async () => {
  await prom?.stop();
  await Promise.all([stack?.stop(), admin?.stop()]);
});

/** The value of a PromQL instant query (sum over series), or null when it has no series. */
async function query(q: string): Promise<number | null> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
  if (body.data.result.length === 0) return null;
  return body.data.result.reduce((sum, r) => sum + Number(r.value[1]), 0);
}

describe('Prometheus scraping every app', () => {
  it('sees every target up and the key series exist and move', async () => {
    await waitFor(async () => (await query('sum(up)')) === 4, {
      what: 'all four targets up',
      timeoutMs: 20_000,
    });
    const { sim, edge } = stack;
    const { token, simId } = await stack.linkedSession('prom');
    const clients = await Promise.all([1, 2, 3].map(() => LineClient.connect(edge.port, token)));
    await waitFor(async () => (await query('wasock_edge_connections{phase="live"}')) === 3, {
      what: 'three live connections scraped',
      timeoutMs: 15_000,
    });
    const before = (await query('wasock_edge_events_delivered_total')) ?? 0;
    for (let i = 0; i < 5; i++) {
      await sim.control.sendMessage({
        session: simId,
        kind: 'text',
        from: '593123456789@c.us',
        text: `m${i}`,
      });
    }
    await waitFor(async () => ((await query('wasock_edge_events_delivered_total')) ?? 0) >= before + 15, {
      what: 'delivered events moving in Prometheus',
      timeoutMs: 15_000,
    });
    expect(await query('wasock_worker_events_published_total{kind="message"}')).toBeGreaterThanOrEqual(5);
    expect(await query('wasock_worker_sessions{state="connected"}')).toBeGreaterThanOrEqual(1);
    expect(await query('wasock_admin_live_clients')).not.toBeNull();
    for (const c of clients) c.close();
  }, 60_000);

  it('passes promtool check metrics on every /metrics page', async () => {
    const { sim, edge, worker } = stack;
    const pages = [
      `http://127.0.0.1:${edge.httpPort}/metrics`,
      `http://127.0.0.1:${worker.httpPort}/metrics`,
      `http://127.0.0.1:${admin.port}/metrics`,
      `${sim.control.baseUrl}/metrics`,
    ];
    for (const page of pages) {
      const text = await (await fetch(page)).text();
      const res = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect({ page, status: res.status, out: `${res.stdout}${res.stderr}` }).toMatchObject({ status: 0 });
    }
  });
});
