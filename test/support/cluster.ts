import { readFileSync } from 'node:fs';
import { RedisServer, sleep } from '@wasock/testkit';
import { type EdgeProcess, startEdge } from './edge-process.ts';
import { Gateway } from './fixtures.ts';
import {
  linkSession,
  type SimProcess,
  startSim,
  startWorker,
  testCredsKey,
  type WorkerProcess,
} from './system.ts';

const CONTACT = '593123456789@c.us';

/** One linked session of the cluster, with its token and the simulator's id for it. */
export interface LinkedSession {
  sid: string;
  token: string;
  simId: string;
  /** Message ids the simulator sent to it, in order. */
  sent: string[];
  /** When each id was sent (ms, shared clock), for latency. */
  sentAt: Map<string, number>;
}

/**
 * The whole system on loopback for fault and soak tests: a persistent Redis, the simulator,
 * session workers and edges, each replaceable (killed and started again) while traffic flows.
 */
export class Cluster {
  readonly redis: RedisServer;
  readonly sim: SimProcess;
  readonly gw: Gateway;
  readonly credsKey = testCredsKey();
  workers: WorkerProcess[] = [];
  edges: EdgeProcess[] = [];
  readonly sessions: LinkedSession[] = [];
  private readonly workerEnv: Record<string, string>;

  private constructor(redis: RedisServer, sim: SimProcess, workerEnv: Record<string, string>) {
    this.redis = redis;
    this.sim = sim;
    this.gw = new Gateway(redis.url);
    this.workerEnv = workerEnv;
  }

  /** Starts Redis, the simulator, `workers` workers and `edges` edges. */
  static async start(opts: {
    workers: number;
    edges: number;
    workerEnv?: Record<string, string>;
  }): Promise<Cluster> {
    const redis = await RedisServer.start({ persistent: true });
    const sim = await startSim();
    const c = new Cluster(redis, sim, { LEASE_TTL_MS: '3000', ...opts.workerEnv });
    for (let i = 0; i < opts.workers; i++) await c.addWorker();
    for (let i = 0; i < opts.edges; i++) await c.addEdge();
    return c;
  }

  /** Edge ports now serving, for clients that reconnect round robin. */
  edgePorts(): number[] {
    return this.edges.filter((e) => !e.proc.exited).map((e) => e.port);
  }

  async addWorker(): Promise<WorkerProcess> {
    const w = await startWorker(this.redis.url, this.sim.wsUrl, this.credsKey, this.workerEnv);
    this.workers.push(w);
    return w;
  }

  async addEdge(): Promise<EdgeProcess> {
    const e = await startEdge(this.redis.url);
    this.edges.push(e);
    return e;
  }

  /** Creates and links `n` sessions (QR scanned by the simulated phone). */
  async link(n: number): Promise<LinkedSession[]> {
    const made = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const { sid, token } = await this.gw.createToken(`cluster-${i}`);
        const simId = await linkSession(this.redis.url, this.sim.control, sid);
        return { sid, token, simId, sent: [], sentAt: new Map() } satisfies LinkedSession;
      }),
    );
    this.sessions.push(...made);
    return made;
  }

  /** The simulated contact sends one text message to a session; recorded in its ledger. */
  async send(s: LinkedSession, text: string): Promise<void> {
    const at = performance.timeOrigin + performance.now();
    const m = await this.sim.control.sendMessage({ session: s.simId, kind: 'text', from: CONTACT, text });
    s.sent.push(`false_${CONTACT}_${m.id}`);
    s.sentAt.set(`false_${CONTACT}_${m.id}`, at);
  }

  /** SIGKILLs a worker and starts a replacement. */
  async replaceWorker(index: number): Promise<void> {
    const old = this.workers[index];
    if (!old) throw new Error(`no worker ${index}`);
    await old.stop('SIGKILL');
    this.workers[index] = await startWorker(this.redis.url, this.sim.wsUrl, this.credsKey, this.workerEnv);
  }

  /** SIGKILLs an edge (its clients reconnect elsewhere) and starts a replacement. */
  async replaceEdge(index: number): Promise<void> {
    const old = this.edges[index];
    if (!old) throw new Error(`no edge ${index}`);
    await old.stop('SIGKILL');
    this.edges[index] = await startEdge(this.redis.url);
  }

  /** Kills Redis abruptly and starts it again after `downMs` (data kept: append-only file). */
  async bounceRedis(downMs: number): Promise<void> {
    await this.redis.kill();
    await sleep(downMs);
    await this.redis.restart();
  }

  /** Pauses every Redis client for `ms` (`CLIENT PAUSE ALL`), as a stalled server would. */
  async pauseRedis(ms: number): Promise<void> {
    await this.gw.redis.call('CLIENT', 'PAUSE', String(ms), 'ALL');
  }

  /** Resident memory (kB) of every process of the cluster, by name. */
  memory(): Record<string, number> {
    const out: Record<string, number> = {};
    const rss = (pid: number | undefined) => {
      if (!pid) return 0;
      try {
        const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return Number(m?.[1] ?? 0);
      } catch (err) {
        // The process is being replaced right now.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
        throw err;
      }
    };
    this.workers.forEach((w, i) => {
      out[`worker-${i}`] = rss(w.proc.child.pid);
    });
    this.edges.forEach((e, i) => {
      out[`edge-${i}`] = rss(e.proc.child.pid);
    });
    out.sim = rss(this.sim.proc.child.pid);
    return out;
  }

  async stop(): Promise<void> {
    await Promise.all([
      ...this.workers.map((w) => w.stop('SIGTERM')),
      ...this.edges.map((e) => e.stop('SIGTERM')),
    ]);
    await this.sim.stop();
    this.gw.close();
    await this.redis.dispose();
  }
}
