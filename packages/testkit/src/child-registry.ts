import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Test processes start servers (redis-server, the apps). A test runner may end a test process
// with a signal, and then no 'exit' handler runs; so each child's pid is also written to the
// run's pid directory (WASOCK_TEST_PID_DIR, set by the reaper global setup), and the reaper
// kills whatever is left when the run ends.

const live = new Set<ChildProcess>();
const PID_DIR_ENV = 'WASOCK_TEST_PID_DIR';

function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
}

let hooked = false;
function hook(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', killAll);
  // Only inside a test runner: a script such as `npm start` handles its own signals.
  if (!process.env.VITEST) return;
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(sig, () => {
      killAll();
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGHUP' ? 1 : 15));
    });
  }
}

/** Registers a child so it dies with the test process, whichever way that process ends. */
export function trackChild(child: ChildProcess): void {
  hook();
  live.add(child);
  const dir = process.env[PID_DIR_ENV];
  const pid = child.pid;
  if (dir && pid) writeFileSync(join(dir, String(pid)), '');
  child.once('exit', () => {
    live.delete(child);
    if (dir && pid) rmSync(join(dir, String(pid)), { force: true });
  });
}

/** Vitest global setup: a pid directory for the run, and a teardown that kills what is left. */
export default function reaper(): () => void {
  const dir = join(process.cwd(), '.tmp', `test-pids-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  process.env[PID_DIR_ENV] = dir;
  return () => {
    for (const name of readdirSync(dir)) {
      try {
        process.kill(Number(name), 'SIGKILL');
      } catch (err) {
        // ESRCH: it already exited between its last test and now, which is the normal case.
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
