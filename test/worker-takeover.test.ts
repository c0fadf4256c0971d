import { connectRedis, keys, LeaseStore, type Redis, readLatest, SessionStore } from '@wasock/store';
import { RedisServer, sleep, waitFor } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
const SESSIONS = 20;
let redis: RedisServer;
let sim: SimProcess;
let gw: Gateway;
let conn: Redis;
const workers: WorkerProcess[] = [];
const credsKey = testCredsKey();

beforeAll(async () => {
  redis = await RedisServer.start({ persistent: true });
  gw = new Gateway(redis.url);
  conn = connectRedis(redis.url, { name: 'wasock-test' });
  conn.on('error', () => undefined);
  sim = await startSim();
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop('SIGKILL')));
  await sim?.stop();
  gw?.close();
  conn?.disconnect();
  await redis?.dispose();
});

/** Message ids published in a session's stream (messages only). */
async function publishedIds(sid: string): Promise<string[]> {
  const { entries } = await readLatest(conn, sid, 50);
  return entries
    .map((e) => JSON.parse(e.body) as { content: string; messageId?: string })
    .filter((e) => e.content === 'message')
    .map((e) => String(e.messageId).split('_').pop()!);
}

describe('two workers, twenty sessions', () => {
  it('owns each session once, survives a SIGKILLed worker by takeover without QR, loses and repeats nothing', async () => {
    workers.push(
      await startWorker(redis.url, sim.wsUrl, credsKey),
      await startWorker(redis.url, sim.wsUrl, credsKey),
    );
    const [a, b] = workers as [WorkerProcess, WorkerProcess];
    const created = await Promise.all(Array.from({ length: SESSIONS }, (_, i) => gw.createToken(`s${i}`)));
    const simIds = new Map<string, string>();
    await Promise.all(
      created.map(async ({ sid }) => simIds.set(sid, await linkSession(redis.url, sim.control, sid))),
    );

    const leases = new LeaseStore(conn);
    const owners = await leases.owners(created.map((c) => c.sid));
    expect(owners.every((o) => o === a.id || o === b.id)).toBe(true);
    const onA = created.filter((_, i) => owners[i] === a.id).map((c) => c.sid);
    expect(onA.length).toBeGreaterThan(0);
    expect(onA.length).toBeLessThan(SESSIONS);
    expect((await sim.control.stats()).replaced).toBe(0);

    const sent = new Map<string, string[]>(created.map((c) => [c.sid, []]));
    const send = async (sid: string, text: string) => {
      const m = await sim.control.sendMessage({
        session: simIds.get(sid)!,
        kind: 'text',
        from: CONTACT,
        text,
      });
      sent.get(sid)!.push(m.id);
    };
    for (const { sid } of created) await send(sid, 'before the kill');

    await a.stop('SIGKILL');
    const killedAt = Date.now();
    // Traffic keeps flowing while A's sessions have no connection; the simulator keeps it.
    for (let round = 0; round < 3; round++) {
      for (const { sid } of created) await send(sid, `during takeover ${round}`);
      await sleep(300);
    }
    const sessions = new SessionStore(conn);
    await waitFor(
      async () => {
        const recs = await Promise.all(onA.map((sid) => sessions.get(sid)));
        return recs.every((r) => r?.state === 'connected' && r.owner === b.id);
      },
      {
        what: 'every session of the killed worker connected again on the other',
        timeoutMs: 20_000,
        intervalMs: 50,
      },
    );
    const takeoverMs = Date.now() - killedAt;
    console.log(`takeover after SIGKILL: ${takeoverMs} ms for ${onA.length} sessions (lease TTL 3000 ms)`);
    expect(takeoverMs).toBeLessThan(3000 + 5000);

    for (const { sid } of created) await send(sid, 'after the takeover');
    for (const { sid } of created) {
      const expected = sent.get(sid)!;
      await waitFor(async () => (await publishedIds(sid)).length >= expected.length, {
        what: `${expected.length} messages of ${sid}`,
        timeoutMs: 15_000,
      });
      await sleep(50);
      const got = await publishedIds(sid);
      expect(new Set(got).size).toBe(got.length);
      expect([...got].sort()).toEqual([...expected].sort());
    }
    // Restored with takeover: no QR was shown again for any session.
    for (const { sid } of created) expect((await sessions.get(sid))?.qr).toBeUndefined();
    expect(await conn.exists(keys.lease(onA[0]!))).toBe(1);
  }, 90_000);
});
