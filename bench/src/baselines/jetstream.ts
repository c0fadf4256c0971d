import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { freePort, trackChild, waitFor } from '@wasock/testkit';
import { BenchError } from '../errors.ts';

// NATS JetStream baseline: what an engineer would pick instead of writing a gateway. One stream
// keeps the last 50 messages of each subject (one subject per token); each client is an ordered
// consumer of its subject, which delivers the retained 50 and then live messages. The harness
// owns its nats-server (a fresh one per system run, so consumers and memory start clean).

export const NATS_BIN = '/usr/sbin/nats-server';
export const STREAM = 'WASOCK';

/** Subject of a token's events. */
export function subjectOf(token: string): string {
  return `ev.${token}`;
}

/** A `nats-server -js` child on a free loopback port with a throwaway store directory. */
export class NatsServer {
  readonly port: number;
  private readonly child: ChildProcess;
  private readonly dir: string;

  private constructor(port: number, child: ChildProcess, dir: string) {
    this.port = port;
    this.child = child;
    this.dir = dir;
  }

  /** Starts the server and creates the stream (memory storage, like the bench's Redis). */
  static async start(): Promise<NatsServer> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'wasock-bench-nats-'));
    const child = spawn(NATS_BIN, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], {
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    trackChild(child);
    const server = new NatsServer(port, child, dir);
    try {
      await waitFor(
        async () => {
          try {
            const nc = await connect({ servers: `127.0.0.1:${port}`, reconnect: false, timeout: 500 });
            const jsm = await jetstreamManager(nc);
            await jsm.streams.add({
              name: STREAM,
              subjects: ['ev.>'],
              max_msgs_per_subject: 50,
              storage: StorageType.Memory,
              retention: RetentionPolicy.Limits,
            });
            await nc.close();
            return true;
          } catch (err) {
            if (child.exitCode !== null) throw new BenchError('setup_failed', `nats-server exited: ${err}`);
            return false;
          }
        },
        { timeoutMs: 15_000, what: `nats-server on ${port}` },
      );
    } catch (err) {
      await server.stop();
      throw err;
    }
    return server;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Stops the server and removes its store. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
