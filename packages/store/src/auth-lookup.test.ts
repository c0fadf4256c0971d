import { RedisServer } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthStore } from './auth-lookup.ts';
import { keys } from './keys.ts';
import { connectRedis, type Redis } from './redis.ts';

// A Redis of its own: the test watches every command the lookup sends (MONITOR).
let server: RedisServer;
let redis: Redis;
beforeAll(async () => {
  server = await RedisServer.start();
  redis = connectRedis(server.url, { name: 'test-auth-lookup' });
});
afterAll(async () => {
  redis?.disconnect();
  await server?.dispose();
});

describe('AuthStore.lookupMany', () => {
  it('answers many handshakes in their order with one MGET, each address counted once', async () => {
    await redis.set(keys.token('h1'), 'sid1');
    await redis.set(keys.token('h2'), 'sid2');
    await redis.set(keys.authFailures('10.0.0.2'), '4');
    const monitor = await redis.monitor();
    const sent: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => sent.push(args));
    const results = await new AuthStore(redis).lookupMany([
      { tokenHash: 'h1', address: '10.0.0.1' },
      { tokenHash: 'h2', address: '10.0.0.2' },
      { tokenHash: 'nope', address: '10.0.0.1' },
    ]);
    await new Promise((r) => setTimeout(r, 50));
    monitor.disconnect();
    expect(results).toEqual([
      { sid: 'sid1', failures: 0 },
      { sid: 'sid2', failures: 4 },
      { sid: null, failures: 0 },
    ]);
    const lookups = sent.filter((args) => args[0]?.toLowerCase() === 'mget');
    expect(lookups).toHaveLength(1);
    expect(lookups[0]?.slice(4)).toEqual([keys.authFailures('10.0.0.1'), keys.authFailures('10.0.0.2')]);
  });

  it('answers the same as one lookup per handshake', async () => {
    const store = new AuthStore(redis);
    const many = await store.lookupMany([{ tokenHash: 'h2', address: '10.0.0.2' }]);
    expect(many).toEqual([await store.lookup('h2', '10.0.0.2')]);
  });
});
