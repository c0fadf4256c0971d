// Linking a multi-device session by phone number through the real operator surface: a real
// SessionWorker (in this process, so WhatsApp can be played by FakeWhatsApp: Baileys' own event
// buffer) runs the session; the `wasock` CLI and the admin API ask it for a pairing code over
// Redis; the fake phone confirms the code and the session connects.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createRegistry } from '@wasock/runtime';
import { connectRedis, keys, type Redis, SessionStore, TokenStore } from '@wasock/store';
import { AppProcess, RedisServer, waitFor } from '@wasock/testkit';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerConfig } from '../../apps/session-worker/src/config.ts';
import { normalize } from '../../apps/session-worker/src/normalize.ts';
import { SessionWorker } from '../../apps/session-worker/src/worker.ts';
import { FakeWhatsApp } from '../../packages/wa-md/src/testing.ts';
import { type AdminProcess, startAdmin } from '../admin/admin-process.ts';
import { repoRoot } from '../support/edge-process.ts';
import { testCredsKey } from '../support/system.ts';

const cli = join(repoRoot, 'apps/cli/src/main.ts');
let own: RedisServer;
let redis: Redis;
let wa: FakeWhatsApp;
let worker: SessionWorker;
let admin: AdminProcess;

beforeAll(async () => {
  // A Redis of its own: the worker claims every runnable session of its Redis.
  own = await RedisServer.start();
  redis = connectRedis(own.url, { name: 'test-md-pairing' });
  wa = new FakeWhatsApp();
  const config = WorkerConfig.parse({
    REDIS_URL: own.url,
    CREDS_KEY: testCredsKey(),
    WA_CONNECTOR: 'multidevice',
    WORKER_ID: 'md-pairing-worker',
    LEASE_TTL_MS: '3000',
    LEASE_RENEW_MS: '1000',
    SCHEDULE_INTERVAL_MS: '200',
    MEDIA_DIR: mkdtempSync(join(tmpdir(), 'wasock-md-pairing-')),
  });
  [worker, admin] = await Promise.all([
    SessionWorker.start(config, {
      logger: createLogger({ name: 'test-md-pairing', level: 'silent' }),
      registry: createRegistry('test-md-pairing'),
      normalize,
      mediaBaseUrl: 'http://127.0.0.1:9',
      makeMultiDeviceSocket: wa.factory,
    }),
    startAdmin(own.url),
  ]);
});
afterAll(async () => {
  await worker?.stop(1000);
  await admin?.stop();
  redis?.disconnect();
  await own?.dispose();
});

function wasock(...args: string[]): AppProcess {
  return AppProcess.node(cli, args, { env: { REDIS_URL: own.url } });
}

/** A new multi-device session, once its worker shows the QR (the moment a code can be asked). */
async function awaitingScan(label: string): Promise<string> {
  const { sid } = await new TokenStore(redis).create({ label, connector: 'multidevice' });
  await waitFor(async () => (await new SessionStore(redis).get(sid))?.state === 'awaiting_scan', {
    what: `session ${label} awaiting a scan`,
    timeoutMs: 15_000,
  });
  return sid;
}

/** The newest fake socket a code was requested on (the phone types the code there). */
function socketAskedFor(phone: string) {
  return waitFor(() => wa.sockets.findLast((s) => s.pairingRequests.includes(phone) && !s.ended), {
    what: `a pairing request for ${phone}`,
  });
}

describe('pairing code', () => {
  it('wasock session pair prints the code, and with --wait exits 0 once the phone typed it', async () => {
    const sid = await awaitingScan('cli-pair');
    const p = wasock('session', 'pair', sid, '+593 98 765 4321', '--wait');
    await p.waitForOutput(/then type the code\n/);
    expect(p.stdout).toMatch(
      /^pairing code: WASK-1234\non the phone of \+593987654321: WhatsApp → Linked devices/,
    );
    (await socketAskedFor('593987654321')).pair();
    expect(await p.waitForExit()).toBe(0);
    expect(p.stdout).toMatch(/connected\n$/);
    expect((await new SessionStore(redis).get(sid))?.state).toBe('connected');

    // Linked now: another code is refused before anything reaches WhatsApp.
    const again = wasock('session', 'pair', sid, '593987654321');
    expect(await again.waitForExit()).toBe(1);
    expect(again.stderr).toBe(`wasock: session ${sid} is connected: it is already linked\n`);
  }, 60_000);

  it('POST /sessions/:sid/pairing-code answers the code, and refuses bad numbers and linked sessions', async () => {
    const sid = await awaitingScan('api-pair');
    const ask = (body: unknown) =>
      admin.call(`/sessions/${sid}/pairing-code`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bad = await ask({ phoneNumber: '12ab' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_request' } });

    const res = await ask({ phoneNumber: '+593 (98) 765-4321' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ code: 'WASK1234', phoneNumber: '593987654321' });
    (await socketAskedFor('593987654321')).pair();
    await waitFor(async () => (await new SessionStore(redis).get(sid))?.state === 'connected', {
      what: 'connected after the code was typed',
    });
    const linked = await ask({ phoneNumber: '593987654321' });
    expect(linked.status).toBe(409);
    expect(await linked.json()).toMatchObject({ error: { code: 'already_linked' } });
  }, 60_000);

  it('answers 409 not_running for a session no worker runs, and 404 for an unknown one', async () => {
    const { sid } = await new TokenStore(redis).create({ label: 'revoked', connector: 'multidevice' });
    await new TokenStore(redis).revokeSession(sid); // a revoked session is never claimed
    await waitFor(async () => (await redis.exists(keys.lease(sid))) === 0, { what: 'no lease' });
    const post = (target: string) =>
      admin.call(`/sessions/${target}/pairing-code`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phoneNumber: '593987654321' }),
      });
    const idle = await post(sid);
    expect(idle.status).toBe(409);
    expect(await idle.json()).toMatchObject({ error: { code: 'not_running' } });
    expect((await post('ffffffffffffffff')).status).toBe(404);
  });

  it('the console shows the code for a typed number, then the session linked', async () => {
    const sid = await awaitingScan('console-pair');
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(admin.base);
      await page.getByLabel('Admin token').fill(admin.token);
      await page.getByLabel('Admin token').press('Enter');
      await page.locator('#conn[data-state="live"]').waitFor();
      await page.locator(`tr[data-sid="${sid}"]`).getByRole('button', { name: /QR/ }).click();
      await page.getByLabel(/link with the phone number/i).fill('+593 98 765 4321');
      await page.getByRole('button', { name: 'Get code' }).click();
      await expect.poll(() => page.locator('#pair-code').textContent()).toBe('WASK-1234');
      (await socketAskedFor('593987654321')).pair();
      await page.locator('#link-panel[data-state="connected"]').waitFor();
      expect(await page.locator('#pair-form').isHidden()).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
