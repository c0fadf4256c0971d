import { StoreError } from './errors.ts';

/** One published entry as it travels on a session's live channel. */
export interface LiveEntry {
  /** Redis stream entry id. */
  id: string;
  /** Sequence number of the event in its stream epoch. */
  n: number;
  epoch: string;
  /** The event body: pure ASCII JSON, without `number`. */
  body: string;
}

// Format: "<id> <n> <epoch> <body>". The Lua publish script builds the same string; the body is
// JSON (starts with "{") so the first three spaces are unambiguous.

/** Builds a live channel payload. */
export function encodeLiveEntry(e: LiveEntry): string {
  return `${e.id} ${e.n} ${e.epoch} ${e.body}`;
}

/** Parses a live channel payload; throws `StoreError` on anything malformed. */
export function decodeLiveEntry(payload: string): LiveEntry {
  const a = payload.indexOf(' ');
  const b = a < 0 ? -1 : payload.indexOf(' ', a + 1);
  const c = b < 0 ? -1 : payload.indexOf(' ', b + 1);
  if (c < 0) throw new StoreError('bad_live_entry', 'live entry has fewer than four fields');
  const n = Number(payload.slice(a + 1, b));
  if (!Number.isSafeInteger(n))
    throw new StoreError('bad_live_entry', 'live entry sequence is not an integer');
  return { id: payload.slice(0, a), n, epoch: payload.slice(b + 1, c), body: payload.slice(c + 1) };
}
