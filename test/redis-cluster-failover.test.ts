import { keys, TokenStore } from '@wasock/store';
import { waitFor } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterStack } from './support/cluster-stack.ts';
import { LineClient } from './support/line-client.ts';

// A master of the Redis Cluster dies (SIGKILL) and its replica takes over: the worker's
// publishes wait for the new master, the edge subscribes to the session's shard channel there
// again, and a client of a session on that master keeps receiving, in order, nothing twice.

const CONTACT = '593123456789@c.us';
let stack: ClusterStack;

beforeAll(async () => {
  stack = await ClusterStack.start({ replicas: 1 });
}, 60_000);
afterAll(() => stack?.stop());

function messageIds(lines: Record<string, unknown>[]): unknown[] {
  return lines.filter((l) => l.content === 'message').map((l) => l.messageId);
}

describe('a Redis Cluster master failing over to its replica', () => {
  it('keeps publishing and delivering the sessions it served, in order and once', async () => {
    const { cluster, sim, edge } = stack;
    const { sid, token } = await new TokenStore(stack.redis).create({ label: 'failover' });
    const simId = await stack.link(sid);
    const slot = await cluster.keySlot(keys.session(sid));
    const master = await cluster.masterOfSlot(slot);
    const send = async (text: string) =>
      `false_${CONTACT}_${(await sim.control.sendMessage({ session: simId, kind: 'text', from: CONTACT, text })).id}`;

    const client = await LineClient.connect(edge.port, token);
    const sent: string[] = [];
    for (let i = 0; i < 5; i++) sent.push(await send(`before ${i}`));
    await client.waitForLines(5, 15_000);

    await cluster.kill(master);
    // Sent while the master is dead: the worker keeps them until the replica is promoted.
    for (let i = 0; i < 5; i++) sent.push(await send(`during ${i}`));
    await waitFor(async () => (await cluster.masterOfSlot(slot)) !== master, {
      what: 'the replica promoted',
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    for (let i = 0; i < 5; i++) sent.push(await send(`after ${i}`));

    await waitFor(() => messageIds(client.lines).length >= sent.length, {
      what: `all ${sent.length} messages on the connected client (have ${messageIds(client.lines).length})`,
      timeoutMs: 45_000,
    });
    expect(messageIds(client.lines)).toEqual(sent);
    expect(client.closed).toBe(false);

    // The stream on the new master holds them all: a client connecting now gets them replayed.
    const late = await LineClient.connect(edge.port, token);
    expect(messageIds(await late.waitForLines(sent.length, 15_000))).toEqual(sent);
    expect((await fetch(`http://127.0.0.1:${edge.httpPort}/readyz`)).status).toBe(200);
    client.close();
    late.close();
  }, 120_000);
});
