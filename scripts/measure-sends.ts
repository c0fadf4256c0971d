// Measures sends/s through one session worker: N text messages queued in the outbox at once,
// timed until the simulator's recipient has them all. Loopback only; bounded by N and 120 s.
// Usage: node scripts/measure-sends.ts [N=500]
import { Outbox } from '../packages/outbox/src/index.ts';
import { connectRedis } from '../packages/store/src/index.ts';
import { RedisServer, waitFor } from '../packages/testkit/src/index.ts';
import { Gateway } from '../test/support/fixtures.ts';
import { linkSession, startSim, startWorker, testCredsKey } from '../test/support/system.ts';

const n = Math.min(10_000, Math.max(1, Number(process.argv[2] ?? 500)));
const redis = await RedisServer.start();
const sim = await startSim();
const worker = await startWorker(redis.url, sim.wsUrl, testCredsKey());
const gw = new Gateway(redis.url);
const conn = connectRedis(redis.url, { name: 'measure-sends' });
const outbox = new Outbox(conn, { sendsPerMinute: 1_000_000 });
try {
  const { sid } = await gw.createToken('measure');
  const simId = await linkSession(redis.url, sim.control, sid);
  const started = performance.now();
  for (let i = 0; i < n; i++) await outbox.enqueue(sid, { to: '593123456789@c.us', text: `m${i}` });
  const queued = performance.now();
  await waitFor(async () => (await sim.control.relayed(simId)).length >= n, {
    timeoutMs: 120_000,
    intervalMs: 100,
  });
  const s = (performance.now() - started) / 1000;
  console.log(
    `${n} sends queued in ${((queued - started) / 1000).toFixed(2)} s, all delivered in ${s.toFixed(2)} s: ${(n / s).toFixed(0)} sends/s through one worker`,
  );
} finally {
  await outbox.close();
  conn.disconnect();
  gw.close();
  await worker.stop();
  await sim.stop();
  await redis.dispose();
}
