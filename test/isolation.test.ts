import { sharedTestRedis, sleep, waitFor } from '@wasock/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EdgeProcess, startEdge } from './support/edge-process.ts';
import { Gateway } from './support/fixtures.ts';
import { LineClient } from './support/line-client.ts';

// Property: whatever the interleaving of publishes, connects (bare, with ids, resuming) and
// disconnects over several tokens and two edges, no client ever receives an event of another
// token, in replay, live or resume.

let edges: EdgeProcess[];
let gw: Gateway;
beforeAll(async () => {
  const { url } = await sharedTestRedis();
  gw = new Gateway(url);
  edges = await Promise.all([startEdge(url), startEdge(url)]);
});
afterAll(async () => {
  await Promise.all(edges.map((e) => e.stop()));
  gw?.close();
});

type Op =
  | { op: 'publish'; token: number; count: number }
  | { op: 'connect'; token: number; edge: number; mode: 'bare' | 'ids' | 'resume' }
  | { op: 'drop'; client: number };

const opArb = (tokens: number): fc.Arbitrary<Op> =>
  fc.oneof(
    fc.record({
      op: fc.constant('publish' as const),
      token: fc.nat(tokens - 1),
      count: fc.integer({ min: 1, max: 8 }),
    }),
    fc.record({
      op: fc.constant('connect' as const),
      token: fc.nat(tokens - 1),
      edge: fc.nat(1),
      mode: fc.constantFrom('bare' as const, 'ids' as const, 'resume' as const),
    }),
    fc.record({ op: fc.constant('drop' as const), client: fc.nat(30) }),
  );

describe('isolation between tokens', () => {
  it('never shows a client an event of another token, across replay, live and resume', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 2, max: 5 })
          .chain((n) => fc.tuple(fc.constant(n), fc.array(opArb(n), { minLength: 5, maxLength: 30 }))),
        async ([n, ops]) => {
          const tokens = await Promise.all(Array.from({ length: n }, (_, i) => gw.createToken(`iso-${i}`)));
          const clients: { c: LineClient; token: number }[] = [];
          const lastId = new Map<number, string>();
          let seq = 0;
          for (const o of ops) {
            if (o.op === 'publish') {
              for (let k = 0; k < o.count; k++) {
                const t = tokens[o.token]!;
                // The messageId names the token it was published to.
                await gw.publisher.publish(t.sid, {
                  content: 'ack',
                  messageId: `true_t${o.token}@c.us_${seq++}`,
                  ack: 1,
                });
              }
            } else if (o.op === 'connect') {
              const t = tokens[o.token]!;
              const since = lastId.get(o.token);
              const first =
                o.mode === 'bare'
                  ? t.token
                  : `${JSON.stringify({ token: t.token, ids: true, ...(o.mode === 'resume' && since ? { since } : {}) })}\n`;
              clients.push({ c: await LineClient.connect(edges[o.edge]!.port, first), token: o.token });
            } else {
              const victim = clients[o.client % Math.max(1, clients.length)];
              if (victim) {
                const ids = victim.c.lines
                  .map((l) => l.eventId)
                  .filter((id): id is string => typeof id === 'string');
                if (ids.length) lastId.set(victim.token, ids.at(-1)!);
                victim.c.close();
              }
            }
          }
          await sleep(150);
          for (const { c, token } of clients) {
            await waitFor(() => !c.raw || c.raw.endsWith('\n'), { what: 'whole lines' });
            for (const line of c.lines) {
              if (line.content === 'resume') continue;
              expect(line.content, `an error line: ${JSON.stringify(line)}`).not.toBe('error');
              expect(line.number).toBe(tokens[token]!.token);
              expect(String(line.messageId)).toContain(`_t${token}@c.us_`);
            }
            c.close();
          }
        },
      ),
      { numRuns: 20 },
    );
  }, 120_000);
});
