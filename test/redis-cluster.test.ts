import { Outbox } from '@wasock/outbox';
import { keys, SessionStore, TokenStore } from '@wasock/store';
import { waitFor } from '@wasock/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterStack } from './support/cluster-stack.ts';
import { LineClient } from './support/line-client.ts';

// The end-to-end path on a three-master Redis Cluster: simulator → session worker → cluster →
// sock-edge → client, with sessions on every master, sharded pub/sub, BullMQ media and send
// queues, and a revocation.

const CONTACT = '593123456789@c.us';
let stack: ClusterStack;
let outbox: Outbox;

interface Linked {
  sid: string;
  token: string;
  simId: string;
  master: number;
}

beforeAll(async () => {
  stack = await ClusterStack.start();
  outbox = new Outbox(stack.redis, { sendsPerMinute: 100 });
}, 30_000);
afterAll(async () => {
  await outbox?.close();
  await stack?.stop();
});

/** Creates tokens until one session lives on each master (bounded), and links those. */
async function sessionsOnEveryMaster(): Promise<Linked[]> {
  const { cluster, redis } = stack;
  const tokens = new TokenStore(redis);
  const byMaster = new Map<number, { sid: string; token: string }>();
  for (let i = 0; i < 40 && byMaster.size < cluster.masters.length; i++) {
    const created = await tokens.create({ label: `cluster-${i}` });
    const slot = await cluster.keySlot(keys.session(created.sid));
    // Every per-session key and the live channel share the slot of the `{sid}` hash tag.
    for (const key of [keys.events(created.sid), keys.streamMeta(created.sid), keys.live(created.sid)]) {
      expect(await cluster.keySlot(key)).toBe(slot);
    }
    const master = await cluster.masterOfSlot(slot);
    if (byMaster.has(master)) await tokens.revoke(created.token);
    else byMaster.set(master, created);
  }
  expect(byMaster.size).toBe(cluster.masters.length);
  return Promise.all(
    [...byMaster].map(async ([master, { sid, token }]) => ({
      sid,
      token,
      master,
      simId: await stack.link(sid),
    })),
  );
}

function bodies(lines: Record<string, unknown>[]): unknown[] {
  return lines.filter((l) => l.content === 'message').map((l) => l.body);
}

describe('on a Redis Cluster (three masters)', () => {
  it('delivers replay and live events of sessions on every master, runs media and send jobs, and closes revoked tokens', async () => {
    const { redis, sim, edge } = stack;
    const linked = await sessionsOnEveryMaster();
    expect(new Set(linked.map((s) => s.master)).size).toBe(3);
    const listed = (await new SessionStore(redis).list()).map((r) => r.sid);
    for (const s of linked) expect(listed).toContain(s.sid);

    // Replay: stored before any client connects.
    for (const s of linked) {
      for (const n of [1, 2]) {
        await sim.control.sendMessage({
          session: s.simId,
          kind: 'text',
          from: CONTACT,
          text: `${s.sid} r${n}`,
        });
      }
    }
    await waitFor(
      async () => {
        const lens = await Promise.all(linked.map((s) => redis.xlen(keys.events(s.sid))));
        return lens.every((n) => n >= 2);
      },
      { what: 'two stored events per session', timeoutMs: 10_000 },
    );
    const clients = await Promise.all(linked.map((s) => LineClient.connect(edge.port, s.token)));
    for (const [i, s] of linked.entries()) {
      expect(bodies(await clients[i]!.waitForLines(2))).toEqual([`${s.sid} r1`, `${s.sid} r2`]);
    }

    // The edge holds one shard subscription per session, on the master that owns its slot.
    for (const s of linked) {
      const node = new Redis(s.master, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
      await node.connect();
      try {
        const [, subscribers] = (await node.call('PUBSUB', 'SHARDNUMSUB', keys.live(s.sid))) as [
          string,
          number,
        ];
        expect(subscribers).toBe(1);
      } finally {
        node.disconnect();
      }
    }

    // Live: a text per session, a voice note (BullMQ media job) on the first one.
    for (const s of linked) {
      await sim.control.sendMessage({ session: s.simId, kind: 'text', from: CONTACT, text: `${s.sid} live` });
    }
    const first = linked[0]!;
    await sim.control.sendMessage({
      session: first.simId,
      kind: 'ptt',
      from: CONTACT,
      data: Buffer.from('OggS cluster voice note '.repeat(20)).toString('base64'),
      mimetype: 'audio/ogg; codecs=opus',
    });
    for (const [i, s] of linked.entries()) {
      const lines = await clients[i]!.waitForLines(3);
      expect(bodies(lines).slice(0, 3)).toEqual([`${s.sid} r1`, `${s.sid} r2`, `${s.sid} live`]);
      for (const l of lines) expect(l.number).toBe(s.token);
    }
    await waitFor(() => clients[0]!.lines.some((l) => l.content === 'media'), {
      what: 'the media event of the voice note',
      timeoutMs: 15_000,
    });

    // Sending: the session's BullMQ queue under the `{wasock-queues}` prefix.
    const sent = await outbox.enqueue(first.sid, { to: CONTACT, text: 'desde el cluster' });
    await waitFor(async () => (await outbox.status(first.sid, sent.waId))?.state === 'sent', {
      what: 'the send to be relayed',
      timeoutMs: 15_000,
    });

    // Revocation: announced on the global channel, the connection closes; the others live on.
    const revoked = linked[1]!;
    expect(await new TokenStore(redis).revoke(revoked.token)).toBe(true);
    await clients[1]!.waitForClose(5000);
    expect(clients[1]!.lines.at(-1)).toMatchObject({ content: 'error', code: 'revoked' });
    const again = await LineClient.connect(edge.port, revoked.token);
    expect((await again.waitForLines(1))[0]).toMatchObject({ code: 'unauthorized' });
    expect(clients[0]!.closed || clients[2]!.closed).toBe(false);

    const ready = await fetch(`http://127.0.0.1:${edge.httpPort}/readyz`);
    expect(ready.status).toBe(200);
    for (const c of [...clients, again]) c.close();
  }, 60_000);
});
