import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WaSimServer } from './sim-server.ts';
import { newClient, nextEvent, startSim } from './test-support.ts';

let sim: WaSimServer;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  sim = await startSim({ ttlMs: 5000 });
});
afterEach(async () => {
  for (const fn of cleanups.splice(0)) await fn();
  await sim.close();
});

describe('QR login against the simulator', () => {
  it('shows a QR of ref, public key and clientId, then is ready after the scan', async () => {
    const client = newClient(sim);
    cleanups.push(() => client.close());
    const qrP = nextEvent(client, 'qr');
    const readyP = nextEvent(client, 'ready');
    await client.connect();
    const qr = await qrP;
    expect(client.state).toBe('awaiting_scan');
    const [ref, pub, clientId] = qr.qr.split(',');
    expect(ref).toBe(qr.ref);
    expect(Buffer.from(pub!, 'base64')).toHaveLength(32);
    expect(Buffer.from(clientId!, 'base64')).toHaveLength(16);
    const session = sim.scan(qr.qr, { wid: '33612345678@c.us', pushname: 'Albert' });
    const ready = await readyP;
    expect(ready.restored).toBe(false);
    expect(ready.wid).toBe('33612345678@c.us');
    expect(ready.pushname).toBe('Albert');
    expect(ready.credentials.clientId).toBe(clientId);
    expect(client.state).toBe('connected');
    expect(session.connected).toBe(true);
  });
});
