import { sharedTestRedis } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from './keys.ts';
import { connectRedis, type Redis } from './redis.ts';
import { SessionStore } from './session-store.ts';
import { TokenStore } from './token-store.ts';

let redis: Redis;
beforeAll(async () => {
  redis = connectRedis((await sharedTestRedis()).url, { name: 'test-sessions' });
});
afterAll(() => redis.disconnect());

describe('SessionStore', () => {
  it('records state changes with the QR while awaiting a scan and announces them', async () => {
    const { sid } = await new TokenStore(redis).create({ label: 'x' });
    const sessions = new SessionStore(redis);
    const sub = redis.duplicate();
    const seen: string[] = [];
    sub.on('message', (_c: string, m: string) => seen.push(m));
    await sub.subscribe(keys.sessionChanges());
    await sessions.setState(sid, 'awaiting_scan', { qr: '1@ref,pub,cid', owner: 'w1' });
    expect(await sessions.get(sid)).toMatchObject({
      state: 'awaiting_scan',
      qr: '1@ref,pub,cid',
      owner: 'w1',
    });
    await sessions.setState(sid, 'connected');
    const rec = await sessions.get(sid);
    expect(rec?.state).toBe('connected');
    expect(rec?.qr).toBeUndefined();
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual([`${sid} awaiting_scan`, `${sid} connected`]);
    sub.disconnect();
  });

  it('lists sessions created through tokens', async () => {
    const { sid } = await new TokenStore(redis).create({ label: 'listed' });
    const all = await new SessionStore(redis).list();
    expect(all.find((s) => s.sid === sid)).toMatchObject({ label: 'listed', state: 'new' });
  });
});
