import { sleep, waitFor } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, type LinkedSession } from './support/cluster.ts';
import { compareLedger } from './support/ledger.ts';
import { LineClient } from './support/line-client.ts';
import { ResumingClient } from './support/resuming-client.ts';

// The whole system under faults while traffic flows, with a ledger of what the simulator sent:
// clients that resume with `since` must get every message exactly once, in order; a seed client
// that reconnects bare must get (at least) the last 50.

let cluster: Cluster;
const clients = new Map<LinkedSession, ResumingClient[]>();

beforeAll(async () => {
  cluster = await Cluster.start({
    workers: 2,
    edges: 2,
    workerEnv: { LEASE_TTL_MS: '3000', WA_KEEPALIVE_MS: '500', WA_DEAD_AFTER_MS: '2000' },
  });
  for (const s of await cluster.link(3)) {
    const pair = [0, 1].map(() => new ResumingClient({ token: s.token, ports: () => cluster.edgePorts() }));
    for (const c of pair) c.start();
    clients.set(s, pair);
  }
}, 60_000);
afterAll(async () => {
  for (const pair of clients.values()) for (const c of pair) c.stop();
  await cluster?.stop();
});

/** Sends one message per session every `everyMs` until the returned stop function is called. */
function traffic(everyMs: number): () => Promise<void> {
  let running = true;
  let n = 0;
  const loop = (async () => {
    // Bounded: at most 2,000 rounds whatever happens.
    while (running && n < 2000) {
      n++;
      await Promise.all(cluster.sessions.map((s) => cluster.send(s, `msg ${n}`)));
      await sleep(everyMs);
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

describe('faults during traffic', () => {
  it('delivers every message exactly once, in order, to resuming clients through every fault', async () => {
    const stop = traffic(100);
    await sleep(500);
    const log: string[] = [];
    const phase = async (name: string, fault: () => Promise<void>) => {
      log.push(name);
      await fault();
      await sleep(1500);
    };
    await phase('redis killed and restarted', () => cluster.bounceRedis(800));
    await phase('redis paused', () => cluster.pauseRedis(1500));
    await phase('a worker SIGKILLed', () => cluster.replaceWorker(0));
    await phase('an edge SIGKILLed', () => cluster.replaceEdge(0));
    const s0 = cluster.sessions[0]!;
    await phase('whatsapp socket dropped', () =>
      cluster.sim.control.injectFault({ session: s0.simId, fault: 'drop_socket' }),
    );
    await phase('bad-MAC frame', () =>
      cluster.sim.control.injectFault({ session: s0.simId, fault: 'bad_mac' }),
    );
    await phase('pings stalled', () =>
      cluster.sim.control.injectFault({ session: s0.simId, fault: 'stop_pings' }),
    );
    await sleep(2500);
    await stop();

    for (const [s, pair] of clients) {
      for (const c of pair) {
        await waitFor(() => s.sent.every((id) => c.messageIds().includes(id)), {
          what: `all ${s.sent.length} messages of ${s.sid} at one client (has ${c.messageIds().length})`,
          timeoutMs: 30_000,
        });
        const result = compareLedger(s.sent, c.messageIds());
        expect({ ...result, faults: log }).toMatchObject({ lost: [], duplicated: [], outOfOrder: 0 });
        expect(c.resumes.every((r) => r === 'ok')).toBe(true);
      }
    }
    // The edge SIGKILL made some clients reconnect and resume.
    const reconnects = [...clients.values()].flat().reduce((n, c) => n + c.connects - 1, 0);
    expect(reconnects).toBeGreaterThan(0);
  }, 120_000);

  it('replays the last 50 messages to a seed client that reconnects bare', async () => {
    const s = cluster.sessions[1]!;
    const c = await LineClient.connect(cluster.edgePorts()[0]!, s.token);
    await c.waitForLines(50);
    await sleep(200);
    expect(c.lines.map((l) => l.messageId)).toEqual(s.sent.slice(-50));
    c.close();
  });
});
