import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { connectRedis, TokenStore } from '@wasock/store';
import { freePort, sharedTestRedis } from '@wasock/testkit';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventsCommand } from './events.ts';
import { qrCommand } from './qr.ts';
import { runCli } from './run.ts';
import { sessionCommand } from './session.ts';
import { tokenCommand } from './token.ts';

// The argument and lookup failures, run in-process: the same runCli as main.ts without paying a
// Node start per case. cli.test.ts runs the real process for the paths that do work.
const commands = { token: tokenCommand, session: sessionCommand, qr: qrCommand, events: eventsCommand };
const UNKNOWN_SID = 'ffffffffffffffff';

beforeAll(async () => {
  process.env.REDIS_URL = (await sharedTestRedis()).url;
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function run(...argv: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  let stderr = '';
  let stdout = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const code = await runCli(argv, commands);
  vi.restoreAllMocks();
  return { code, stderr, stdout };
}

async function codes(...cases: string[][]): Promise<number[]> {
  const out: number[] = [];
  for (const argv of cases) out.push((await run(...argv)).code);
  return out;
}

describe('runCli exit codes', () => {
  it('exits 2 with usage on unknown commands, subcommands and flags; 0 for --help', async () => {
    expect(await codes(['frobnicate'], [], ['token', 'create', '--colour', 'x'], ['token', 'frob'])).toEqual([
      2, 2, 2, 2,
    ]);
    const help = await run('--help');
    expect(help.code).toBe(0);
    for (const cmd of ['token list', 'session show', 'qr <sid>', 'events tail'])
      expect(help.stdout).toContain(cmd);
  });

  it('exits 3 for an unknown session, 4 for a malformed id, 2 for missing or extra arguments', async () => {
    expect(
      await codes(
        ['session', 'show', UNKNOWN_SID],
        ['session', 'logout', UNKNOWN_SID],
        ['session', 'restart', UNKNOWN_SID],
        ['qr', UNKNOWN_SID],
        ['session', 'show', 'NOT-A-SID'],
        ['session', 'show'],
        ['session', 'list', 'extra'],
        ['session', 'logout', UNKNOWN_SID, '--json'],
        ['session', 'frob'],
        ['token', 'list', 'extra'],
      ),
    ).toEqual([3, 3, 3, 3, 4, 2, 2, 2, 2, 2]);
    expect((await run('session', 'show', UNKNOWN_SID)).stderr).toBe(`wasock: no session ${UNKNOWN_SID}\n`);
    expect((await run('session', 'show', 'NOT-A-SID')).stderr).toContain('16–32 lowercase hex');
  });

  it('validates qr --timeout as whole seconds from 1 to 86400', async () => {
    expect(
      await codes(
        ['qr', UNKNOWN_SID, '--timeout', '0'],
        ['qr', UNKNOWN_SID, '--timeout', 'soon'],
        ['qr', UNKNOWN_SID, '--timeout', '86401'],
        ['qr', 'xyz'],
        ['qr'],
        ['qr', UNKNOWN_SID, '--watch'],
      ),
    ).toEqual([4, 4, 4, 4, 2, 2]);
  });

  it('validates session pair arguments: 2 usage, 4 bad sid or number, 3 unknown session, 1 nobody runs it', async () => {
    expect(
      await codes(
        ['session', 'pair', UNKNOWN_SID],
        ['session', 'pair', UNKNOWN_SID, '593987654321', '--later'],
        ['session', 'pair', 'nope', '593987654321'],
        ['session', 'pair', UNKNOWN_SID, '+593 98'],
        ['session', 'pair', UNKNOWN_SID, '593987654321', '--timeout', '0'],
        ['session', 'pair', UNKNOWN_SID, '593987654321'],
      ),
    ).toEqual([2, 2, 4, 4, 4, 3]);
    const redis = connectRedis(process.env.REDIS_URL!, { name: 'test-cli-pair' });
    const { sid } = await new TokenStore(redis).create({ label: 'pair-idle', connector: 'legacy' });
    redis.disconnect();
    const idle = await run('session', 'pair', sid, '+593 98 765 4321');
    expect(idle.code).toBe(1);
    expect(idle.stderr).toMatch(/^wasock: no session worker runs session \S+ \(state new\)/);
  });

  it('validates events tail flags and reports an unreachable edge with exit 1', async () => {
    const closed = await freePort();
    expect(
      await codes(
        ['events', 'tail', 'tok', '--port', '70000'],
        ['events', 'tail', 'tok', '--count', '0'],
        ['events', 'tail', 'tok', '--since', 'yesterday'],
        ['events', 'tail', 'tok', '--host', 'a b'],
        ['events', 'tail', 'with space'],
        ['events', 'tail'],
        ['events', 'tail', 'tok', '--follow'],
        ['events', 'frob'],
      ),
    ).toEqual([4, 4, 4, 4, 4, 2, 2, 2]);
    const refused = await run('events', 'tail', 'tok', '--port', String(closed));
    expect(refused).toMatchObject({ code: 1, stderr: `wasock: edge 127.0.0.1:${closed}: ECONNREFUSED\n` });
  });

  it('reads the edge port from EDGE_PORT and validates it', async () => {
    vi.stubEnv('EDGE_PORT', 'abc');
    const bad = await run('events', 'tail', 'tok');
    vi.unstubAllEnvs();
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('EDGE_PORT');
  });
});

/** A one-shot TCP server: records the client's first line, answers with `reply`, then closes. */
async function fakeEdge(reply: string): Promise<{ port: number; hello: Promise<string>; close(): void }> {
  let gotHello: (line: string) => void = () => undefined;
  const hello = new Promise<string>((resolve) => {
    gotHello = resolve;
  });
  const server = createServer((socket: Socket) => {
    let buf = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      buf += d;
      if (!buf.includes('\n')) return;
      gotHello(buf.slice(0, buf.indexOf('\n')));
      socket.end(reply);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { port, hello, close: () => server.close() };
}

describe('events tail against a stand-in edge', () => {
  const ack = (n: number) =>
    JSON.stringify({ number: 'T', content: 'ack', messageId: `m${n}`, ack: 2, eventId: `e:${n}` });

  it('sends a hello with ids and since, prints the lines as received, exits 0 when the server closes', async () => {
    const edge = await fakeEdge(`${ack(1)}\n${ack(2)}`);
    const r = await run('events', 'tail', 'tok', '--port', String(edge.port), '--since', 'e:0', '--raw');
    edge.close();
    expect(JSON.parse(await edge.hello)).toEqual({ token: 'tok', ids: true, since: 'e:0' });
    // The last line arrived without its newline before the close: still printed.
    expect(r).toMatchObject({ code: 0, stdout: `${ack(1)}\n${ack(2)}\n`, stderr: '' });
  });

  it('stops after --count events', async () => {
    const edge = await fakeEdge(`${ack(1)}\n${ack(2)}\n${ack(3)}\n`);
    const r = await run('events', 'tail', 'tok', '--port', String(edge.port), '--count', '2');
    edge.close();
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect(r.stdout).toContain('read  m2  #e:2');
  });

  it('exits 1 with the message of an error line, and on a server that does not speak JSON lines', async () => {
    const denied = await fakeEdge('{"content":"error","code":"revoked","message":"the token was revoked"}\n');
    const r = await run('events', 'tail', 'tok', '--port', String(denied.port));
    denied.close();
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'wasock: revoked: the token was revoked\n' });
    const http = await fakeEdge('HTTP/1.1 400 Bad Request\r\n\r\n');
    const h = await run('events', 'tail', 'tok', '--port', String(http.port));
    http.close();
    expect(h.code).toBe(1);
    expect(h.stderr).toContain('is it a wasock edge?');
  });
});
