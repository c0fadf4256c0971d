import type { Logger } from '@wasock/runtime';
import {
  compareStreamIds,
  decodeLiveEntry,
  keys,
  type LiveEntry,
  parseEventId,
  type RedisLike,
  readAfter,
  readLatest,
  sidFromLiveChannel,
  streamIdTime,
} from '@wasock/store';
import type { ClientConn } from './client-conn.ts';
import type { EdgeMetrics } from './metrics.ts';
import { replayBytes, SharedReplay } from './replay-bytes.ts';
import { planResume } from './resume.ts';
import { SharedRead } from './shared-read.ts';
import { eventLine, resumeLine } from './wire-lines.ts';

// One Room per session with local clients. Clients of a room are grouped by token so each live
// entry is turned into a line once per token, whatever the number of sockets.

interface TokenGroup {
  prefix: string;
  clients: Set<ClientConn>;
}

interface Room {
  sid: string;
  groups: Map<string, TokenGroup>;
  size: number;
  /** Resolves once the live channel is subscribed; replay reads wait for it. */
  subscribed: Promise<void>;
  /**
   * The stored-events read of clients attaching together. A client joins it only after it is in
   * `groups` and the channel is subscribed, and the read is sent after every join, so each
   * client holds every live entry newer than what the read returns: no gap between the two.
   */
  replay: SharedRead<SharedReplay>;
  /** Newest stream id handed to this room (live or gap fill). */
  lastId: string | null;
  /** While a gap fill runs, live entries wait here so order is kept. */
  filling: LiveEntry[] | null;
}

export interface SessionHubDeps {
  redis: RedisLike;
  subscriber: RedisLike;
  /**
   * Live channels are shard channels (Redis Cluster: the worker SPUBLISHes, so the hub
   * SSUBSCRIBEs, through the subscriber of the master that owns each session's slot).
   */
  sharded: boolean;
  metrics: EdgeMetrics;
  logger: Logger;
  replayCount: number;
}

/** Subscribes per session on first local client, merges replay with live, fans entries out. */
export class SessionHub {
  private readonly rooms = new Map<string, Room>();
  private readonly byToken = new Map<string, Set<ClientConn>>();
  private readonly deps: SessionHubDeps;

  constructor(deps: SessionHubDeps) {
    this.deps = deps;
  }

  get sessionCount(): number {
    return this.rooms.size;
  }

  /** Every client currently attached, for drain and revocation sweeps. */
  *clients(): Iterable<ClientConn> {
    for (const set of this.byToken.values()) yield* set;
  }

  /**
   * Adds a client: subscribes the session if it is the first local client, reads the stored
   * events, queues the replay (or the resume) and then lets live entries through.
   */
  async attach(conn: ClientConn, since?: string): Promise<number> {
    const room = this.room(conn.sid);
    let group = room.groups.get(conn.tokenHash);
    if (!group) {
      group = { prefix: conn.prefix, clients: new Set() };
      room.groups.set(conn.tokenHash, group);
    }
    group.clients.add(conn);
    room.size++;
    let tokenSet = this.byToken.get(conn.tokenHash);
    if (!tokenSet) {
      tokenSet = new Set();
      this.byToken.set(conn.tokenHash, tokenSet);
    }
    tokenSet.add(conn);

    await room.subscribed;
    const replay = await room.replay.join();
    const { snapshot } = replay;
    const plan = planResume(since ? parseEventId(since) : undefined, snapshot);
    const last = snapshot.entries[snapshot.entries.length - 1];
    const preamble = plan.status
      ? resumeLine({
          status: plan.status,
          replayed: plan.entries.length,
          last: last && snapshot.epoch ? `${snapshot.epoch}:${last.n}` : null,
        })
      : null;
    // A full replay is the same bytes for every client of the token; a resume's tail is its own.
    const bytes =
      plan.entries === snapshot.entries
        ? replay.linesFor(conn.prefix, conn.withIds)
        : replayBytes(conn.prefix, plan.entries, conn.withIds);
    return conn.finishReplay(preamble, bytes, plan.entries.length, last?.id ?? null);
  }

  /** Removes a client; the last one out unsubscribes the session. */
  detach(conn: ClientConn): void {
    const tokenSet = this.byToken.get(conn.tokenHash);
    tokenSet?.delete(conn);
    if (tokenSet?.size === 0) this.byToken.delete(conn.tokenHash);
    const room = this.rooms.get(conn.sid);
    const group = room?.groups.get(conn.tokenHash);
    if (!room || !group?.clients.delete(conn)) return;
    room.size--;
    if (group.clients.size === 0) room.groups.delete(conn.tokenHash);
    if (room.size === 0) this.closeRoom(room);
  }

