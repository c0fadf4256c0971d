import { isolatedRedis } from '@wasock/testkit';
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

/** What a system test starts besides its own Redis and the simulator. */
export interface StackOptions {
  /** Extra environment of the session worker (log level, timings). */
  workerEnv?: Record<string, string>;
  /** Starts an edge too, with this extra environment (`{}` for its defaults). */
  edgeEnv?: Record<string, string>;
}

/**
 * What most system tests run: a Redis of the test file's own (its worker claims every runnable
 * session there), the WhatsApp simulator, one session worker (legacy connector) and an edge.
 */
export class Stack {
  readonly redisUrl: string;
  readonly gw: Gateway;
  readonly sim: SimProcess;
  readonly worker: WorkerProcess;
  readonly #edge: EdgeProcess | undefined;

  private constructor(redisUrl: string, sim: SimProcess, worker: WorkerProcess, edge?: EdgeProcess) {
    this.redisUrl = redisUrl;
    this.gw = new Gateway(redisUrl);
    this.sim = sim;
    this.worker = worker;
    this.#edge = edge;
  }

  /** Starts Redis, the simulator, a worker and (with `edgeEnv`) an edge. */
  static async start(opts: StackOptions = {}): Promise<Stack> {
    const redisUrl = (await isolatedRedis()).url;
    const sim = await startSim();
    const [worker, edge] = await Promise.all([
      startWorker(redisUrl, sim.wsUrl, testCredsKey(), opts.workerEnv),
      opts.edgeEnv ? startEdge(redisUrl, opts.edgeEnv) : undefined,
    ]);
    return new Stack(redisUrl, sim, worker, edge);
  }

  /** The edge; only for stacks started with `edgeEnv`. */
  get edge(): EdgeProcess {
    if (!this.#edge) throw new Error('this stack was started without an edge');
    return this.#edge;
  }

  /** Creates a token and links its session with the simulated phone (`wid`). */
  async linkedSession(label: string, wid?: string): Promise<{ sid: string; token: string; simId: string }> {
    const { sid, token } = await this.gw.createToken(label);
    const simId = await linkSession(this.redisUrl, this.sim.control, sid, wid);
    return { sid, token, simId };
  }

  /** Stops the processes and closes the Redis connections. */
  async stop(): Promise<void> {
    await Promise.all([this.worker.stop(), this.#edge?.stop()]);
    await this.sim.stop();
    this.gw.close();
  }
}
