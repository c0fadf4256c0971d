import { join } from 'node:path';
import { keys } from '@wasock/store';
import { AppProcess, sleep } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCreds, parseCredsKey } from '../apps/session-worker/src/creds-crypto.ts';
import { repoRoot } from './support/edge-process.ts';
import { LineClient } from './support/line-client.ts';
import { Stack } from './support/stack.ts';
import { linkSession, testCredsKey } from './support/system.ts';

// Tokens and WhatsApp credentials must never appear in any log line, nor in Redis in clear.
// This runs a full path at debug level and searches every byte every process wrote.

const CONTACT = '593123456789@c.us';
const credsKey = testCredsKey();
let stack: Stack;
const cliStderr: string[] = [];

beforeAll(async () => {
  stack = await Stack.start({ workerEnv: { LOG_LEVEL: 'trace' }, edgeEnv: { LOG_LEVEL: 'trace' } });
});
afterAll(() => stack?.stop());

async function cli(...args: string[]): Promise<string> {
  const p = AppProcess.node(join(repoRoot, 'apps/cli/src/main.ts'), args, {
    env: { REDIS_URL: stack.redisUrl },
  });
  await p.waitForExit();
  cliStderr.push(p.stderr);
  return p.stdout;
}

describe('secrets', () => {
  it('never logs a token or WhatsApp credential, and never stores one in clear', async () => {
    const token = (await cli('token', 'create', '--label', 'secrets')).trim().split('\n').at(-1)!;
    const { sim, worker, edge, gw, redisUrl } = stack;
    const sid = (await gw.tokens.resolve(token))!;
    const simId = await linkSession(redisUrl, sim.control, sid);
    await sim.control.sendMessage({ session: simId, kind: 'text', from: CONTACT, text: 'hola' });
    const client = await LineClient.connect(edge.port, token);
    await client.waitForLines(1);
    // Failed handshakes with near-miss tokens are logged too; they must not echo the token.
    for (const bad of [`${token}x`, token.slice(1), `{"token":"${token}","ids":"yes"}\n`]) {
      const c = await LineClient.connect(edge.port, bad);
      await c.waitForClose();
    }
    await cli('events', 'publish', token, '--json', '{"content":"ack","messageId":"m","ack":9}');
    await cli('token', 'revoke', token);
    await client.waitForClose();
    await sleep(300);

    const blob = (await gw.redis.get(keys.creds(sid)))!;
    const creds = JSON.parse(openCreds(parseCredsKey(credsKey), sid, blob)) as Record<string, string>;
    const secrets = {
      token,
      credsKey,
      clientToken: creds.clientToken!,
      serverToken: creds.serverToken!,
      encKey: creds.encKey!,
      macKey: creds.macKey!,
    };
    const logs = [worker.proc.output, edge.proc.output, sim.proc.output, ...cliStderr].join('\n');
    expect(logs.length).toBeGreaterThan(1000);
    for (const [name, value] of Object.entries(secrets)) {
      expect(logs.includes(value), `${name} appears in the logs`).toBe(false);
    }

    // Redis: no key or value holds a token or a credential in clear.
    let cursor = '0';
    const dump: string[] = [];
    do {
      const [next, found] = await gw.redis.scan(cursor, 'COUNT', 1000);
      cursor = next;
      for (const key of found) {
        dump.push(key);
        const type = await gw.redis.type(key);
        if (type === 'string') dump.push((await gw.redis.get(key)) ?? '');
        else if (type === 'hash') dump.push(JSON.stringify(await gw.redis.hgetall(key)));
        else if (type === 'stream') dump.push(JSON.stringify(await gw.redis.xrange(key, '-', '+')));
        else if (type === 'set') dump.push(...(await gw.redis.smembers(key)));
        else if (type === 'zset') dump.push(...(await gw.redis.zrange(key, 0, -1)));
      }
    } while (cursor !== '0');
    const all = dump.join('\n');
    for (const [name, value] of Object.entries(secrets)) {
      expect(all.includes(value), `${name} is stored in clear in Redis`).toBe(false);
    }
  }, 60_000);
});
