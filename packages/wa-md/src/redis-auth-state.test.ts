import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { connectRedis, keys, LeaseStore, newSessionId, type Redis } from '@wasock/store';
import { sharedTestRedis } from '@wasock/testkit';
import { type AuthenticationCreds, initAuthCreds, proto } from '@whiskeysockets/baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthStateError } from './errors.ts';
import { type AuthSealer, loadRedisAuthState, RedisAuthStore } from './redis-auth-state.ts';

// The worker injects its CREDS_KEY sealer (AES-256-GCM, context as associated data); this is the
// same construction, so the package's tests do not depend on the worker.
function gcmSealer(key: Buffer): AuthSealer {
  return {
    seal(context, plain) {
      const nonce = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, nonce).setAAD(Buffer.from(context));
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return ['v1', nonce, ct, c.getAuthTag()]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64')))
        .join('.');
    },
    open(context, blob) {
      const [, nonce, ct, tag] = blob.split('.') as [string, string, string, string];
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64'));
      d.setAAD(Buffer.from(context)).setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([d.update(Buffer.from(ct, 'base64')), d.final()]).toString('utf8');
    },
  };
}

let redis: Redis;
const key = randomBytes(32);
const sealer = gcmSealer(key);

beforeAll(async () => {
  redis = connectRedis((await sharedTestRedis()).url, { name: 'test-md-auth' });
});
afterAll(() => redis.disconnect());

/** Every byte string of the credentials that must never reach Redis in clear. */
function secretsOf(creds: AuthenticationCreds): string[] {
  const bytes = [
    creds.noiseKey.private,
    creds.noiseKey.public,
    creds.signedIdentityKey.private,
    creds.pairingEphemeralKeyPair.private,
    creds.signedPreKey.keyPair.private,
  ];
  return [
    ...bytes.flatMap((b) => [Buffer.from(b).toString('base64'), Buffer.from(b).toString('hex')]),
    creds.advSecretKey,
  ];
}

