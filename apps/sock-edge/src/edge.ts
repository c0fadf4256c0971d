import type { AddressInfo, Server, Socket } from 'node:net';
import type { Logger } from '@wasock/runtime';
import {
  type AuthLookup,
  AuthStore,
  hashToken,
  isCluster,
  keys,
  openRedis,
  type RedisLike,
  TokenStore,
} from '@wasock/store';
import type { Registry } from 'prom-client';
import { AuthBatch } from './auth-batch.ts';
import { ClientConn, type ClientOutput } from './client-conn.ts';
import type { EdgeConfig } from './config.ts';
import { type Credentials, createListener, refuse } from './listener.ts';
import { createEdgeMetrics, type EdgeMetrics } from './metrics.ts';
import { SessionHub } from './session-hub.ts';
import { tokenPrefix } from './wire-lines.ts';
import { WriteBatcher } from './write-batcher.ts';

/** A running sock-edge: TCP listener, two Redis connections, the session hub. */
export class Edge {
  readonly metrics: EdgeMetrics;
  private readonly config: EdgeConfig;
  private readonly logger: Logger;
  private readonly redis: RedisLike;
  private readonly subscriber: RedisLike;
  private readonly hub: SessionHub;
  private readonly tokens: TokenStore;
  private readonly auth: AuthStore;
  private readonly authBatch: AuthBatch;
  private readonly output: ClientOutput;
  private readonly server: Server;
  private draining = false;
  private subscriberReadyOnce = false;
  /** Set once start() subscribed: later (re)subscriptions mean Redis came back. */
  private started = false;
  private resyncTimer: NodeJS.Timeout | undefined;

  private constructor(config: EdgeConfig, logger: Logger, registry: Registry) {
    this.config = config;
    this.logger = logger;
    this.metrics = createEdgeMetrics(registry);
    this.redis = openRedis(config, {
      name: 'wasock-edge',
      extra: { commandTimeout: config.EDGE_REDIS_COMMAND_TIMEOUT_MS },
    });
    // We re-subscribe ourselves after a reconnect, so the gap read happens strictly after it.
    // On Cluster the live channels are shard channels: one subscriber connection per master.
    this.subscriber = openRedis(config, {
      name: 'wasock-edge-sub',
      extra: { autoResubscribe: false },
      shardedSubscribers: true,
    });
    this.tokens = new TokenStore(this.redis);
    this.auth = new AuthStore(this.redis);
    this.authBatch = new AuthBatch((requests) => this.auth.lookupMany(requests));
    this.output = {
      maxBufferedBytes: config.EDGE_MAX_BUFFERED_BYTES,
      batcher: new WriteBatcher((lines) => this.metrics.delivered.inc(lines)),
      onSlow: (conn) => {
        this.metrics.slowConsumers.inc();
        this.logger.info({ sid: conn.sid, remote: conn.remote }, 'slow consumer disconnected');
      },
    };
    this.hub = new SessionHub({
      redis: this.redis,
      subscriber: this.subscriber,
      sharded: isCluster(this.subscriber),
      metrics: this.metrics,
      logger,
      replayCount: config.EDGE_REPLAY_COUNT,
    });
    this.server = createListener({
      authTimeoutMs: config.EDGE_AUTH_TIMEOUT_MS,
      quietGapMs: config.EDGE_QUIET_GAP_MS,
      maxHandshakeBytes: config.EDGE_MAX_HANDSHAKE_BYTES,
      maxConnections: config.EDGE_MAX_CONNECTIONS,
      maxPendingHandshakes: config.EDGE_MAX_PENDING_HANDSHAKES,
      proxyProtocol: config.EDGE_PROXY_PROTOCOL,
      metrics: this.metrics,
      logger,
      onCredentials: (socket, creds) => {
        this.admit(socket, creds).catch((err: unknown) => {
          logger.error({ err }, 'admitting a client failed');
          socket.destroy();
        });
      },
    });
    this.wireRedis();
  }

  /** Connects to Redis, subscribes to revocations and starts listening. */
  static async start(config: EdgeConfig, logger: Logger, registry: Registry): Promise<Edge> {
    const edge = new Edge(config, logger, registry);
    await edge.subscriber.subscribe(keys.revocations());
    edge.started = true;
    await new Promise<void>((resolve, reject) => {
      edge.server.once('error', reject);
      edge.server.listen(config.EDGE_PORT, config.EDGE_HOST, () => resolve());
    });
    return edge;
  }

  /** The TCP port clients connect to. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Ready while listening with a live subscriber and not draining. */
  get ready(): boolean {
    return !this.draining && this.server.listening && this.subscriber.status === 'ready';
  }

