// Coalesces writes: every line queued for a socket during one turn of the event loop goes out
// in a single write at the next setImmediate. A flood of events thus costs one syscall per
// socket per turn instead of one per event.

/** Something with queued output to write. */
export interface Flushable {
  flush(): number;
}

/** Schedules one flush pass for all sockets that got lines this turn. */
export class WriteBatcher {
  private readonly dirty = new Set<Flushable>();
  private scheduled = false;
  private readonly onFlushed: (lines: number) => void;

  constructor(onFlushed: (lines: number) => void) {
    this.onFlushed = onFlushed;
  }

  /** Marks a socket as having output; it is flushed once at the end of this turn. */
  mark(target: Flushable): void {
    this.dirty.add(target);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.run);
    }
  }

  private readonly run = (): void => {
    this.scheduled = false;
    let lines = 0;
    // Each target leaves the set before it flushes, so one marked again meanwhile stays marked.
    for (const target of this.dirty) {
      this.dirty.delete(target);
      lines += target.flush();
    }
    if (lines > 0) this.onFlushed(lines);
  };
}
