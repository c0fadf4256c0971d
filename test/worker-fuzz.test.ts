import { randomInt } from 'node:crypto';
import { readLatest, SessionStore } from '@wasock/store';
import { waitFor } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue } from './support/edge-process.ts';
import { Stack } from './support/stack.ts';

const CONTACT = '593123456789@c.us';
const FAULTS = [
  'bad_mac',
  'truncated_node',
  'garbage_text',
  'random_frame',
  'random_text',
  'mutated_frame',
] as const;
let stack: Stack;

beforeAll(async () => {
  stack = await Stack.start();
});
afterAll(() => stack?.stop());

describe('WhatsApp protocol fuzz against the worker', () => {
  it('survives 500 random, mutated, truncated and bad-MAC frames, counts them and keeps the session', async () => {
    const { sim, worker, gw } = stack;
    const { sid, simId } = await stack.linkedSession('fuzz');
    const bad = async () => {
      const m = await worker.metrics();
      return (
        metricValue(m, 'wasock_worker_wa_bad_frames_total') +
        metricValue(m, 'wasock_worker_wa_mac_failures_total')
      );
    };
    const before = await bad();
    for (let i = 0; i < 500; i++) {
      await sim.control.injectFault({ session: simId, fault: FAULTS[randomInt(FAULTS.length)]! });
      // Valid traffic interleaved with the garbage must still get through.
      if (i % 100 === 99)
        await sim.control.sendMessage({
          session: simId,
          kind: 'text',
          from: CONTACT,
          text: `still here ${i}`,
        });
    }
    await waitFor(async () => (await readLatest(gw.redis, sid, 50)).entries.length >= 5, {
      what: 'the 5 valid messages sent between the garbage',
      timeoutMs: 15_000,
    });
    const bodies = (await readLatest(gw.redis, sid, 50)).entries.map(
      (e) => JSON.parse(e.body).body as string,
    );
    expect(bodies.filter((b) => b.startsWith('still here'))).toEqual(
      [99, 199, 299, 399, 499].map((i) => `still here ${i}`),
    );
    await waitFor(async () => (await bad()) - before >= 250, {
      what: 'the bad frames counted',
      timeoutMs: 10_000,
    });
    expect(worker.proc.exited).toBe(false);
    expect((await new SessionStore(gw.redis).get(sid))?.state).toBe('connected');
  }, 60_000);
});
