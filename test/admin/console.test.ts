import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedRedis } from '@wasock/testkit';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/edge-process.ts';
import {
  type SimProcess,
  startSim,
  startWorker,
  testCredsKey,
  type WorkerProcess,
} from '../support/system.ts';
import { type AdminProcess, startAdmin } from './admin-process.ts';

// The console in Debian's chromium (never a downloaded browser) against the real admin app, a
// session worker and the WhatsApp simulator: sign in, link an account by its QR, watch it connect
// and a message arrive.

const artifacts = join(repoRoot, 'test', 'artifacts');
let sim: SimProcess;
let worker: WorkerProcess;
let admin: AdminProcess;
let browser: Browser;

beforeAll(async () => {
  const { url } = await isolatedRedis();
  [sim, browser] = await Promise.all([
    startSim(['--ttl-ms', '1500']), // QR refs rotate every 1.5 s, so the test sees the page follow
    chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    }),
  ]);
  [worker, admin] = await Promise.all([
    startWorker(url, sim.wsUrl, testCredsKey()),
    startAdmin(url, { EDGE_PUBLIC_ADDRESS: '127.0.0.1:5026' }),
  ]);
  mkdirSync(artifacts, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([admin?.stop(), worker?.stop(), sim?.stop()]);
});

async function scanCurrentQr(sid: string): Promise<{ id: string }> {
  for (let attempt = 1; ; attempt++) {
    const { qr } = (await (await admin.call(`/sessions/${sid}`)).json()) as { qr: string };
    try {
      return await sim.control.scan({ qr, wid: '593987654321@c.us', pushname: 'Front desk' });
    } catch (err) {
      if (attempt >= 3 || (err as { code?: string }).code !== 'unknown_ref') throw err;
    }
  }
}

async function signIn(page: Page): Promise<void> {
  await page.goto(admin.base);
  await page.getByLabel('Admin token').fill(admin.token);
  await page.getByLabel('Admin token').press('Enter'); // the keyboard path, not only the mouse
  await page.locator('#conn[data-state="live"]').waitFor();
}

describe('console', () => {
  it('links an account by QR, shows it connected and streams its messages', async () => {
    // Two other sessions, so the table shows more than one state: one revoked, one awaiting a scan.
    const create = async (label: string) => {
      const res = await admin.call('/sessions', {
        method: 'POST',
        body: JSON.stringify({ label }),
        headers: { 'content-type': 'application/json' },
      });
      return (await res.json()) as { sid: string };
    };
    const old = await create('Old phone');
    await admin.call(`/sessions/${old.sid}/token`, { method: 'DELETE' });
    await create('Warehouse tablet');

    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });

    await page.goto(admin.base);
    await page.getByLabel('Admin token').fill('not-the-admin-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#login-error').textContent()).toContain('not the admin token');
    await signIn(page);
    errors.length = 0; // the refused sign-in above logs its 401; from here on nothing may fail
    await expect.poll(() => page.locator('#edge-address').textContent()).toBe('127.0.0.1:5026');

    // Create a session: the panel shows the token once and the QR.
    await page.getByLabel(/^Label/).fill('Front desk');
    await page.getByLabel('Protocol').selectOption('legacy'); // the simulator speaks the legacy protocol
    await page.getByRole('button', { name: 'Create session' }).click();
    const token = page.locator('#token-value');
    await expect.poll(() => token.inputValue()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const sid = (await page.locator('#lp-sid').textContent())!;
    expect(sid).toMatch(/^[0-9a-f]{16}$/);
    const qrImg = page.locator('#qr-img');
    await qrImg.waitFor({ state: 'visible', timeout: 15_000 });
    expect(
      await qrImg.evaluate((img) => {
        const image = img as unknown as { complete: boolean; naturalWidth: number };
        return image.complete && image.naturalWidth > 0;
      }),
    ).toBe(true);
    await page.locator(`tr[data-sid="${sid}"] .badge[data-state="awaiting_scan"]`).waitFor();
    await page.screenshot({ path: join(artifacts, 'console-qr.png') });

    // The ref rotates: the page swaps the image for the new QR.
    const firstQr = await qrImg.getAttribute('data-qr');
    await expect.poll(() => qrImg.getAttribute('data-qr'), { timeout: 10_000 }).not.toBe(firstQr);

    // The phone scans the QR the API shows now; a ref that rotated in between is read again.
    const phone = await scanCurrentQr(sid);
    expect((await (await admin.call(`/sessions/${sid}`)).json()) as { connector: string }).toMatchObject({
      connector: 'legacy',
    });

    // Connected: the row's badge and the panel turn green.
    await page.locator(`tr[data-sid="${sid}"] .badge[data-state="connected"]`).waitFor({ timeout: 15_000 });
    await page.locator('#link-panel[data-state="connected"]').waitFor();
    expect(await page.locator('#qr-done').isVisible()).toBe(true);
    expect(await page.locator('#qr-img').isVisible()).toBe(false);

    // The live feed shows a simulator message as it arrives.
    await page
      .locator(`tr[data-sid="${sid}"]`)
      .getByRole('button', { name: /Watch the live events/ })
      .click();
    await expect.poll(() => page.locator('#feed-empty').textContent()).toContain('No events yet');
    await sim.control.sendMessage({
      session: phone.id,
      kind: 'text',
      from: '593123456789@c.us',
      text: 'Hola, ¿tienen la talla 38?',
    });
    await page.locator('#feed li.ev-message', { hasText: 'tienen la talla 38' }).waitFor({ timeout: 10_000 });
    await sim.control.sendMessage({
      session: phone.id,
      kind: 'quoted',
      from: '593123456789@c.us',
      text: 'La quiero en negro, por favor',
    });
    await page.locator('#feed li.ev-message', { hasText: 'en negro' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#feed li').first().textContent()).toContain('+593123456789');

    // Answer from the console: the text goes out through the worker and shows in the feed as ours.
    await page.getByLabel('Send a text as this account').fill('+593 12 345 6789');
    await page.getByLabel('Message', { exact: true }).fill('Sí, también en negro');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const sent = page.locator('#feed li.ev-message', { hasText: 'también en negro' });
    await sent.waitFor({ timeout: 15_000 });
    expect(await sent.textContent()).toContain('me → +593123456789');
    expect(await page.locator('#send-text').inputValue()).toBe('');
    const relayed = await sim.control.relayed(phone.id);
    expect(relayed.map((m) => m.message?.conversation)).toContain('Sí, también en negro');

    // A moment for the flash highlight and the toast to fade, so the screenshot shows the resting page.
    await page.waitForTimeout(1700);
    await expect
      .poll(() => page.locator('#toast').getAttribute('class'), { timeout: 10_000 })
      .not.toContain('show');
    await page.waitForTimeout(400); // the toast's fade-out
    await page.screenshot({ path: join(artifacts, 'console.png'), fullPage: true });

    // Phone width: one column, nothing wider than the screen.
    await page.setViewportSize({ width: 375, height: 812 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(artifacts, 'console-phone.png'), fullPage: true });

    expect(errors).toEqual([]);
    await page.close();
  });
});
