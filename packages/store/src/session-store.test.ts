import { RedisServer, sharedTestRedis } from '@wasock/testkit';
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

  it('keeps the connector chosen at creation; without one the worker default applies', async () => {
    // A Redis of its own: a worker of a parallel test file would claim a multi-device session
    // in the shared one and dial WhatsApp.
    const own = await RedisServer.start();
    const redis = connectRedis(own.url, { name: 'test-sessions-connector' });
    const tokens = new TokenStore(redis);
    const sessions = new SessionStore(redis);
    const md = await tokens.create({ label: 'md', connector: 'multidevice' });
    const legacy = await tokens.create({ label: 'sim', connector: 'legacy' });
    const plain = await tokens.create({ label: 'default' });
    expect((await sessions.get(md.sid))?.connector).toBe('multidevice');
    expect((await sessions.get(legacy.sid))?.connector).toBe('legacy');
    expect(await sessions.get(plain.sid)).not.toHaveProperty('connector');
    // A value this version does not know is ignored rather than trusted.
    await redis.hset(keys.session(plain.sid), 'connector', 'carrier-pigeon');
    expect(await sessions.get(plain.sid)).not.toHaveProperty('connector');
    redis.disconnect();
    await own.dispose();
  });

  it('forgets the credentials of both connectors', async () => {
    const { sid } = await new TokenStore(redis).create();
    const sessions = new SessionStore(redis);
    await sessions.setCreds(sid, 'v1.legacy');
    await redis.hset(keys.mdAuth(sid), 'creds', 'v1.md');
    await sessions.deleteCreds(sid);
    expect(await redis.exists(keys.creds(sid), keys.mdAuth(sid))).toBe(0);
  });

  it('lists sessions created through tokens', async () => {
    const { sid } = await new TokenStore(redis).create({ label: 'listed' });
    const all = await new SessionStore(redis).list();
    expect(all.find((s) => s.sid === sid)).toMatchObject({ label: 'listed', state: 'new' });
  });
});
