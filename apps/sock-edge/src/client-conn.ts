import type { Socket } from 'node:net';
import type { ErrorCode } from '@wasock/contracts';
import { compareStreamIds, type LiveEntry } from '@wasock/store';
import { errorLine, eventLine } from './wire-lines.ts';
import type { WriteBatcher } from './write-batcher.ts';

export interface ClientConnOptions {
  socket: Socket;
  sid: string;
  tokenHash: string;
  /** `{"number":"<token>",` */
  prefix: string;
  /** Hello clients that asked for `eventId` on each event. */
  withIds: boolean;
  maxBufferedBytes: number;
  batcher: WriteBatcher;
  onSlow: (conn: ClientConn) => void;
}

/**
 * One authenticated client socket: buffers live entries while its replay is being read,
 * queues lines for the batcher, and cuts itself off when it stops reading.
 */
export class ClientConn {
  readonly socket: Socket;
  readonly sid: string;
  readonly tokenHash: string;
  readonly prefix: string;
  readonly withIds: boolean;
  /** Stream id of the newest entry this client has been given (replay or live). */
  lastId: string | null = null;
  private replaying = true;
  private held: LiveEntry[] = [];
  private queue: string[] = [];
  private closed = false;
  private readonly opts: ClientConnOptions;

  constructor(opts: ClientConnOptions) {
    this.opts = opts;
    this.socket = opts.socket;
    this.sid = opts.sid;
    this.tokenHash = opts.tokenHash;
    this.prefix = opts.prefix;
    this.withIds = opts.withIds;
  }

  get isClosed(): boolean {
    return this.closed || this.socket.destroyed;
  }

  /** Offers a live entry: held during replay, skipped when already given, else queued. */
  offer(entry: LiveEntry, line: string): void {
    if (this.replaying) {
      this.held.push(entry);
      return;
    }
    if (this.lastId !== null && compareStreamIds(entry.id, this.lastId) <= 0) return;
    this.lastId = entry.id;
    this.push(line);
  }

  /** Queues the replay, then releases held live entries newer than the replay's last one. */
  finishReplay(preamble: string | null, entries: LiveEntry[], lastStoredId: string | null): number {
    if (preamble) this.push(preamble);
    for (const e of entries) this.push(eventLine(this.prefix, e, this.withIds));
    if (lastStoredId !== null) this.lastId = lastStoredId;
    this.replaying = false;
    const held = this.held;
    this.held = [];
    for (const e of held) this.offer(e, eventLine(this.prefix, e, this.withIds));
    return entries.length;
  }

  /** Queues a raw line for the next batched write. */
  push(line: string): void {
    if (this.isClosed) return;
    this.queue.push(line);
    this.opts.batcher.mark(this);
  }

  /** Writes everything queued in one write; returns the number of lines written. */
  flush(): number {
    const n = this.queue.length;
    if (n === 0 || this.isClosed) {
      this.queue = [];
      return 0;
    }
    const data = n === 1 ? (this.queue[0] as string) : this.queue.join('');
    this.queue = [];
    if (this.socket.writableLength + data.length > this.opts.maxBufferedBytes) {
      // The client stopped reading; writing more would only grow our memory.
      this.closed = true;
      this.socket.destroy();
      this.opts.onSlow(this);
      return 0;
    }
    this.socket.write(data);
    return n;
  }

  /** Writes an error line after what is queued, then closes. */
  fail(code: ErrorCode, message: string): void {
    if (this.isClosed) return;
    this.flush();
    this.closed = true;
    this.socket.end(errorLine(code, message));
    // A client that never reads must not keep the socket half-closed forever.
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  /** Flushes what is queued and ends the connection gracefully (drain on shutdown). */
  end(): void {
    if (this.isClosed) return;
    this.flush();
    this.closed = true;
    this.socket.end();
  }
}
