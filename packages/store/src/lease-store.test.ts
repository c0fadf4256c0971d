import { sharedTestRedis } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseStore } from './lease-store.ts';
import { connectRedis, type Redis } from './redis.ts';
import { newSessionId } from './token-store.ts';

let redis: Redis;
beforeAll(async () => {
  redis = connectRedis((await sharedTestRedis()).url, { name: 'test-leases' });
});
afterAll(() => redis.disconnect());

describe('LeaseStore', () => {
  it('gives a session to one worker at a time', async () => {
    const leases = new LeaseStore(redis);
    const sid = newSessionId();
    expect(await leases.acquire(sid, 'w1', 5000)).toBe(true);
    expect(await leases.acquire(sid, 'w2', 5000)).toBe(false);
    expect(await leases.owners([sid, newSessionId()])).toEqual(['w1', null]);
  });

  it('lets only the holder renew or release', async () => {
    const leases = new LeaseStore(redis);
    const sid = newSessionId();
    await leases.acquire(sid, 'w1', 5000);
    expect(await leases.renew(sid, 'w2', 5000)).toBe(false);
    expect(await leases.release(sid, 'w2')).toBe(false);
    expect(await leases.renew(sid, 'w1', 5000)).toBe(true);
    expect(await leases.release(sid, 'w1')).toBe(true);
    expect(await leases.acquire(sid, 'w2', 5000)).toBe(true);
  });

  it('frees a lease whose holder stopped renewing once its TTL passes', async () => {
    const leases = new LeaseStore(redis);
    const sid = newSessionId();
    await leases.acquire(sid, 'dead', 60);
    await new Promise((r) => setTimeout(r, 100));
    expect(await leases.renew(sid, 'dead', 60)).toBe(false);
    expect(await leases.acquire(sid, 'alive', 5000)).toBe(true);
  });

  it('lists workers whose heartbeat is recent and prunes the rest', async () => {
    const leases = new LeaseStore(redis);
    const now = Date.now();
    await leases.heartbeat('old-worker', now - 60_000);
    await leases.heartbeat('new-worker', now);
    const live = await leases.liveWorkers(10_000, now);
    expect(live).toContain('new-worker');
    expect(live).not.toContain('old-worker');
  });
});
