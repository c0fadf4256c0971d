import { readFileSync } from 'node:fs';

// Figures of a server process read from /proc, so nothing has to be added to the server itself.

/** Resident set size of `pid` in bytes (VmRSS), or NaN when the process is gone. */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Number.NaN;
    throw err;
  }
}

/** CPU seconds (user + system) `pid` has used so far, or NaN when the process is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Number.NaN;
    throw err;
  }
}

/** The soft open-files limit of `pid`. */
export function openFilesLimit(pid: number | 'self' = 'self'): number {
  const m = /Max open files\s+(\d+|unlimited)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return m && m[1] !== 'unlimited' ? Number(m[1]) : Number.POSITIVE_INFINITY;
}
