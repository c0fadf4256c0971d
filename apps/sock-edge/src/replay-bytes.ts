import type { LiveEntry, StreamSnapshot } from '@wasock/store';
import { eventLine } from './wire-lines.ts';

// A replay is written as bytes built once and shared: every client of a token reads the same
// lines (its token is in each of them), so a session read by ten clients of one token encodes
// its replay once instead of ten times. Every line is ASCII (prefixes and stored bodies are
// ASCII JSON), so latin1 turns the string into its bytes with one plain copy.

/** The event lines of `entries` for the token of `prefix`, as the bytes a client reads. */
export function replayBytes(prefix: string, entries: readonly LiveEntry[], withIds: boolean): Buffer {
  let text = '';
  for (const e of entries) text += eventLine(prefix, e, withIds);
  return Buffer.from(text, 'latin1');
}

/** One read of a session's stored events, with each token's replay bytes built on first use. */
export class SharedReplay {
  readonly snapshot: StreamSnapshot;
  private readonly built = new Map<string, Buffer>();

  constructor(snapshot: StreamSnapshot) {
    this.snapshot = snapshot;
  }

  /** Every stored entry as lines of the token of `prefix`: the same Buffer for all its clients. */
  linesFor(prefix: string, withIds: boolean): Buffer {
    const key = withIds ? `i${prefix}` : `p${prefix}`;
    let bytes = this.built.get(key);
    if (!bytes) {
      bytes = replayBytes(prefix, this.snapshot.entries, withIds);
      this.built.set(key, bytes);
    }
    return bytes;
  }
}
