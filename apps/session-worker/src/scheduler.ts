import { createHash } from 'node:crypto';
import type { SessionState } from '@wasock/contracts';

/** States a worker keeps a connection for; the others wait for an operator (new QR, restart). */
const RUNNABLE: ReadonlySet<SessionState> = new Set(['new', 'awaiting_scan', 'connected', 'failed']);

/** What the scheduler knows of one session. */
export interface SessionView {
  sid: string;
  state: SessionState;
  revoked: boolean;
  /** Current lease holder, or null. */
  owner: string | null;
}

export interface Plan {
  /** Unowned sessions to try to lease now. */
  claim: string[];
  /** Sessions to give up (not runnable any more, or more than our fair share). */
  release: string[];
}

/** True for sessions a worker should keep connected. */
export function isRunnable(s: Pick<SessionView, 'state' | 'revoked'>): boolean {
  return !s.revoked && RUNNABLE.has(s.state);
}

// Each worker walks unowned sessions in its own pseudo-random order (rendezvous hashing), so
// workers starting together do not all race for the same sessions.
function rank(worker: string, sid: string): string {
  return createHash('sha1').update(`${worker}\0${sid}`).digest('hex');
}

/**
 * Decides which sessions this worker claims and releases so that runnable sessions spread
 * evenly: each worker aims for ceil(runnable / live workers), claims unowned ones up to that,
 * and sheds one session per round while above it (so a new worker gets its share gradually).
 */
export function plan(me: string, liveWorkers: string[], sessions: SessionView[]): Plan {
  const workers = Math.max(1, new Set([...liveWorkers, me]).size);
  const runnable = sessions.filter(isRunnable);
  const share = Math.ceil(runnable.length / workers);
  const mine = sessions.filter((s) => s.owner === me);
  const release = mine.filter((s) => !isRunnable(s)).map((s) => s.sid);
  const keep = mine.filter(isRunnable);
  if (keep.length > share) {
    const shed = keep.map((s) => s.sid).sort((a, b) => rank(me, a).localeCompare(rank(me, b)))[0];
    if (shed) release.push(shed);
  }
  const room = Math.max(0, share - keep.length);
  const claim = runnable
    .filter((s) => s.owner === null)
    .map((s) => s.sid)
    .sort((a, b) => rank(me, a).localeCompare(rank(me, b)))
    .slice(0, room);
  return { claim, release };
}