describe('Redis auth state', () => {
  it('starts fresh, then restores creds and Signal keys written by an earlier run', async () => {
    const sid = newSessionId();
    const first = await loadRedisAuthState({ redis, sid, sealer });
    expect(first.restored).toBe(false);
    first.state.creds.me = { id: '593987654321:7@s.whatsapp.net', name: 'Albert' };
    first.state.creds.registered = true;
    first.state.creds.routingInfo = Buffer.from('routing');
    await first.saveCreds();
    const preKey = { public: randomBytes(32), private: randomBytes(32) };
    const session = randomBytes(180);
    await first.state.keys.set({
      'pre-key': { '1': preKey },
      session: { '593123456789.0': session },
      'app-state-sync-key': {
        AAAAAOwd: proto.Message.AppStateSyncKeyData.fromObject({ keyData: randomBytes(32) }),
      },
      'sender-key-memory': { '120363@g.us': { '593123456789:0@s.whatsapp.net': true } },
    });

    const again = await loadRedisAuthState({ redis, sid, sealer });
    expect(again.restored).toBe(true);
    expect(again.state.creds.me).toEqual(first.state.creds.me);
    expect(again.state.creds.registered).toBe(true);
    expect(Buffer.from(again.state.creds.noiseKey.private)).toEqual(
      Buffer.from(first.state.creds.noiseKey.private),
    );
    expect(again.state.creds.routingInfo).toEqual(Buffer.from('routing'));
    const k = again.state.keys;
    const pre = await k.get('pre-key', ['1', '2']);
    expect(Object.keys(pre)).toEqual(['1']);
    expect(Buffer.from(pre['1']!.private)).toEqual(preKey.private);
    expect(Buffer.from((await k.get('session', ['593123456789.0']))['593123456789.0']!)).toEqual(session);
    const appKey = (await k.get('app-state-sync-key', ['AAAAAOwd'])).AAAAAOwd;
    expect(appKey).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(await k.get('sender-key-memory', ['120363@g.us'])).toEqual({
      '120363@g.us': { '593123456789:0@s.whatsapp.net': true },
    });
  });

  it('deletes keys set to null, and everything on clear()', async () => {
    const sid = newSessionId();
    const auth = await loadRedisAuthState({ redis, sid, sealer });
    await auth.saveCreds();
    await auth.state.keys.set({ 'pre-key': { '1': { public: randomBytes(32), private: randomBytes(32) } } });
    await auth.state.keys.set({
      'pre-key': { '1': null, '2': { public: randomBytes(32), private: randomBytes(32) } },
    });
    expect(Object.keys(await auth.state.keys.get('pre-key', ['1', '2']))).toEqual(['2']);
    expect((await redis.hkeys(keys.mdAuth(sid))).sort()).toEqual(['creds', 'pre-key/2']);
    await auth.clear();
    expect(await redis.exists(keys.mdAuth(sid))).toBe(0);
    expect((await loadRedisAuthState({ redis, sid, sealer })).restored).toBe(false);
  });

  it('keeps key material out of Redis: every field is an AES-GCM blob', async () => {
    const sid = newSessionId();
    const auth = await loadRedisAuthState({ redis, sid, sealer });
    const preKey = { public: randomBytes(32), private: randomBytes(32) };
    await auth.saveCreds();
    await auth.state.keys.set({ 'pre-key': { '9': preKey } });
    const stored = await redis.hgetall(keys.mdAuth(sid));
    const everything = Object.entries(stored).flat().join('\n');
    for (const secret of [
      ...secretsOf(auth.state.creds),
      preKey.private.toString('base64'),
      preKey.private.toString('hex'),
    ])
      expect(everything).not.toContain(secret);
    for (const blob of Object.values(stored)) expect(blob).toMatch(/^v1\.[^.]+\.[^.]+\.[^.]+$/);
    expect(everything).not.toMatch(/noiseKey|signedIdentityKey|"type":"Buffer"/);
  });

  it('fails clearly with a wrong key, and when a blob is moved to another field or session', async () => {
    const sid = newSessionId();
    const auth = await loadRedisAuthState({ redis, sid, sealer });
    await auth.saveCreds();
    await auth.state.keys.set({ 'pre-key': { '1': { public: randomBytes(32), private: randomBytes(32) } } });

    const wrong = gcmSealer(randomBytes(32));
    const failure = await loadRedisAuthState({ redis, sid, sealer: wrong }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AuthStateError);
    expect(failure).toMatchObject({ code: 'auth_state_unreadable' });
    expect((failure as Error).message).toMatch(/CREDS_KEY/);

    // The blob of pre-key 1 copied onto pre-key 2, and the creds copied onto another session.
    const blob = (await redis.hget(keys.mdAuth(sid), 'pre-key/1'))!;
    await redis.hset(keys.mdAuth(sid), 'pre-key/2', blob);
    await expect(auth.state.keys.get('pre-key', ['2'])).rejects.toMatchObject({
      code: 'auth_state_unreadable',
    });
    const other = newSessionId();
    await redis.hset(keys.mdAuth(other), 'creds', (await redis.hget(keys.mdAuth(sid), 'creds'))!);
    await expect(loadRedisAuthState({ redis, sid: other, sealer })).rejects.toMatchObject({
      code: 'auth_state_unreadable',
    });
  });

  it('writes only while the writer holds the lease: a worker that lost it cannot clobber its successor', async () => {
    const sid = newSessionId();
    const leases = new LeaseStore(redis);
    expect(await leases.acquire(sid, 'w1', 10_000)).toBe(true);
    const w1 = new RedisAuthStore({ redis, sid, sealer, leaseOwner: 'w1' });
    const w2 = new RedisAuthStore({ redis, sid, sealer, leaseOwner: 'w2' });
    const creds = initAuthCreds();

    await w1.keyStore().set({ session: { a: Buffer.from('from w1') } });
    const refused = await Promise.resolve(
      w2.keyStore().set({ session: { a: Buffer.from('from w2'), b: Buffer.from('w2') } }),
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AuthStateError);
    expect(refused).toMatchObject({ code: 'lease_lost' });
    await expect(w2.writeCreds(creds)).rejects.toMatchObject({ code: 'lease_lost' });
    await expect(w2.clear()).rejects.toMatchObject({ code: 'lease_lost' });
    expect(await redis.hkeys(keys.mdAuth(sid))).toEqual(['session/a']);

    // Takeover: w1 stalled past its TTL, w2 holds the session now.
    await redis.del(keys.lease(sid));
    expect(await leases.acquire(sid, 'w2', 10_000)).toBe(true);
    await w2.keyStore().set({ session: { a: Buffer.from('from w2') } });
    await expect(w1.keyStore().set({ session: { a: Buffer.from('stale w1') } })).rejects.toMatchObject({
      code: 'lease_lost',
    });
    expect((await w2.keyStore().get('session', ['a'])).a).toEqual(Buffer.from('from w2'));
  });

  it('applies each key set atomically: two concurrent writers never leave a mixed set', async () => {
    const sid = newSessionId();
    const ids = Array.from({ length: 40 }, (_, i) => String(i));
    const writers = ['w1', 'w2'].map((name) => ({ name, store: new RedisAuthStore({ redis, sid, sealer }) }));
    const reader = new RedisAuthStore({ redis, sid, sealer });
    let done = false;
    const snapshots: string[][] = [];
    const reading = (async () => {
      while (!done) {
        const got = await reader.keyStore().get('session', ids);
        if (Object.keys(got).length) snapshots.push(ids.map((id) => Buffer.from(got[id] ?? '').toString()));
      }
    })();
    await Promise.all(
      writers.map(async ({ name, store }) => {
        for (let round = 0; round < 25; round++) {
          const value = Buffer.from(`${name}#${round}`);
          await store.keyStore().set({ session: Object.fromEntries(ids.map((id) => [id, value])) });
        }
      }),
    );
    done = true;
    await reading;
    expect(snapshots.length).toBeGreaterThan(0);
    // Each read is one HMGET: it sees one whole set, never fields of two.
    for (const snap of snapshots) expect(new Set(snap).size).toBe(1);
  });

  it('keeps the order of creds writes: the last document saved is the one stored', async () => {
    const sid = newSessionId();
    const auth = await loadRedisAuthState({ redis, sid, sealer });
    const saves: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      auth.state.creds.nextPreKeyId = i;
      saves.push(auth.saveCreds());
    }
    await Promise.all(saves);
    expect((await loadRedisAuthState({ redis, sid, sealer })).state.creds.nextPreKeyId).toBe(19);
  });
});
