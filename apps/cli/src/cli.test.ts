import { join } from 'node:path';
import { connectRedis, type Redis, SessionStore, TokenStore } from '@wasock/store';
import { AppProcess, freePort, sharedTestRedis } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const main = join(import.meta.dirname, 'main.ts');
let env: Record<string, string>;
let redis: Redis;
let sessions: SessionStore;
beforeAll(async () => {
  const url = (await sharedTestRedis()).url;
  env = { REDIS_URL: url };
  redis = connectRedis(url, { name: 'wasock-cli-test' });
  sessions = new SessionStore(redis);
});
afterAll(() => redis?.disconnect());

async function wasock(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = AppProcess.node(main, args, { env });
  const code = await p.waitForExit();
  return { code, stdout: p.stdout, stderr: p.stderr };
}

// Tokens for the other commands come from the store directly: one Node start less per test.
function createToken(label = ''): Promise<{ sid: string; token: string }> {
  return new TokenStore(redis).create({ label });
}

const ack = JSON.stringify({ content: 'ack', messageId: 'true_1@c.us_A', ack: 2 });

describe('wasock CLI', () => {
  it('token create prints the session and the token alone on the last line', async () => {
    const { code, stdout } = await wasock('token', 'create', '--label', 'shop');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^session: [0-9a-f]{16}$/);
    expect(lines.at(-1)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('events publish accepts a seed event (with or without number) and prints its event id', async () => {
    const { token } = await createToken();
    const withNumber = JSON.stringify({ number: 'TOKEN', ...JSON.parse(ack) });
    for (const json of [ack, withNumber]) {
      const { code, stdout } = await wasock('events', 'publish', token, '--json', json);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^published [0-9a-z]+:\d+\n$/);
    }
  });

  it('events publish refuses an invalid event with exit 4 and the reason', async () => {
    const { token } = await createToken();
    const bad = await wasock(
      'events',
      'publish',
      token,
      '--json',
      '{"content":"ack","messageId":"m","ack":9}',
    );
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('ack');
    const notJson = await wasock('events', 'publish', token, '--json', '{nope');
    expect(notJson.code).toBe(4);
  });

  it('token revoke revokes once, then reports the token unknown with exit 3', async () => {
    const { token } = await createToken();
    expect((await wasock('token', 'revoke', token)).code).toBe(0);
    const again = await wasock('token', 'revoke', token);
    expect(again.code).toBe(3);
    expect((await wasock('events', 'publish', token, '--json', ack)).code).toBe(3);
  });

  it('names REDIS_URL when it is invalid', async () => {
    const p = AppProcess.node(main, ['token', 'create'], { env: { REDIS_URL: 'http://nope' } });
    expect(await p.waitForExit()).toBe(1);
    expect(p.stderr).toContain('REDIS_URL');
  });

  it('reports an unreachable Redis in one line with exit 1', async () => {
    const port = await freePort();
    const p = AppProcess.node(main, ['session', 'list'], { env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    expect(await p.waitForExit()).toBe(1);
    expect(p.stderr).toMatch(/^wasock: Redis unreachable: .*ECONNREFUSED.*\n$/);
  });
});

describe('wasock token list', () => {
  it('lists label, session, state and created in --json and as a table, never the token', async () => {
    const { sid, token } = await createToken('front desk');
    await new TokenStore(redis).revoke((await createToken('gone')).token);
    const [json, human] = await Promise.all([wasock('token', 'list', '--json'), wasock('token', 'list')]);
    expect(json.code).toBe(0);
    const entries = JSON.parse(json.stdout) as Record<string, unknown>[];
    const mine = entries.find((e) => e.session === sid);
    expect(mine).toEqual({
      session: sid,
      label: 'front desk',
      state: 'new',
      created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      revoked: null,
    });
    expect(entries.find((e) => e.label === 'gone')?.revoked).toEqual(expect.stringMatching(/^\d{4}-/));
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^SESSION\s+STATE\s+CREATED\s+REVOKED\s+LABEL\n/);
    expect(human.stdout).toMatch(new RegExp(`${sid}\\s+new\\s+.*front desk`));
    for (const out of [json.stdout, human.stdout]) expect(out).not.toContain(token);
  });
});

describe('wasock session', () => {
  it('list and show --json give every record field; show adds the QR, the human form leaves it out', async () => {
    const { sid } = await createToken('kiosk');
    await sessions.setState(sid, 'awaiting_scan', { qr: '1@ref,key,client', owner: 'w-test' });
    const [list, show, human] = await Promise.all([
      wasock('session', 'list', '--json'),
      wasock('session', 'show', sid, '--json'),
      wasock('session', 'show', sid),
    ]);
    expect([list.code, show.code, human.code]).toEqual([0, 0, 0]);
    const entry = (JSON.parse(list.stdout) as Record<string, unknown>[]).find((e) => e.sid === sid);
    expect(entry).toEqual({
      sid,
      state: 'awaiting_scan',
      label: 'kiosk',
      created: expect.any(String),
      updated: expect.any(String),
      owner: 'w-test',
      revoked: null,
      reason: null,
      tokenHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.parse(show.stdout)).toEqual({ ...entry, qr: '1@ref,key,client' });
    expect(human.stdout).toMatch(/^session:\s+[0-9a-f]{16}\nstate:\s+awaiting_scan\n/);
    expect(human.stdout).toContain('w-test');
    expect(human.stdout).not.toContain('1@ref');
  });

  it('logout marks a session nobody runs logged out; restart makes it new again', async () => {
    const { sid } = await createToken();
    const out = await wasock('session', 'logout', sid);
    expect(out).toMatchObject({ code: 0, stdout: `logged out ${sid}\n` });
    expect(await sessions.get(sid)).toMatchObject({
      state: 'logged_out',
      reason: 'logged out by an operator',
    });
    expect(await wasock('session', 'restart', sid)).toMatchObject({ code: 0, stdout: `restarting ${sid}\n` });
    expect((await sessions.get(sid))?.state).toBe('new');
  });
});

describe('wasock qr (plain output)', () => {
  it('prints the QR, then `connected` when the session connects, exit 0', async () => {
    const { sid } = await createToken();
    await sessions.setState(sid, 'awaiting_scan', { qr: '1@first,key,client', owner: 'w-test' });
    const p = AppProcess.node(main, ['qr', sid, '--timeout', '10'], { env });
    await p.waitForOutput(/scan with WhatsApp/);
    await sessions.setState(sid, 'awaiting_scan', { qr: '1@rotated,key,client', owner: 'w-test' });
    await waitForCount(p, /scan with WhatsApp/g, 2);
    await sessions.setState(sid, 'connected', { owner: 'w-test' });
    expect(await p.waitForExit()).toBe(0);
    expect(p.stdout).toMatch(/[█▀▄]{20}/);
    expect(p.stdout).not.toContain('\x1b');
    expect(p.stdout.trim().split('\n').at(-1)).toBe('connected');
  });

  it('says why it waits and exits 1 when --timeout passes', async () => {
    const { sid } = await createToken();
    await sessions.setState(sid, 'replaced', { reason: 'another client' });
    const p = AppProcess.node(main, ['qr', sid, '--timeout', '1'], { env });
    expect(await p.waitForExit()).toBe(1);
    expect(p.stdout).toContain('replaced by another client (another client)');
    expect(p.stderr).toBe(`wasock: timed out after 1 s: session ${sid} is not connected (state replaced)\n`);
  });
});

async function waitForCount(p: AppProcess, pattern: RegExp, n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((p.stdout.match(pattern) ?? []).length < n) {
    if (Date.now() > deadline) throw new Error(`fewer than ${n} matches of ${pattern}: ${p.output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
