import type { AuthLookup } from '@wasock/store';
import { describe, expect, it } from 'vitest';
import { AuthBatch, type AuthRequest } from './auth-batch.ts';

// The batching alone: what reaches Redis (one MGET per batch) is AuthStore.lookupMany's, tested
// against a real server in packages/store.
function recorder(sessions: Record<string, string>, fail = false) {
  const calls: AuthRequest[][] = [];
  const lookupMany = async (requests: AuthRequest[]): Promise<AuthLookup[]> => {
    calls.push(requests.map(({ tokenHash, address }) => ({ tokenHash, address })));
    if (fail) throw new Error('redis down');
    return requests.map((r) => ({ sid: sessions[r.tokenHash] ?? null, failures: 0 }));
  };
  return { lookupMany, calls };
}

describe('AuthBatch', () => {
  it('looks up the handshakes of one turn together, answering each its own', async () => {
    const { lookupMany, calls } = recorder({ h1: 'sid1', h2: 'sid2' });
    const batch = new AuthBatch(lookupMany);
    const results = await Promise.all([
      batch.lookup('h1', '10.0.0.1'),
      batch.lookup('h2', '10.0.0.2'),
      batch.lookup('nope', '10.0.0.1'),
    ]);
    expect(results).toEqual([
      { sid: 'sid1', failures: 0 },
      { sid: 'sid2', failures: 0 },
      { sid: null, failures: 0 },
    ]);
    expect(calls).toEqual([
      [
        { tokenHash: 'h1', address: '10.0.0.1' },
        { tokenHash: 'h2', address: '10.0.0.2' },
        { tokenHash: 'nope', address: '10.0.0.1' },
      ],
    ]);
  });

  it('sends a handshake of a later turn in a lookup of its own', async () => {
    const { lookupMany, calls } = recorder({ h1: 'sid1' });
    const batch = new AuthBatch(lookupMany);
    await batch.lookup('h1', 'a');
    expect(await batch.lookup('h1', 'a')).toEqual({ sid: 'sid1', failures: 0 });
    expect(calls).toHaveLength(2);
  });

  it('fails every handshake of a batch whose round trip failed', async () => {
    const { lookupMany } = recorder({}, true);
    const batch = new AuthBatch(lookupMany);
    const settled = await Promise.allSettled([batch.lookup('h1', 'a'), batch.lookup('h2', 'b')]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
  });
});
