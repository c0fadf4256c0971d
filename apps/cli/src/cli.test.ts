import { join } from 'node:path';
import { AppProcess, sharedTestRedis } from '@wasock/testkit';
import { beforeAll, describe, expect, it } from 'vitest';

const main = join(import.meta.dirname, 'main.ts');
let env: Record<string, string>;
beforeAll(async () => {
  env = { REDIS_URL: (await sharedTestRedis()).url };
});

async function wasock(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = AppProcess.node(main, args, { env });
  const code = await p.waitForExit();
  return { code, stdout: p.stdout, stderr: p.stderr };
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
    const token = (await wasock('token', 'create')).stdout.trim().split('\n').at(-1)!;
    const withNumber = JSON.stringify({ number: 'TOKEN', ...JSON.parse(ack) });
    for (const json of [ack, withNumber]) {
      const { code, stdout } = await wasock('events', 'publish', token, '--json', json);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^published [0-9a-z]+:\d+\n$/);
    }
  });

  it('events publish refuses an invalid event with exit 4 and the reason', async () => {
    const token = (await wasock('token', 'create')).stdout.trim().split('\n').at(-1)!;
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
    const token = (await wasock('token', 'create')).stdout.trim().split('\n').at(-1)!;
    expect((await wasock('token', 'revoke', token)).code).toBe(0);
    const again = await wasock('token', 'revoke', token);
    expect(again.code).toBe(3);
    expect((await wasock('events', 'publish', token, '--json', ack)).code).toBe(3);
  });

  it('exits 2 with usage on unknown commands and flags', async () => {
    expect((await wasock('frobnicate')).code).toBe(2);
    expect((await wasock('token', 'create', '--colour', 'x')).code).toBe(2);
    expect((await wasock()).code).toBe(2);
  });

  it('names REDIS_URL when it is invalid', async () => {
    const p = AppProcess.node(main, ['token', 'create'], { env: { REDIS_URL: 'http://nope' } });
    expect(await p.waitForExit()).toBe(1);
    expect(p.stderr).toContain('REDIS_URL');
  });
});
