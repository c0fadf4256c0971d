import { join } from 'node:path';
import { keys, SessionStore } from '@wasock/store';
import { AppProcess, waitFor } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/edge-process.ts';
import { Stack } from './support/stack.ts';
import { linkSession } from './support/system.ts';

// The operator CLI against the real system: simulator → worker → Redis → edge → `wasock`.
const cli = join(repoRoot, 'apps/cli/src/main.ts');
const CONTACT = '593123456789@c.us';
let stack: Stack;

beforeAll(async () => {
  stack = await Stack.start({ edgeEnv: {} });
});
afterAll(() => stack?.stop());

function wasock(...args: string[]): AppProcess {
  return AppProcess.node(cli, args, {
    env: { REDIS_URL: stack.redisUrl, EDGE_PORT: String(stack.edge.port) },
  });
}

async function tokenCreate(label: string): Promise<{ sid: string; token: string }> {
  const p = wasock('token', 'create', '--label', label);
  expect(await p.waitForExit()).toBe(0);
  const lines = p.stdout.trim().split('\n');
  return { sid: lines[0]!.replace('session: ', ''), token: lines.at(-1)! };
}

describe('wasock events tail', () => {
  it('receives a simulator message through a real worker and edge, raw and pretty', async () => {
    const { sid, token } = await tokenCreate('tail');
    const simSession = await linkSession(stack.redisUrl, stack.sim.control, sid, '593987654321@c.us');
    // Started before the message: it arrives live, or in the replay if the hello is slower.
    const raw = wasock('events', 'tail', token, '--count', '1', '--json');
    await stack.sim.control.sendMessage({ session: simSession, kind: 'text', from: CONTACT, text: 'hola' });
    expect(await raw.waitForExit()).toBe(0);
    const lines = raw.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const event = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(event).toMatchObject({
      number: token,
      content: 'message',
      from: CONTACT,
      to: '593987654321@c.us',
      body: 'hola',
      type: 'chat',
      eventId: expect.stringMatching(/^[0-9a-z]+:1$/),
    });

    // Pretty: one human line, no token, no escapes off a terminal.
    const pretty = wasock('events', 'tail', token, '--count', '1');
    expect(await pretty.waitForExit()).toBe(0);
    // (The time carries the date too when the message is from another day: a run across midnight.)
    expect(pretty.stdout).toMatch(
      /^(\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d +message +593123456789 → 593987654321 +chat +"hola" +#\S+:1\n$/,
    );
    expect(pretty.stdout).not.toContain(token);
    expect(pretty.stdout).not.toContain('\x1b');

    // Resuming after that event: the notice, then nothing new until the server closes or N arrive.
    const resumed = wasock(
      'events',
      'tail',
      token,
      '--since',
      String(event.eventId),
      '--count',
      '1',
      '--raw',
    );
    await resumed.waitForOutput(/"content":"resume","status":"ok","replayed":0/);
    await stack.sim.control.sendMessage({
      session: simSession,
      kind: 'text',
      from: CONTACT,
      text: 'otra vez',
    });
    expect(await resumed.waitForExit()).toBe(0);
    expect(resumed.stdout).toContain('"body":"otra vez"');
  });

  it('exits 1 with the edge error message for an unknown token', async () => {
    const p = wasock('events', 'tail', 'not-a-real-token');
    expect(await p.waitForExit()).toBe(1);
    expect(p.stderr).toBe('wasock: unauthorized: unknown or revoked token\n');
    expect(p.stdout).toBe('');
  });

  it('stops on SIGINT with exit 130', async () => {
    const { sid, token } = await tokenCreate('sigint');
    const p = wasock('events', 'tail', token);
    // Interrupted once the edge serves it (the session's live channel gets its subscriber). A
    // loaded CI machine can take seconds just to start the CLI, hence the generous deadline.
    await waitFor(
      async () => {
        if (p.exited) throw new Error(`the tail exited early: ${p.stderr}`);
        return (await stack.gw.redis.pubsub('NUMSUB', keys.live(sid)))[1] === 1;
      },
      { what: 'the tail to be served', timeoutMs: 30_000 },
    );
    expect(await p.stop('SIGINT')).toBe(130);
    expect(p.stderr).toBe('wasock: interrupted\n');
  }, 45_000);
});

describe('wasock session pair', () => {
  it('refuses a legacy session with the reason: it links by QR only', async () => {
    const { sid } = await tokenCreate('pair-legacy');
    await waitFor(async () => (await new SessionStore(stack.gw.redis).get(sid))?.qr, {
      what: 'the QR',
      timeoutMs: 15_000,
    });
    const p = wasock('session', 'pair', sid, '593987654321');
    expect(await p.waitForExit()).toBe(1);
    expect(p.stderr).toBe('wasock: unsupported: a legacy session links by QR only\n');
  });
});

describe('wasock qr in a terminal', () => {
  it('draws the QR with block characters in a pseudo terminal and exits 0 once the phone scans it', async () => {
    const { sid } = await tokenCreate('qr');
    // `script` gives the command a pseudo terminal, so stdout.isTTY is true as for an operator.
    const p = new AppProcess(
      'script',
      ['-qefc', `${process.execPath} ${cli} qr ${sid} --timeout 25`, '/dev/null'],
      {
        env: { REDIS_URL: stack.redisUrl, TERM: 'xterm', NO_COLOR: '' },
      },
    );
    await p.waitForOutput(/[█▀▄]{10}[\s\S]*scan with WhatsApp/, 20_000);
    expect(p.stdout).toContain('\x1b[2J'); // redrawn in place on a terminal
    const qr = (await new SessionStore(stack.gw.redis).get(sid))?.qr;
    expect(qr).toBeTruthy();
    await stack.sim.control.scan({ qr: qr! });
    expect(await p.waitForExit()).toBe(0);
    expect(p.stdout).toMatch(/connected\r?\n/);
    expect(p.stdout).toContain('\x1b[?25h'); // the cursor is given back
  });
});
