import { sharedTestRedis } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from './keys.ts';
import { connectRedis, type Redis } from './redis.ts';
import { SessionStore } from './session-store.ts';
import { hashToken, TokenStore } from './token-store.ts';

let redis: Redis;
beforeAll(async () => {
  redis = connectRedis((await sharedTestRedis()).url, { name: 'test-tokens' });
});
afterAll(() => redis.disconnect());

describe('TokenStore', () => {
  it('creates a token that resolves to its new session, stored only as a hash', async () => {
    const store = new TokenStore(redis);
    const { token, sid } = await store.create({ label: 'shop' });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await store.resolve(token)).toBe(sid);
    expect(await new SessionStore(redis).get(sid)).toMatchObject({
      sid,
      state: 'new',
      label: 'shop',
      tokenHash: hashToken(token),
    });
    expect(await redis.exists(keys.token(token))).toBe(0);
    const dump = JSON.stringify(await redis.hgetall(keys.session(sid)));
    expect(dump).not.toContain(token);
  });

  it('revokes a token: it no longer resolves and edges are told its hash', async () => {
    const store = new TokenStore(redis);
    const { token, sid } = await store.create();
    const sub = redis.duplicate();
    const told: string[] = [];
    sub.on('message', (_c: string, m: string) => told.push(m));
    await sub.subscribe(keys.revocations());
    expect(await store.revoke(token)).toBe(true);
    expect(await store.resolve(token)).toBeNull();
    expect((await new SessionStore(redis).get(sid))?.revoked).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(told).toContain(hashToken(token));
    sub.disconnect();
  });

  it('revokes by session id: the token stops resolving, edges are told, a second call is refused', async () => {
    const store = new TokenStore(redis);
    const { token, sid } = await store.create();
    const sub = redis.duplicate();
    const told: string[] = [];
    sub.on('message', (_c: string, m: string) => told.push(m));
    await sub.subscribe(keys.revocations());
    const at = await store.revokeSession(sid);
    expect(at).toBeGreaterThan(0);
    expect(await store.resolve(token)).toBeNull();
    expect((await new SessionStore(redis).get(sid))?.revoked).toBe(at);
    expect(await store.revokeSession(sid)).toBeNull();
    expect(await store.revokeSession('0000000000000000')).toBeNull();
    await new Promise((r) => setTimeout(r, 50));
    expect(told).toEqual([hashToken(token)]);
    sub.disconnect();
  });

  it('reports an unknown token as not revoked', async () => {
    expect(await new TokenStore(redis).revoke('nope')).toBe(false);
  });
});
