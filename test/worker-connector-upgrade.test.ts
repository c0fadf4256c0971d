import { SessionStore } from '@wasock/store';
import { RedisServer, waitFor } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue } from './support/edge-process.ts';
import { Gateway } from './support/fixtures.ts';
import { linkSession, type SimProcess, startSim, startWorker, testCredsKey } from './support/system.ts';

// Upgrading a deployment whose sessions predate the per-session connector record must not move
// linked legacy sessions to another protocol.

let redis: RedisServer;
let sim: SimProcess;
let gw: Gateway;
beforeAll(async () => {
  redis = await RedisServer.start();
  gw = new Gateway(redis.url);
  sim = await startSim();
});
afterAll(async () => {
  await sim?.stop();
  gw?.close();
  await redis?.dispose();
});

describe('connector choice on upgrade', () => {
  it('keeps a linked session without a recorded connector on legacy, even when WA_CONNECTOR is multidevice', async () => {
    const { sid } = await gw.createToken('pre-upgrade');
    const before = await startWorker(redis.url, sim.wsUrl, testCredsKey(), { WA_CONNECTOR: 'legacy' });
    await linkSession(redis.url, sim.control, sid);
    expect((await new SessionStore(gw.redis).get(sid))?.connector).toBeUndefined();
    await before.stop();

    const after = await startWorker(redis.url, sim.wsUrl, testCredsKey(), { WA_CONNECTOR: 'multidevice' });
    try {
      await waitFor(
        async () => {
          const s = await new SessionStore(gw.redis).get(sid);
          return s?.state === 'connected' && s.owner === after.id;
        },
        { what: 'the session restored on the upgraded worker', timeoutMs: 20_000 },
      );
      expect(metricValue(await after.metrics(), 'wasock_worker_takeovers_total')).toBe(1);
    } finally {
      await after.stop();
    }
  }, 60_000);
});
