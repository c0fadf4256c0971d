import { type ChildProcess, fork } from 'node:child_process';
import { trackChild } from '@wasock/testkit';
import { BenchError } from './errors.ts';

// Coordinator ⇄ child protocol over Node's IPC channel: requests carry an id and get exactly one
// response; notices are one-way (progress counters, flow-control credit).

interface RequestMsg {
  kind: 'req';
  id: number;
  cmd: string;
  args: unknown;
}
interface ResponseMsg {
  kind: 'res';
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}
interface NoticeMsg {
  kind: 'note';
  name: string;
  data: unknown;
}
type Msg = RequestMsg | ResponseMsg | NoticeMsg;

export type Handler = (args: never) => unknown;

/** Child side: answers requests with `handlers`, passes notices to `onNotice`. */
export function serve(
  handlers: Record<string, Handler>,
  onNotice?: (name: string, data: unknown) => void,
): void {
  if (!process.send) throw new BenchError('usage', 'this module runs as a forked child of the bench');
  // The coordinator going away (crash, Ctrl-C) must never leave a load generator running.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (raw: unknown) => {
    const msg = raw as Msg;
    if (msg.kind === 'note') {
      onNotice?.(msg.name, msg.data);
      return;
    }
    if (msg.kind !== 'req') return;
    const handler = handlers[msg.cmd];
    const reply = (res: Omit<ResponseMsg, 'kind' | 'id'>) =>
      process.send?.({ kind: 'res', id: msg.id, ...res });
    if (!handler) {
      reply({ ok: false, error: `unknown command ${msg.cmd}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(msg.args as never))
      .then(
        (result) => reply({ ok: true, result }),
        (err: unknown) =>
          reply({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      );
  });
}

/** Child side: sends a one-way notice to the coordinator. */
export function notify(name: string, data: unknown): void {
  process.send?.({ kind: 'note', name, data } satisfies NoticeMsg);
}

export interface ForkOptions {
  args?: string[];
  execArgv?: string[];
  env?: Record<string, string>;
}

/** Coordinator side: one forked child speaking the request/notice protocol. */
export class Child {
  readonly proc: ChildProcess;
  readonly label: string;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, (data: unknown) => void>();
  private stderr = '';

  constructor(file: string, label: string, opts: ForkOptions = {}) {
    this.label = label;
    // Explicit execArgv: the child must not inherit a test runner's or profiler's flags.
    this.proc = fork(file, opts.args ?? [], {
      execArgv: opts.execArgv ?? [],
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    trackChild(this.proc);
    this.proc.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    this.proc.on('message', (raw: unknown) => this.onMessage(raw as Msg));
    this.proc.once('exit', (code, signal) => {
      const err = new BenchError(
        'child_failed',
        `${label} exited (${code ?? signal}) with requests pending: ${this.stderr.trim().slice(-1500)}`,
      );
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  /** Sends a request and waits for its answer, at most `timeoutMs`. */
  call<T>(cmd: string, args: unknown = {}, timeoutMs = 120_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new BenchError('child_timeout', `${this.label}: ${cmd} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.proc.send({ kind: 'req', id, cmd, args } satisfies RequestMsg);
    });
  }

  /** Sends a one-way notice; dropped silently when the child is gone (it can no longer use it). */
  notify(name: string, data: unknown): void {
    if (this.proc.connected) this.proc.send({ kind: 'note', name, data } satisfies NoticeMsg);
  }

  /** Registers the handler of one notice name (one per name). */
  on(name: string, fn: (data: unknown) => void): void {
    this.listeners.set(name, fn);
  }

  /** Ends the child: disconnect (it exits by itself), then SIGKILL if it lingers. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    if (this.proc.connected) this.proc.disconnect();
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  private onMessage(msg: Msg): void {
    if (msg.kind === 'res') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new BenchError('child_failed', `${this.label}: ${msg.error}`));
    } else if (msg.kind === 'note') {
      this.listeners.get(msg.name)?.(msg.data);
    }
  }
}
