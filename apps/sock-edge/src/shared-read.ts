// In a reconnect storm the clients of one session finish their handshakes close together, and
// each would read the same stored events. A SharedRead sends one read for every caller that
// joined before it was sent: the read goes out at the next check phase of the event loop, so
// the callers of one turn (and those that were waiting on the same subscription) share it.
// Whoever joins after the read was sent waits for the next one: the caller's guarantee that
// the read happens after it joined is never weakened.

/** One read shared by every caller that joined before it was sent. */
export class SharedRead<T> {
  private next: Promise<T> | null = null;
  private readonly read: () => Promise<T>;

  constructor(read: () => Promise<T>) {
    this.read = read;
  }

  /** The result of a read sent after this call, shared with the other callers of this turn. */
  join(): Promise<T> {
    if (this.next) return this.next;
    const next = new Promise<T>((resolve, reject) => {
      setImmediate(() => {
        // From here on a new caller needs a new read: this one may already see a stale state.
        this.next = null;
        try {
          this.read().then(resolve, reject);
        } catch (err) {
          reject(err);
        }
      });
    });
    this.next = next;
    return next;
  }
}
