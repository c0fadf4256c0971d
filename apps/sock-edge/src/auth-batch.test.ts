import type { AuthStore, RedisLike } from '@wasock/store';
import { describe, expect, it } from 'vitest';
import { AuthBatch } from './auth-batch.ts';

// A stand-in for ioredis: MGET over a plain map, recording each call's keys.
function fakeRedis(data: Record<string, string>, fail = false) {
  const calls: string[][] = [];
  const redis = {
    isCluster: false,
    async mget(keysOf: string[]) {
      calls.push(keysOf);
      if (fail) throw new Error('redis down');
      return keysOf.map((k) => data[k] ?? null);
    },
  };
  return { redis: redis as unknown as RedisLike, calls };
}

const noStore = {} as AuthStore;

describe('AuthBatch', () => {
  it('looks up the handshakes of one turn with one MGET', async () => {
    const { redis, calls } = fakeRedis({
      'wasock:token:h1': 'sid1',
      'wasock:token:h2': 'sid2',
      'wasock:authfail:10.0.0.2': '4',
    });
    const batch = new AuthBatch(redis, noStore);
    const results = await Promise.all([
      batch.lookup('h1', '10.0.0.1'),
      batch.lookup('h2', '10.0.0.2'),
      batch.lookup('nope', '10.0.0.1'),
    ]);
    expect(results).toEqual([
      { sid: 'sid1', failures: 0 },
      { sid: 'sid2', failures: 4 },
      { sid: null, failures: 0 },
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.slice(3)).toEqual(['wasock:authfail:10.0.0.1', 'wasock:authfail:10.0.0.2']);
  });

  it('sends a handshake of a later turn in an MGET of its own', async () => {
    const { redis, calls } = fakeRedis({ 'wasock:token:h1': 'sid1' });
    const batch = new AuthBatch(redis, noStore);
    await batch.lookup('h1', 'a');
    expect(await batch.lookup('h1', 'a')).toEqual({ sid: 'sid1', failures: 0 });
    expect(calls).toHaveLength(2);
  });

  it('fails every handshake of a batch whose round trip failed', async () => {
    const { redis } = fakeRedis({}, true);
    const batch = new AuthBatch(redis, noStore);
    const settled = await Promise.allSettled([batch.lookup('h1', 'a'), batch.lookup('h2', 'b')]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
  });
});
