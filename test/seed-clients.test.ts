import { sharedTestRedis, waitFor } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EdgeProcess, startEdge } from './support/edge-process.ts';
import { Gateway, indexOf, textEvent } from './support/fixtures.ts';
import { printedEvents, runSeedClient } from './support/seed-client.ts';

let edge: EdgeProcess;
let gw: Gateway;
beforeAll(async () => {
  const { url } = await sharedTestRedis();
  gw = new Gateway(url);
  edge = await startEdge(url);
});
afterAll(async () => {
  await edge?.stop();
  gw?.close();
});

describe.each(['python', 'node'] as const)('the seed 000 %s client, unchanged', (kind) => {
  it('receives the replayed events, then live ones, each with its token as number', async () => {
    const { token, sid } = await gw.createToken();
    await gw.publishRange(sid, 1, 3);
    const client = runSeedClient(kind, edge.port, token);
    await client.waitForOutput(/Connected to server/);
    await waitFor(() => printedEvents(kind, client.stdout).length >= 3, { what: 'the replay' });
    await gw.publishRange(sid, 4, 5);
    await waitFor(() => printedEvents(kind, client.stdout).length >= 5, { what: 'the live events' });
    await client.stop();
    const events = printedEvents(kind, client.stdout);
    expect(events.map(indexOf)).toEqual([1, 2, 3, 4, 5]);
    expect(events[0]).toEqual({ number: token, ...textEvent(1) });
    expect(client.stdout).not.toMatch(/Exception/);
  });
});

describe('non-ASCII text in the seed python client', () => {
  it('prints accents and emoji intact when lines straddle its 1024-byte reads', async () => {
    const { token, sid } = await gw.createToken();
    const body = (i: number) => `${'Canción de año nuevo, ñandú, acción 😀🇪🇨 '.repeat(12)}#${i}`;
    await gw.publishRange(sid, 1, 20, body);
    const client = runSeedClient('python', edge.port, token);
    await waitFor(() => printedEvents('python', client.stdout).length >= 20, { what: '20 long events' });
    await client.stop();
    expect(client.stdout).not.toMatch(/Exception|UnicodeDecodeError/);
    // Many lines must really have been split across reads for this test to mean anything.
    expect(client.stdout.split('Received: ').length - 1).toBeGreaterThan(20);
    const events = printedEvents('python', client.stdout);
    expect(events.map((e) => e.body)).toEqual(Array.from({ length: 20 }, (_, i) => body(i + 1)));
  });
});
