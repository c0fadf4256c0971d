// `npm start` after bootstrap: the whole system on embedded defaults. Starts a local Redis
// (unless REDIS_URL is set), sock-edge on EDGE_PORT (5026), creates a demo token and publishes
// a steady trickle of seed 000 traffic, then prints how to connect. Ctrl-C stops everything.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { connectRedis, StreamPublisher, TokenStore } from '../packages/store/src/index.ts';
import { RedisServer } from '../packages/testkit/src/index.ts';
import { demoEvents } from './demo-traffic.ts';

const root = join(import.meta.dirname, '..');
const logDir = join(root, '.tmp', 'logs');
mkdirSync(logDir, { recursive: true });
const edgePort = process.env.EDGE_PORT ?? '5026';
const children: ChildProcess[] = [];
let redisServer: RedisServer | undefined;

function startApp(name: string, file: string, env: Record<string, string>): Promise<void> {
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [join(root, file)], { env: { ...process.env, ...env } });
  children.push(child);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (d: Buffer) => {
      seen += d.toString();
      if (seen.includes('listening')) resolve();
    });
    child.once('exit', (code) => {
      reject(new Error(`${name} exited with code ${code}; see ${join(logDir, `${name}.log`)}`));
      if (!stopping) void stop(1);
    });
  });
}

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  clearInterval(traffic);
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
  );
  await redisServer?.dispose();
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

let traffic: NodeJS.Timeout | undefined;
try {
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    redisServer = await RedisServer.start();
    redisUrl = redisServer.url;
  }
  await startApp('sock-edge', 'apps/sock-edge/src/main.ts', {
    REDIS_URL: redisUrl,
    EDGE_PORT: edgePort,
    HTTP_PORT: process.env.EDGE_HTTP_PORT ?? '9465',
  });
  const redis = connectRedis(redisUrl, { name: 'wasock-demo' });
  const { token, sid } = await new TokenStore(redis).create({ label: 'demo' });
  const publisher = new StreamPublisher(redis);
  const events = demoEvents();
  for (let i = 0; i < 5; i++) await publisher.publish(sid, events.next().value);
  traffic = setInterval(() => {
    publisher
      .publish(sid, events.next().value)
      .catch((err: unknown) => console.error('demo publish failed:', err));
  }, 2000);

  console.log(`redis: ${redisUrl}`);
  console.log(`metrics: http://127.0.0.1:${process.env.EDGE_HTTP_PORT ?? '9465'}/metrics`);
  console.log(`logs: ${logDir}`);
  console.log(`demo token: ${token}`);
  console.log(`clients: 127.0.0.1:${edgePort}`);
  console.log(
    `try: node -e "const s=require('net').connect(${edgePort},'127.0.0.1',()=>s.write('${token}'));s.pipe(process.stdout)"`,
  );
  console.log('Ctrl-C stops everything.');
} catch (err) {
  console.error(`start failed: ${(err as Error).message}`);
  await stop(1);
}
