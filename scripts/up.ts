// `npm start` after bootstrap: the whole system on embedded defaults. A local Redis (unless
// REDIS_URL is set), the WhatsApp simulator, two session workers, sock-edge on EDGE_PORT (5026),
// the admin app and its console on ADMIN_PORT (8080; ADMIN_TOKEN, or a generated one);
// then a demo token whose QR the simulated phone scans, and a steady trickle of WhatsApp traffic
// (text, voice notes, images, receipts). Ctrl-C or SIGTERM stops everything it started.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { connectRedis, type Redis, SessionStore, TokenStore } from '../packages/store/src/index.ts';
import { RedisServer, waitFor } from '../packages/testkit/src/index.ts';
import { WaSimControl } from '../packages/wa-sim/src/index.ts';
import { DemoTraffic } from './demo-traffic.ts';

const root = join(import.meta.dirname, '..');
const logDir = join(root, '.tmp', 'logs');
mkdirSync(logDir, { recursive: true });
const edgePort = process.env.EDGE_PORT ?? '5026';
const children: ChildProcess[] = [];
let redisServer: RedisServer | undefined;
let redis: Redis | undefined;
let traffic: DemoTraffic | undefined;
let stopping = false;

/** Starts an app, logs to .tmp/logs/<name>.log, resolves with the first match of `ready` in its stdout. */
function startApp(
  name: string,
  file: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<RegExpMatchArray> {
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [join(root, file), ...args], { env: { ...process.env, ...env } });
  children.push(child);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (d: Buffer) => {
      seen += d.toString();
      const m = seen.match(ready);
      if (m) {
        child.stdout.off('data', onData);
        resolve(m);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      reject(new Error(`${name} exited with code ${code}; see ${join(logDir, `${name}.log`)}`));
      if (!stopping) {
        console.error(`${name} stopped unexpectedly (exit ${code}); see ${join(logDir, `${name}.log`)}`);
        void stop(1);
      }
    });
  });
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  traffic?.stop();
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
  );
  redis?.disconnect();
  await redisServer?.dispose();
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    redisServer = await RedisServer.start({ persistent: true });
    redisUrl = redisServer.url;
  }
  const credsKey = process.env.CREDS_KEY ?? randomBytes(32).toString('base64');
  const sim = await startApp(
    'wa-sim',
    'packages/wa-sim/src/main.ts',
    ['--port', '0', '--control-port', '0'],
    {},
    /wa-sim websocket (ws:\/\/\S+)[\s\S]*wa-sim control\s+(http:\/\/\S+)/,
  );
  const [waUrl, controlUrl] = [sim[1] as string, sim[2] as string];
  const workerEnv = (id: string) => ({
    REDIS_URL: redisUrl,
    WA_URL: waUrl,
    WA_CONNECTOR: 'legacy', // the simulator speaks the retired web protocol
    CREDS_KEY: credsKey,
    WORKER_ID: id,
    HTTP_PORT: '0',
    MEDIA_DIR: join(root, '.tmp', 'media'),
    LEASE_TTL_MS: '10000',
    SCHEDULE_INTERVAL_MS: '500',
  });
  const adminToken = process.env.ADMIN_TOKEN || randomBytes(24).toString('base64url');
  const [, , , adminUp] = await Promise.all([
    startApp(
      'session-worker-1',
      'apps/session-worker/src/main.ts',
      [],
      workerEnv('demo-worker-1'),
      /listening/,
    ),
    startApp(
      'session-worker-2',
      'apps/session-worker/src/main.ts',
      [],
      workerEnv('demo-worker-2'),
      /listening/,
    ),
    startApp(
      'sock-edge',
      'apps/sock-edge/src/main.ts',
      [],
      { REDIS_URL: redisUrl, EDGE_PORT: edgePort, HTTP_PORT: process.env.EDGE_HTTP_PORT ?? '9465' },
      /listening/,
    ),
    startApp(
      'admin',
      'apps/admin/src/main.ts',
      [],
      {
        REDIS_URL: redisUrl,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: process.env.ADMIN_PORT ?? '8080',
        ADMIN_TOKEN: adminToken,
        EDGE_PUBLIC_ADDRESS: `127.0.0.1:${edgePort}`,
      },
      /admin listening on \S+:(\d+)/,
    ),
  ]);

  redis = connectRedis(redisUrl, { name: 'wasock-demo' });
  const { token, sid } = await new TokenStore(redis).create({ label: 'demo' });
  const sessions = new SessionStore(redis);
  const control = new WaSimControl(controlUrl);
  const qr = await waitFor(async () => (await sessions.get(sid))?.qr, {
    what: 'the demo QR',
    timeoutMs: 20_000,
  });
  const phone = await control.scan({ qr, wid: '593987654321@c.us', pushname: 'Demo' });
  await waitFor(async () => (await sessions.get(sid))?.state === 'connected', {
    what: 'the demo session to connect',
    timeoutMs: 20_000,
  });
  traffic = new DemoTraffic(control, phone.id);
  traffic.start();

  console.log(`redis: ${redisUrl}`);
  console.log(`wa-sim control: ${controlUrl}`);
  console.log(`edge metrics: http://127.0.0.1:${process.env.EDGE_HTTP_PORT ?? '9465'}/metrics`);
  console.log(`logs: ${logDir}`);
  console.log(`demo token: ${token}`);
  console.log(`clients: 127.0.0.1:${edgePort}`);
  console.log(`console: http://127.0.0.1:${adminUp[1]}/`);
  console.log(`admin token: ${adminToken}`);
  console.log('connect with the seed Python client (test/seed-clients/client.py, host/port/token set), or:');
  console.log(
    `  node -e "const s=require('net').connect(${edgePort},'127.0.0.1',()=>s.write('${token}'));s.pipe(process.stdout)"`,
  );
  console.log('Ctrl-C stops everything.');
} catch (err) {
  console.error(`start failed: ${(err as Error).message}`);
  await stop(1);
}