  private closeRoom(room: Room): void {
    if (this.rooms.get(room.sid) !== room) return;
    this.rooms.delete(room.sid);
    this.deps.metrics.sessions.set(this.rooms.size);
    this.unsubscribeLive(room.sid).catch((err: unknown) => {
      this.deps.logger.warn({ err, sid: room.sid }, 'unsubscribe failed');
    });
  }

  /** Handles a message (or, sharded, an smessage) from the subscriber connection. */
  onMessage(channel: string, payload: string): void {
    const sid = sidFromLiveChannel(channel);
    if (sid === null) return;
    const room = this.rooms.get(sid);
    if (!room) return;
    let entry: LiveEntry;
    try {
      entry = decodeLiveEntry(payload);
    } catch (err) {
      this.deps.logger.error({ err, sid }, 'dropping a malformed live entry');
      return;
    }
    if (room.filling) room.filling.push(entry);
    else this.dispatch(room, entry);
  }

  /** Clients of a revoked token hash, for the caller to close. */
  clientsOfToken(tokenHash: string): ClientConn[] {
    return [...(this.byToken.get(tokenHash) ?? [])];
  }

  /** How many local clients a token has (the per-token limit), without copying them. */
  clientCountOfToken(tokenHash: string): number {
    return this.byToken.get(tokenHash)?.size ?? 0;
  }

  /** Token hashes with local clients, for re-validation after a Redis outage. */
  tokenHashes(): string[] {
    return [...this.byToken.keys()];
  }

  /**
   * After a Redis reconnect: subscribe every room again, then hand out what was appended while
   * the subscriber was away, read from the streams (the source of truth), in order.
   */
  async resync(): Promise<void> {
    const rooms = [...this.rooms.values()];
    if (rooms.length === 0) return;
    for (const room of rooms) room.filling ??= [];
    if (this.deps.sharded) {
      // SSUBSCRIBE takes channels of one slot only. On Cluster ioredis re-subscribes by itself
      // but without telling when it is done; our own SSUBSCRIBE, answered on the same
      // connection, proves the subscription stands before the gap is read.
      await Promise.all(rooms.map((r) => this.subscribeLive(r.sid)));
    } else {
      await this.deps.subscriber.subscribe(...rooms.map((r) => keys.live(r.sid)));
    }
    await Promise.all(rooms.map((room) => this.fillGap(room)));
  }

  private async fillGap(room: Room): Promise<void> {
    try {
      const { entries } = await readAfter(this.deps.redis, room.sid, room.lastId ?? '0-0', 10_000);
      for (const e of entries) this.dispatch(room, e);
    } finally {
      const held = room.filling ?? [];
      room.filling = null;
      for (const e of held) this.dispatch(room, e);
    }
  }

  private dispatch(room: Room, entry: LiveEntry): void {
    if (room.lastId !== null && compareStreamIds(entry.id, room.lastId) <= 0) return;
    room.lastId = entry.id;
    this.deps.metrics.latency.observe(Math.max(0, Date.now() - streamIdTime(entry.id)) / 1000);
    for (const group of room.groups.values()) {
      // Built lazily: most tokens have no hello clients asking for ids, and vice versa.
      let plain: string | undefined;
      let withId: string | undefined;
      for (const conn of group.clients) {
        let line: string;
        if (conn.withIds) {
          withId ??= eventLine(group.prefix, entry, true);
          line = withId;
        } else {
          plain ??= eventLine(group.prefix, entry, false);
          line = plain;
        }
        conn.offer(entry, line);
      }
    }
  }

  private async subscribeLive(sid: string): Promise<void> {
    const { subscriber } = this.deps;
    if (this.deps.sharded) await subscriber.ssubscribe(keys.live(sid));
    else await subscriber.subscribe(keys.live(sid));
  }

  private async unsubscribeLive(sid: string): Promise<void> {
    const { subscriber } = this.deps;
    if (this.deps.sharded) await subscriber.sunsubscribe(keys.live(sid));
    else await subscriber.unsubscribe(keys.live(sid));
  }

  private room(sid: string): Room {
    const room = this.rooms.get(sid);
    if (room) return room;
    const created: Room = {
      sid,
      groups: new Map(),
      size: 0,
      subscribed: Promise.resolve(),
      replay: new SharedRead(
        async () => new SharedReplay(await readLatest(this.deps.redis, sid, this.deps.replayCount)),
      ),
      lastId: null,
      filling: null,
    };
    created.subscribed = this.subscribeLive(sid).then(
      () => undefined,
      (err: unknown) => {
        // Forget the room so the next client subscribes afresh; waiting clients fail and retry.
        if (this.rooms.get(sid) === created) {
          this.rooms.delete(sid);
          this.deps.metrics.sessions.set(this.rooms.size);
        }
        throw err;
      },
    );
    this.rooms.set(sid, created);
    this.deps.metrics.sessions.set(this.rooms.size);
    return created;
  }
}
