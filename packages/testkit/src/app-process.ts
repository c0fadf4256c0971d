import { type ChildProcess, spawn } from 'node:child_process';
import { trackChild } from './child-registry.ts';
import { waitFor } from './wait.ts';

export interface AppProcessOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** A child process whose output is captured, so a test can wait for a line and read logs. */
export class AppProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  private readonly exit: Promise<number | null>;

  constructor(command: string, args: string[], opts: AppProcessOptions = {}) {
    this.child = spawn(command, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    trackChild(this.child);
    this.child.stdout?.on('data', (d: Buffer) => {
      this.stdout += d.toString();
    });
    this.child.stderr?.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.exit = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        resolve(code);
      }),
    );
  }

  /** Runs a TypeScript entry point with the Node running the tests (type stripping). */
  static node(file: string, args: string[] = [], opts: AppProcessOptions = {}): AppProcess {
    return new AppProcess(process.execPath, [file, ...args], opts);
  }

  get output(): string {
    return this.stdout + this.stderr;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Waits until stdout+stderr match `pattern`; fails early if the process exits. */
  async waitForOutput(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    return waitFor(
      () => {
        const m = this.output.match(pattern);
        if (m) return m;
        if (this.exited) throw new Error(`process exited before ${pattern}: ${this.output.slice(-2000)}`);
        return null;
      },
      { timeoutMs, what: `${pattern} in output` },
    );
  }

  /** Sends a signal and waits for the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (!this.exited) this.child.kill(signal);
    return this.exit;
  }

  /** Resolves with the exit code when the process ends by itself. */
  waitForExit(): Promise<number | null> {
    return this.exit;
  }
}
