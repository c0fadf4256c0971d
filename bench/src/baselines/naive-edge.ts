// Naive-edge baseline: what most small gateways do. Each client gets its own Redis connection
// running `XREAD BLOCK` on its session's stream (after an XREVRANGE replay of the last 50), so
// Redis connections grow with clients. It reads the same Redis data as wasock (tokens, streams)
// and writes the same lines.

import { createServer, type Socket } from 'node:net';
import { connectRedis, hashToken, keys, type Redis } from '@wasock/store';
import { Redis as IORedis } from 'ioredis';
import { serve } from '../ipc.ts';

const REPLAY = 50;
let redisUrl = '';
let commands: Redis | null = null;

type Entry = [id: string, fields: string[]];

function bodyOf(fields: string[]): string {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === 'b') return fields[i + 1] as string;
  return '{}';
}

function refuse(socket: Socket, code: string, message: string): void {
  socket.end(`{"content":"error","code":"${code}","message":"${message}"}\n`);
}

async function serveClient(socket: Socket, token: string): Promise<void> {
  if (!commands) throw new Error('naive edge not started');
  const sid = await commands.get(keys.token(hashToken(token)));
  if (!sid) return refuse(socket, 'unauthorized', 'unknown or revoked token');
  // The defining trait: one Redis connection per client, blocked in XREAD.
  const own = new IORedis(redisUrl, {
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: true,
  });
  let open = true;
  own.on('error', () => socket.destroy());
  socket.once('close', () => {
    open = false;
    own.disconnect();
  });
  const prefix = `{"number":${JSON.stringify(token)},`;
  const stream = keys.events(sid);
  try {
    const latest = (await own.xrevrange(stream, '+', '-', 'COUNT', REPLAY)) as Entry[];
    let last = '0-0';
    if (latest.length > 0) {
      last = (latest[0] as Entry)[0];
      socket.write(
        latest
          .reverse()
          .map(([, f]) => `${prefix}${bodyOf(f).slice(1)}\n`)
          .join(''),
      );
    }
    while (open) {
      const res = (await own.xread('COUNT', 100, 'BLOCK', 0, 'STREAMS', stream, last)) as
        | [string, Entry[]][]
        | null;
      if (!res) continue;
      for (const [, entries] of res) {
        for (const [id, fields] of entries) {
          socket.write(`${prefix}${bodyOf(fields).slice(1)}\n`);
          last = id;
        }
      }
    }
  } catch (err) {
    if (open)
      refuse(socket, 'overloaded', err instanceof Error ? err.message.replace(/"/g, "'") : 'redis error');
  }
}

function admit(socket: Socket): void {
  let head = '';
  socket.setEncoding('latin1');
  socket.on('error', () => socket.destroy());
  const onData = (chunk: string) => {
    head += chunk;
    const nl = head.indexOf('\n');
    if (nl < 0) return;
    socket.off('data', onData);
    socket.resume();
    serveClient(socket, head.slice(0, nl).trim()).catch(() => socket.destroy());
  };
  socket.on('data', onData);
}

const server = createServer(admit);

serve({
  listen(a: { redisUrl: string }): Promise<{ port: number }> {
    redisUrl = a.redisUrl;
    commands = connectRedis(a.redisUrl, { name: 'naive-edge' });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const addr = server.address();
        resolve({ port: typeof addr === 'object' && addr ? addr.port : 0 });
      });
    });
  },
  close(): void {
    server.close();
    commands?.disconnect();
  },
});
