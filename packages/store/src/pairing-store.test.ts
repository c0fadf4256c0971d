import { sharedTestRedis } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from './keys.ts';
import { PairingStore } from './pairing-store.ts';
import { connectRedis, type Redis } from './redis.ts';
import { newSessionId } from './token-store.ts';

let redis: Redis;
beforeAll(async () => {
  redis = connectRedis((await sharedTestRedis()).url, { name: 'test-pairing' });
});
afterAll(() => redis.disconnect());

describe('PairingStore', () => {
  it('asks the worker holding the lease on the command channel, naming the request', async () => {
    const sid = newSessionId();
    const pairing = new PairingStore(redis);
    expect(await pairing.request(sid, '593987654321')).toBeNull(); // nobody runs it
    await redis.set(keys.lease(sid), 'worker-1', 'PX', 10_000);
    const sub = redis.duplicate();
    const seen: string[] = [];
    sub.on('message', (_c: string, m: string) => seen.push(m));
    await sub.subscribe(keys.sessionCommands());
    const requestId = await pairing.request(sid, '593987654321');
    expect(requestId).toMatch(/^[0-9a-f]{16}$/);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toContain(`${sid} pair 593987654321 ${requestId}`);
    sub.disconnect();
  });

  it('refuses a phone number that is not 6 to 15 digits before publishing anything', async () => {
    await expect(new PairingStore(redis).request(newSessionId(), '+593 98')).rejects.toMatchObject({
      code: 'bad_phone_number',
    });
  });

  it("returns only the answer to the caller's own request, and waits for it", async () => {
    const sid = newSessionId();
    const pairing = new PairingStore(redis);
    const mine = 'aaaaaaaaaaaaaaaa';
    await pairing.record(sid, {
      requestId: 'bbbbbbbbbbbbbbbb',
      phoneNumber: '593987654321',
      code: 'OLD12345',
    });
    expect(await pairing.outcome(sid, mine)).toBeNull();
    setTimeout(
      () => void pairing.record(sid, { requestId: mine, phoneNumber: '593987654321', code: 'WASK1234' }),
      100,
    );
    expect(await pairing.waitForOutcome(sid, mine, { timeoutMs: 5000, intervalMs: 20 })).toEqual({
      requestId: mine,
      phoneNumber: '593987654321',
      code: 'WASK1234',
    });
    expect(await redis.ttl(keys.pairing(sid))).toBeGreaterThan(100);
  });

  it('gives up with null after the timeout, and reports a corrupt answer clearly', async () => {
    const sid = newSessionId();
    const pairing = new PairingStore(redis);
    const started = Date.now();
    expect(
      await pairing.waitForOutcome(sid, 'cccccccccccccccc', { timeoutMs: 150, intervalMs: 20 }),
    ).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await redis.set(keys.pairing(sid), '{"requestId":1}');
    await expect(pairing.outcome(sid, 'cccccccccccccccc')).rejects.toMatchObject({ code: 'corrupt_pairing' });
  });
});
