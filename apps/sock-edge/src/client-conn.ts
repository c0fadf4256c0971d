import type { Socket } from 'node:net';
import type { ErrorCode } from '@wasock/contracts';
import { compareStreamIds, type LiveEntry } from '@wasock/store';
import { errorLine, eventLine } from './wire-lines.ts';
import type { WriteBatcher } from './write-batcher.ts';

/** What every client of an edge writes through: one object shared by all of them. */
export interface ClientOutput {
  maxBufferedBytes: number;
  batcher: WriteBatcher;
  /** Called once a client that stopped reading was cut off. */
  onSlow: (conn: ClientConn) => void;
}

export interface ClientConnOptions {
  socket: Socket;
  sid: string;
  tokenHash: string;
  /** `{"number":"<token>",` */
  prefix: string;
  /** Hello clients that asked for `eventId` on each event. */
  withIds: boolean;
  /** The client's address (from the PROXY header when enabled), for logs. */
  remote: string;
  output: ClientOutput;
}

// Every byte the edge writes is ASCII (prefixes, stored bodies and its own lines are ASCII
// JSON), so strings go out as latin1: copied as they are instead of UTF-8 encoded, and a
// string's length is its byte count.

/**
 * One authenticated client socket: buffers live entries while its replay is being read,
 * queues lines for the batcher, and cuts itself off when it stops reading. Idle clients are
 * the edge's memory, so nothing is allocated until it is needed.
 */
export class ClientConn {
  readonly socket: Socket;
  readonly sid: string;
  readonly tokenHash: string;
  readonly prefix: string;
  readonly withIds: boolean;
  readonly remote: string;
  /** Stream id of the newest entry this client has been given (replay or live). */
  lastId: string | null = null;
  private replaying = true;
  private closed = false;
  /** Live entries that arrived while the replay was read; null until the first. */
  private held: LiveEntry[] | null = null;
  /** What the next batched write sends; null while nothing is queued. */
  private queue: (string | Buffer)[] | null = null;
  private queuedLines = 0;
  private readonly output: ClientOutput;

  constructor(opts: ClientConnOptions) {
    this.socket = opts.socket;
    this.sid = opts.sid;
    this.tokenHash = opts.tokenHash;
    this.prefix = opts.prefix;
    this.withIds = opts.withIds;
    this.remote = opts.remote;
    this.output = opts.output;
  }

  get isClosed(): boolean {
    return this.closed || this.socket.destroyed;
  }

  /** Offers a live entry: held during replay, skipped when already given, else queued. */
  offer(entry: LiveEntry, line: string): void {
    if (this.replaying) {
      if (this.held === null) this.held = [entry];
      else this.held.push(entry);
      return;
    }
    if (this.lastId !== null && compareStreamIds(entry.id, this.lastId) <= 0) return;
    this.lastId = entry.id;
    this.push(line);
  }

  /**
   * Queues the replay (`lines` event lines as `replay`, possibly shared with other clients),
   * then releases held live entries newer than the replay's last one.
   */
  finishReplay(preamble: string | null, replay: Buffer, lines: number, lastStoredId: string | null): number {
    if (preamble) this.push(preamble);
    if (lines > 0) this.push(replay, lines);
    if (lastStoredId !== null) this.lastId = lastStoredId;
    this.replaying = false;
    const held = this.held;
    this.held = null;
    if (held) for (const e of held) this.offer(e, eventLine(this.prefix, e, this.withIds));
    return lines;
  }

  /** Queues a line (or `lines` lines as bytes) for the next batched write. */
  push(chunk: string | Buffer, lines = 1): void {
    if (this.isClosed) return;
    if (this.queue === null) {
      this.queue = [chunk];
      this.output.batcher.mark(this);
    } else {
      this.queue.push(chunk);
    }
    this.queuedLines += lines;
  }

  /** Writes everything queued in one write; returns the number of lines written. */
  flush(): number {
    const queue = this.queue;
    const lines = this.queuedLines;
    this.queue = null;
    this.queuedLines = 0;
    if (queue === null || this.isClosed) return 0;
    let bytes = 0;
    let strings = true;
    for (const chunk of queue) {
      bytes += chunk.length;
      if (typeof chunk !== 'string') strings = false;
    }
    const { socket } = this;
    if (socket.writableLength + bytes > this.output.maxBufferedBytes) {
      // The client stopped reading; writing more would only grow our memory.
      this.closed = true;
      socket.destroy();
      this.output.onSlow(this);
      return 0;
    }
    if (queue.length === 1) socket.write(queue[0] as string | Buffer, 'latin1');
    else if (strings) socket.write(queue.join(''), 'latin1');
    else {
      // Shared replay bytes are written as they are, with the lines around them, in one writev.
      socket.cork();
      for (const chunk of queue) socket.write(chunk, 'latin1');
      socket.uncork();
    }
    return lines;
  }

  /** Writes an error line after what is queued, then closes. */
  fail(code: ErrorCode, message: string): void {
    if (this.isClosed) return;
    this.flush();
    this.closed = true;
    this.socket.end(errorLine(code, message), 'latin1');
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