  private wireRedis(): void {
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === keys.revocations()) this.closeRevoked(message);
      else this.hub.onMessage(channel, message);
    });
    // Sharded live entries arrive as smessage (Cluster); revocations stay a global channel.
    this.subscriber.on('smessage', (channel: string, message: string) =>
      this.hub.onMessage(channel, message),
    );
    if (isCluster(this.subscriber)) {
      // ioredis replaces a master's sharded subscriber after it dropped or the slots moved
      // (failover, resharding), and the revocations subscriber when its node leaves: either
      // way entries and revocations may have been missed meanwhile.
      for (const event of ['subscribersReady', '-node']) {
        this.subscriber.on(event, () => this.scheduleResync(event));
      }
    }
    this.subscriber.on('ready', () => {
      if (!this.subscriberReadyOnce) {
        this.subscriberReadyOnce = true;
        return;
      }
      this.metrics.redisReconnects.inc();
      this.logger.warn('redis subscriber reconnected; refilling live gaps from the streams');
      void this.resync(1);
    });
    for (const [name, conn] of [
      ['commands', this.redis],
      ['subscriber', this.subscriber],
    ] as const) {
      conn.on('error', (err: Error) =>
        this.logger.warn({ err: err.message, conn: name }, 'redis connection error'),
      );
    }
  }

  // Topology events come in bursts; one resync after the burst covers them all.
  private scheduleResync(why: string): void {
    if (!this.started || this.draining || this.resyncTimer) return;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = undefined;
      this.metrics.redisReconnects.inc();
      this.logger.warn({ why }, 'redis cluster subscribers changed; refilling live gaps from the streams');
      void this.resync(1);
    }, 200);
    this.resyncTimer.unref();
  }

  private async resync(attempt: number): Promise<void> {
    if (this.draining) return;
    try {
      await this.subscriber.subscribe(keys.revocations());
      await this.hub.resync();
      await this.revalidateTokens();
    } catch (err) {
      const delay = Math.min(100 * 2 ** attempt, 2000);
      this.logger.warn({ err, attempt, delay }, 'resync after reconnect failed; retrying');
      setTimeout(() => void this.resync(attempt + 1), delay).unref();
    }
  }

  // Revocations announced while we were disconnected were missed: check each live token again.
  private async revalidateTokens(): Promise<void> {
    for (const tokenHash of this.hub.tokenHashes()) {
      if ((await this.tokens.resolveHash(tokenHash)) === null) this.closeRevoked(tokenHash);
    }
  }

  private closeRevoked(tokenHash: string): void {
    for (const conn of this.hub.clientsOfToken(tokenHash)) {
      this.metrics.revocations.inc();
      conn.fail('revoked', 'this token was revoked');
    }
  }

  private async admit(socket: Socket, creds: Credentials): Promise<void> {
    const { metrics } = this;
    if (this.draining) {
      refuse(socket, 'overloaded', 'this edge is shutting down; reconnect', metrics);
      return;
    }
    const tokenHash = hashToken(creds.token);
    let lookup: AuthLookup;
    try {
      lookup = await this.authBatch.lookup(tokenHash, creds.remote);
    } catch (err) {
      this.logger.warn({ err }, 'token lookup failed');
      refuse(socket, 'overloaded', 'the event store is unavailable; try again shortly', metrics);
      return;
    }
    if (socket.destroyed) return;
    const { sid } = lookup;
    if (lookup.failures >= this.config.EDGE_AUTH_FAILURES_PER_MINUTE) {
      refuse(socket, 'rate_limited', 'too many failed handshakes from this address; wait a minute', metrics);
      return;
    }
    if (sid === null) {
      this.auth.recordFailure(creds.remote, 60_000).catch((err: unknown) => {
        this.logger.warn({ err }, 'counting a failed handshake failed');
      });
      refuse(socket, 'unauthorized', 'unknown or revoked token', metrics);
      return;
    }
    if (this.hub.clientCountOfToken(tokenHash) >= this.config.EDGE_MAX_CONNECTIONS_PER_TOKEN) {
      refuse(socket, 'rate_limited', 'too many open connections for this token on this edge', metrics);
      return;
    }
    metrics.handshakes.inc({ outcome: 'ok' });
    metrics.connections.inc({ phase: 'live' });
    const conn = new ClientConn({
      socket,
      sid,
      tokenHash,
      prefix: tokenPrefix(creds.token),
      withIds: creds.ids,
      remote: creds.remote,
      output: this.output,
    });
    this.watchClose(conn);
    const started = performance.now();
    try {
      await this.hub.attach(conn, creds.since);
      metrics.replay.observe((performance.now() - started) / 1000);
    } catch (err) {
      this.logger.warn({ err, sid }, 'replay failed');
      conn.fail('overloaded', 'the event store is unavailable; try again shortly');
    }
  }

  // Its own small closure: one made in admit() would keep the handshake's credentials alive for
  // as long as the connection lasts.
  private watchClose(conn: ClientConn): void {
    conn.socket.on('close', () => {
      this.metrics.connections.dec({ phase: 'live' });
      this.hub.detach(conn);
    });
  }

  /**
   * Graceful stop: not ready, stop accepting, flush and end every client, wait for them to
   * close (at most EDGE_DRAIN_TIMEOUT_MS), then close Redis.
   */
  async stop(): Promise<void> {
    this.draining = true;
    clearTimeout(this.resyncTimer);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const clients = [...this.hub.clients()];
    for (const conn of clients) conn.end();
    const deadline = Date.now() + this.config.EDGE_DRAIN_TIMEOUT_MS;
    while (clients.some((c) => !c.socket.destroyed) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const conn of clients) conn.socket.destroy();
    await closed;
    this.subscriber.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
