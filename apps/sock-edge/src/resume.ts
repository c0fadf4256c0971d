import type { ResumeStatus } from '@wasock/contracts';
import type { LiveEntry } from '@wasock/store';

/** What to replay to a connecting client, and what to tell a resuming one. */
export interface ResumePlan {
  /** Set only for clients that asked to resume (`since`). */
  status?: ResumeStatus;
  entries: LiveEntry[];
}

/**
 * Decides the replay. Seed clients get everything stored. A client resuming after event
 * `since` gets only what follows it when nothing in between was trimmed (`ok`), everything
 * stored when events were trimmed away (`trimmed`), and everything when the stream it knew
 * was recreated (`reset`).
 */
export function planResume(
  since: { epoch: string; n: number } | undefined,
  snapshot: { epoch: string | null; entries: LiveEntry[] },
): ResumePlan {
  const { entries } = snapshot;
  if (!since) return { entries };
  if (snapshot.epoch !== since.epoch) return { status: 'reset', entries };
  const first = entries[0];
  const last = entries[entries.length - 1];
  if (!first || !last || last.n <= since.n) return { status: 'ok', entries: [] };
  if (first.n <= since.n + 1) return { status: 'ok', entries: entries.filter((e) => e.n > since.n) };
  return { status: 'trimmed', entries };
}
