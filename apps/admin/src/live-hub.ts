import type { AdminEvent, AdminSession, LiveServerMessage } from '@wasock/contracts';
import type { Logger } from '@wasock/runtime';
import { decodeLiveEntry, isCluster, keys, type RedisLike, sidFromLiveChannel } from '@wasock/store';
import { toAdminEvent } from './session-view.ts';

/** A live client as the hub sees it: something that takes serialized messages. */
export interface LiveSink {
  send(text: string): void;
}

/** Which sinks watch which sessions' events. Pure bookkeeping: no I/O. */
export class Subscriptions {
  readonly #bySid = new Map<string, Set<LiveSink>>();

  /** Adds a watcher; true when it is the session's first (the channel must be subscribed). */
  add(sid: string, sink: LiveSink): boolean {
    const set = this.#bySid.get(sid);
    if (set) {
      set.add(sink);
      return false;
    }
    this.#bySid.set(sid, new Set([sink]));
    return true;
  }

  /** Removes a watcher; true when it was the session's last (the channel can be dropped). */
  remove(sid: string, sink: LiveSink): boolean {
    const set = this.#bySid.get(sid);
    if (!set?.delete(sink)) return false;
    if (set.size > 0) return false;
    this.#bySid.delete(sid);
    return true;
  }

  /** Removes a sink everywhere; returns the sessions nobody watches any more. */
  removeAll(sink: LiveSink): string[] {
    return [...this.#bySid.keys()].filter((sid) => this.remove(sid, sink));
  }

  /** The watchers of a session. */
  sinks(sid: string): ReadonlySet<LiveSink> {
    return this.#bySid.get(sid) ?? new Set();
  }

  /** Sessions with at least one watcher. */
  get size(): number {
    return this.#bySid.size;
  }
}

/** Parses a session-changes payload `<sid> <state>`; null when malformed. */
export function parseSessionChange(payload: string): { sid: string; state: string } | null {
  const m = /^(\S+) (\S+)$/.exec(payload);
  return m ? { sid: m[1] ?? '', state: m[2] ?? '' } : null;
}

/**
 * Fans Redis out to the live clients of this admin process over ONE subscriber connection:
 * every session change goes to every client (as the fresh session record), a session's events
 * only to the clients that subscribed to it. Each message is serialized once for all its sinks.
 */
export class LiveHub {
  readonly #subscriber: RedisLike;
  readonly #loadSession: (sid: string) => Promise<AdminSession | null>;
  readonly #logger: Logger;
  readonly #clients = new Set<LiveSink>();
  readonly #subs = new Subscriptions();
  readonly #pending = new Set<string>();
  #chain: Promise<void> = Promise.resolve();

  constructor(
    subscriber: RedisLike,
    loadSession: (sid: string) => Promise<AdminSession | null>,
    logger: Logger,
  ) {
    this.#subscriber = subscriber;
    this.#loadSession = loadSession;
    this.#logger = logger;
  }

  /** Subscribes to session changes; from then on Redis messages are fanned out. */
  async start(): Promise<void> {
    this.#subscriber.on('message', (channel: string, payload: string) => this.#onMessage(channel, payload));
    // On Redis Cluster the workers SPUBLISH live entries: they arrive as shard messages.
    this.#subscriber.on('smessage', (channel: string, payload: string) => this.#onMessage(channel, payload));
    await this.#subscriber.subscribe(keys.sessionChanges());
  }

  /** Number of clients receiving session changes. */
  get clients(): number {
    return this.#clients.size;
  }

  /** Starts sending session changes to a client. */
  addClient(sink: LiveSink): void {
    this.#clients.add(sink);
  }

  /** Forgets a client and drops the channels only it watched. */
  async removeClient(sink: LiveSink): Promise<void> {
    this.#clients.delete(sink);
    const idle = this.#subs.removeAll(sink);
    if (idle.length === 0) return;
    if (isCluster(this.#subscriber)) await Promise.all(idle.map((sid) => this.#liveOff(sid)));
    else await this.#subscriber.unsubscribe(...idle.map(keys.live));
  }

  /** Sends a session's live events to a client; resolves once Redis delivers them. */
  async subscribe(sink: LiveSink, sid: string): Promise<void> {
    if (!this.#subs.add(sid, sink)) return;
    // One slot per shard channel: SSUBSCRIBE on Cluster, through the master owning the session.
    if (isCluster(this.#subscriber)) await this.#subscriber.ssubscribe(keys.live(sid));
    else await this.#subscriber.subscribe(keys.live(sid));
  }

  /** Stops sending a session's events to a client. */
  async unsubscribe(sink: LiveSink, sid: string): Promise<void> {
    if (this.#subs.remove(sid, sink)) await this.#liveOff(sid);
  }

  async #liveOff(sid: string): Promise<void> {
    if (isCluster(this.#subscriber)) await this.#subscriber.sunsubscribe(keys.live(sid));
    else await this.#subscriber.unsubscribe(keys.live(sid));
  }

  #onMessage(channel: string, payload: string): void {
    if (channel === keys.sessionChanges()) {
      const change = parseSessionChange(payload);
      if (change) this.#refresh(change.sid);
      else this.#logger.warn({ payload }, 'malformed session change');
      return;
    }
    const sid = sidFromLiveChannel(channel);
    if (!sid) return;
    const sinks = this.#subs.sinks(sid);
    if (sinks.size === 0) return;
    let entry: AdminEvent | null;
    try {
      entry = toAdminEvent(decodeLiveEntry(payload));
    } catch (err) {
      this.#logger.warn({ err, sid }, 'malformed live entry; not forwarded');
      return;
    }
    if (!entry) {
      this.#logger.warn({ sid }, 'live entry is not a seed 000 event; not forwarded');
      return;
    }
    this.#fanOut(sinks, { type: 'event', sid, entry });
  }

  // Changes are applied in order, one session read at a time; a burst of changes of one session
  // (QR rotations) costs one read, since the read returns the newest record anyway.
  #refresh(sid: string): void {
    if (this.#pending.has(sid)) return;
    this.#pending.add(sid);
    this.#chain = this.#chain
      .then(async () => {
        this.#pending.delete(sid);
        const session = await this.#loadSession(sid);
        if (session) this.#fanOut(this.#clients, { type: 'session', session });
      })
      .catch((err: unknown) => {
        this.#pending.delete(sid);
        this.#logger.warn({ err, sid }, 'could not read a changed session; clients refresh on reconnect');
      });
  }

  #fanOut(sinks: ReadonlySet<LiveSink>, msg: LiveServerMessage): void {
    const text = JSON.stringify(msg);
    for (const sink of sinks) sink.send(text);
  }
}
