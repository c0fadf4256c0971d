import { Counter } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpServerHandle, startHttpServer } from './http-server.ts';
import { createLogger } from './logger.ts';
import { createRegistry } from './metrics.ts';

let handle: HttpServerHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

describe('startHttpServer', () => {
  it('serves metrics, liveness and readiness that follows isReady', async () => {
    const registry = createRegistry('test');
    new Counter({ name: 'wasock_test_total', help: 'test', registers: [registry] }).inc(3);
    let ready = false;
    handle = await startHttpServer({
      port: 0,
      host: '127.0.0.1',
      registry,
      isReady: () => ready,
      logger: createLogger({ name: 'test', level: 'silent' }),
    });
    const base = `http://127.0.0.1:${handle.port}`;
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('wasock_test_total{app="test"} 3');
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
