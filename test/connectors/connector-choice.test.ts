// Choosing the connector: per session at creation (`wasock token create --connector`) over the
// deployment default (`WA_CONNECTOR`). Only the legacy connector can be run end to end here
// (the multi-device one would dial WhatsApp), so the worker runs with the multi-device default
// and a session created `--connector legacy` must still link through the simulator.
import { join } from 'node:path';
import { connectRedis, type Redis, SessionStore } from '@wasock/store';
import { AppProcess, RedisServer } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/edge-process.ts';
import {
  linkSession,
  type SimProcess,
  startSim,
  startWorker,
  testCredsKey,
  type WorkerProcess,
} from '../support/system.ts';

let own: RedisServer;
let redisUrl: string;
let redis: Redis;
let sim: SimProcess;
let worker: WorkerProcess;

// A Redis of its own, without the sessions of other test files: under a multi-device default,
// this worker would run every runnable session it finds with Baileys, dialling WhatsApp.
beforeAll(async () => {
  own = await RedisServer.start();
  redisUrl = own.url;
  redis = connectRedis(redisUrl, { name: 'test-connector-choice' });
  sim = await startSim();
  worker = await startWorker(redisUrl, sim.wsUrl, testCredsKey(), { WA_CONNECTOR: 'multidevice' });
});
afterAll(async () => {
  await worker?.stop();
  await sim?.stop();
  redis?.disconnect();
  await own?.dispose();
});

async function wasock(url: string, ...args: string[]) {
  const p = AppProcess.node(join(repoRoot, 'apps/cli/src/main.ts'), args, { env: { REDIS_URL: url } });
  const code = await p.waitForExit();
  return { code, stdout: p.stdout, stderr: p.stderr };
}

describe('connector choice', () => {
  it('token create --connector records the choice; a bad value is a usage error', async () => {
    // No worker watches this Redis: nothing dials WhatsApp for the multi-device session.
    const cliOnly = await RedisServer.start();
    const md = await wasock(cliOnly.url, 'token', 'create', '--label', 'md', '--connector', 'multidevice');
    expect(md.code).toBe(0);
    const sid = md.stdout.split('\n')[0]!.replace('session: ', '');
    const r = connectRedis(cliOnly.url, { name: 'test-connector-cli' });
    expect((await new SessionStore(r).get(sid))?.connector).toBe('multidevice');
    r.disconnect();
    await cliOnly.dispose();
    const bad = await wasock(redisUrl, 'token', 'create', '--connector', 'carrier-pigeon');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--connector is legacy or multidevice/);
  });

  it('runs a session created --connector legacy with the legacy connector under a multidevice default', async () => {
    const created = await wasock(redisUrl, 'token', 'create', '--label', 'sim', '--connector', 'legacy');
    expect(created.code).toBe(0);
    const sid = created.stdout.split('\n')[0]!.replace('session: ', '');
    // Only the legacy connector shows a QR the simulator can scan.
    await linkSession(redisUrl, sim.control, sid);
    expect(await new SessionStore(redis).get(sid)).toMatchObject({ state: 'connected', connector: 'legacy' });
  });
});
