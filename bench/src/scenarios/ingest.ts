import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keys, SessionStore } from '@wasock/store';
import { AppProcess, waitFor } from '@wasock/testkit';
import { now, sleep } from '../clock.ts';
import { BenchError } from '../errors.ts';
import { Fleet } from '../fleet.ts';
import { cpuSeconds } from '../proc-stats.ts';
import type { Sizes } from '../sizes.ts';
import { REPO_ROOT, type System, startSystem } from '../systems.ts';
import type { Ctx } from '../trial.ts';

// Scenario 6: the session worker's side. The WhatsApp simulator sends text messages to a linked
// session; the worker decrypts, decodes, normalizes, dedupes and appends them to Redis; the
// edge delivers them. Messages carry the shared-clock send time in their text, so the same load
// client measures simulator → client latency.

const CONTACT = '593123456789@c.us';
const WORKER_MAIN = join(REPO_ROOT, 'apps/session-worker/src/main.ts');

class SimControl {
  private readonly base: string;
  constructor(base: string) {
    this.base = base;
  }
  /** POSTs a control route of the simulator (JSON in, JSON out). */
  async post<T>(path: string, body: unknown): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new BenchError('child_failed', `wa-sim ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}

async function sendText(sim: SimControl, session: string, seq: number): Promise<void> {
  await sim.post('/messages', {
    session,
    kind: 'text',
    from: CONTACT,
    text: `bench ${now().toFixed(3)} ${seq}`,
  });
}

/** Scenario 6: events/s one session worker appends from simulator traffic, and end-to-end latency. */
export async function ingest(ctx: Ctx, sizes: Sizes): Promise<void> {
  const base = { scenario: 'ingest' as const, system: 'session-worker' as const, clients: 1 };
  if (!existsSync(WORKER_MAIN)) {
    ctx.results.push({
      ...base,
      case: 'all',
      figures: {},
      error: 'pending: apps/session-worker is not there yet',
    });
    return;
  }
  ctx.log('ingest: wa-sim → session-worker → Redis → sock-edge');
  const mediaDir = mkdtempSync(join(tmpdir(), 'wasock-bench-media-'));
  let sys: System | null = null;
  let sim: AppProcess | null = null;
  let worker: AppProcess | null = null;
  const fleet = Fleet.start(1);
  try {
    sys = await startSystem('wasock', ctx.env);
    sim = AppProcess.node(join(REPO_ROOT, 'packages/wa-sim/src/main.ts'), [
      '--port',
      '0',
      '--control-port',
      '0',
    ]);
    const ws = (await sim.waitForOutput(/wa-sim websocket (ws:\/\/\S+)/))[1] as string;
    const control = new SimControl((await sim.waitForOutput(/wa-sim control\s+(http:\/\/\S+)/))[1] as string);
    worker = AppProcess.node(WORKER_MAIN, [], {
      env: {
        REDIS_URL: ctx.env.redisUrl,
        WA_URL: ws,
        WA_CONNECTOR: 'legacy',
        CREDS_KEY: randomBytes(32).toString('base64'),
        HTTP_PORT: '0',
        HTTP_HOST: '127.0.0.1',
        SCHEDULE_INTERVAL_MS: '300',
        MEDIA_DIR: mediaDir,
        LOG_LEVEL: 'warn',
      },
    });
    const [ref] = await sys.makeTokens(1);
    if (!ref) throw new BenchError('setup_failed', 'no token');
    // Link the session as a person does: the worker shows a QR, the simulated phone scans it.
    const sessions = new SessionStore(ctx.env.redis);
    const qr = await waitFor(async () => (await sessions.get(ref.sid))?.qr, {
      timeoutMs: 30_000,
      what: 'the QR',
    });
    const { id: simSession } = await control.post<{ id: string }>('/scan', { qr });
    await waitFor(async () => (await sessions.get(ref.sid))?.state === 'connected', {
      timeoutMs: 30_000,
      what: 'session connected',
    });
    await fleet.open(sys.target, [{ token: ref.token }], {
      waitLines: 0,
      concurrency: 1,
      timeoutMs: 10_000,
      retries: 2,
    });
    await sleep(200);

    // End-to-end latency at a steady rate.
    const total = Math.max(1, Math.round((sizes.ingestRatePerSec * sizes.ingestMs) / 1000));
    const r = await fleet.phase(
      async () => {
        const start = now();
        const pending: Promise<void>[] = [];
        for (let i = 0; i < total; i++) {
          const at = start + (i * 1000) / sizes.ingestRatePerSec;
          if (at > now()) await sleep(at - now());
          pending.push(sendText(control, simSession, i));
        }
        await Promise.all(pending);
      },
      () => undefined,
      1_000,
    );
    ctx.results.push({
      ...base,
      case: `simulator → client at ${sizes.ingestRatePerSec} msg/s`,
      figures: { sent: total, received: r.lines },
      latency: r.latency,
    });

    // Ingest throughput: a burst of messages, timed until the worker appended all of them.
    const seq0 = Number((await ctx.env.redis.hget(keys.streamMeta(ref.sid), 'seq')) ?? 0);
    const burst = total * 2;
    const cpu0 = worker.child.pid ? cpuSeconds(worker.child.pid) : Number.NaN;
    const t0 = now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < burst) await sendText(control, simSession, total + next++);
      }),
    );
    const sentAt = now();
    await waitFor(
      async () => Number((await ctx.env.redis.hget(keys.streamMeta(ref.sid), 'seq')) ?? 0) >= seq0 + burst,
      { timeoutMs: 120_000, intervalMs: 5, what: `${burst} events appended` },
    );
    const seconds = (now() - t0) / 1000;
    ctx.results.push({
      ...base,
      case: `ingest burst of ${burst} messages`,
      figures: {
        eventsPerSec: Math.round(burst / seconds),
        seconds: Math.round(seconds * 1000) / 1000,
        simulatorSendSeconds: Math.round(sentAt - t0) / 1000,
        workerCpuS: worker.child.pid
          ? Math.round((cpuSeconds(worker.child.pid) - cpu0) * 100) / 100
          : Number.NaN,
      },
      notes: ['messages are pushed through the simulator control API (HTTP), 16 at a time'],
    });
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    ctx.log(`ingest failed: ${message}`);
    ctx.results.push({ ...base, case: 'all', figures: {}, error: message ?? 'failed' });
  } finally {
    await fleet.stop();
    await worker?.stop();
    await sim?.stop();
    await sys?.stop();
    rmSync(mediaDir, { recursive: true, force: true });
  }
}
