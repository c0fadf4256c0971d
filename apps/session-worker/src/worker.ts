import { PairingRequestId, PhoneNumber, SendRequest, WasockError } from '@wasock/contracts';
import { OutboundStatus, type SendJob } from '@wasock/outbox';
import type { Logger } from '@wasock/runtime';
import {
  type ConnectorKind,
  keys,
  LeaseStore,
  openRedis,
  PairingStore,
  type RedisLike,
  SessionStore,
  StreamPublisher,
} from '@wasock/store';
import {
  type AuthSealer,
  AuthStateError,
  baileysLogger,
  loadRedisAuthState,
  MultiDeviceConnector,
  type SocketFactory,
} from '@wasock/wa-md';
import { type Connector, WaWebClient, type WaWebCounters } from '@wasock/wa-web';
import { type Job, Worker } from 'bullmq';
import type { Registry } from 'prom-client';
import { connectorFor, type WorkerConfig } from './config.ts';
import { openCreds, parseCredsKey, sealCreds } from './creds-crypto.ts';
import { CredsStore } from './creds-store.ts';
import { MediaQueue, startMediaWorker, withMultiDeviceMedia } from './media-jobs.ts';
import { DirectoryMediaStore } from './media-store.ts';
import { createWorkerMetrics, type WorkerMetrics } from './metrics.ts';
import { defaultUploadUrl, httpUploader, type MediaUploader } from './outbound-message.ts';
import { Ownership } from './ownership.ts';
import { PublishQueue } from './publish-queue.ts';
import { type NormalizeFns, type RunnerConnector, SessionRunner } from './session-runner.ts';

/** What the worker is built with besides its config. */
export interface SessionWorkerDeps {
  logger: Logger;
  registry: Registry;
  normalize: NormalizeFns;
  mediaBaseUrl: string;
  /** Makes multi-device sockets; Baileys' `makeWASocket` unless a test stands in for WhatsApp. */
  makeMultiDeviceSocket?: SocketFactory;
}

// How long a pairing request waits for the session to reach the link stage (a fresh session is
// still connecting; a reconnecting one is backing off).
const PAIRING_WAIT_MS = 20_000;

interface Running {
  runner: SessionRunner;
  connector: Connector;
  /** Legacy sessions only: the protocol client counts its frames for the metrics. */
  legacy?: { client: WaWebClient; counted: WaWebCounters };
  /** Consumes the session's send queue while this worker holds its lease. */
  sends: Worker;
}

/** A running session worker: ownership loop, one SessionRunner per owned session, media jobs. */
export class SessionWorker {
  readonly metrics: WorkerMetrics;
  readonly mediaStore: DirectoryMediaStore;
  private readonly config: WorkerConfig;
  private readonly logger: Logger;
  private readonly redis: RedisLike;
  private readonly bullRedis: RedisLike;
  private readonly commands: RedisLike;
  private readonly creds: CredsStore;
  private readonly authSealer: AuthSealer;
  private readonly sessions: SessionStore;
  private readonly pairing: PairingStore;
  private readonly makeMultiDeviceSocket: SocketFactory | undefined;
  private readonly publisher: StreamPublisher;
  private readonly queue: PublishQueue;
  private readonly mediaQueue: MediaQueue;
  private readonly mediaWorker: Worker;
  private readonly ownership: Ownership;
  private readonly running = new Map<string, Running>();
  private readonly outbound: OutboundStatus;
  private readonly upload: MediaUploader;
  private readonly normalize: NormalizeFns;
  private readonly counterTimer: NodeJS.Timeout;

  private constructor(config: WorkerConfig, deps: SessionWorkerDeps) {
    this.config = config;
    this.logger = deps.logger;
    this.normalize = deps.normalize;
    this.makeMultiDeviceSocket = deps.makeMultiDeviceSocket;
    this.metrics = createWorkerMetrics(deps.registry, {
      sessionStates: () => [...this.running.values()].map((r) => r.connector.state),
      queueDepth: () => this.queue.depth,
    });
    // REDIS_CLUSTER_NODES switches all three to Redis Cluster: the publish script then uses
    // SPUBLISH, and BullMQ's keys share the `{wasock-queues}` slot.
    this.redis = openRedis(config, { name: 'wasock-worker' });
    this.bullRedis = openRedis(config, { name: 'wasock-worker-media' });
    this.commands = openRedis(config, { name: 'wasock-worker-commands' });
    this.commands.on('message', (_channel: string, message: string) => void this.onCommand(message));
    for (const conn of [this.redis, this.bullRedis, this.commands]) {
      conn.on('error', (err: Error) => deps.logger.warn({ err: err.message }, 'redis connection error'));
    }
    this.sessions = new SessionStore(this.redis);
    this.pairing = new PairingStore(this.redis);
    this.outbound = new OutboundStatus(this.redis);
    this.upload = httpUploader(config.WA_MEDIA_UPLOAD_URL ?? defaultUploadUrl(config.WA_URL));
    const credsKey = parseCredsKey(config.CREDS_KEY);
    this.creds = new CredsStore(credsKey, this.sessions);
    // The multi-device auth state is sealed with the same key and scheme as legacy credentials.
    this.authSealer = {
      seal: (context, plain) => sealCreds(credsKey, context, plain),
      open: (context, blob) => openCreds(credsKey, context, blob),
    };
    this.publisher = new StreamPublisher(this.redis, { maxLen: config.STREAM_MAXLEN });
    const { metrics } = this;
    this.queue = new PublishQueue({
      maxItems: config.PUBLISH_QUEUE_MAX,
      logger: deps.logger,
      onDropped: (item) => metrics.dropped.inc({ kind: item.kind }),
      onPublished: (_item, ms) => metrics.publishLatency.observe(ms / 1000),
    });
    this.mediaStore = new DirectoryMediaStore(config.MEDIA_DIR, deps.mediaBaseUrl);
    const mediaOpts = {
      connection: this.bullRedis,
      logger: deps.logger,
      metrics,
      attempts: config.MEDIA_ATTEMPTS,
    };
    this.mediaQueue = new MediaQueue(mediaOpts);
    this.mediaWorker = startMediaWorker({
      ...mediaOpts,
      connection: this.bullRedis.duplicate(),
      store: this.mediaStore,
      publisher: this.publisher,
      maxBytes: config.MEDIA_MAX_BYTES,
      concurrency: config.MEDIA_CONCURRENCY,
    });
    this.ownership = new Ownership({
      me: config.WORKER_ID,
      leases: new LeaseStore(this.redis),
      sessions: this.sessions,
      leaseTtlMs: config.LEASE_TTL_MS,
      renewMs: config.LEASE_RENEW_MS,
      intervalMs: config.SCHEDULE_INTERVAL_MS,
      logger: deps.logger,
      metrics,
      onClaim: (sid) => this.run(sid),
      onRelease: (sid) => this.halt(sid),
    });
    this.counterTimer = setInterval(() => this.countFrames(), 1000);
    this.counterTimer.unref();
  }

  /** Checks CREDS_KEY against Redis, then starts claiming sessions. */
  static async start(config: WorkerConfig, deps: SessionWorkerDeps): Promise<SessionWorker> {
    const worker = new SessionWorker(config, deps);
    try {
      await worker.creds.verifyKey(worker.redis);
    } catch (err) {
      await worker.close();
      throw err;
    }
    await worker.commands.subscribe(keys.sessionCommands());
    worker.ownership.start();
    return worker;
  }

  /** Ready while Redis answers the scheduling rounds. */
  get ready(): boolean {
    return this.ownership.healthy && this.redis.status === 'ready';
  }

  /** Sessions this worker runs now. */
  get sessionIds(): string[] {
    return [...this.running.keys()];
  }

  // Operator commands reach every worker; only the one running the session acts.
  private async onCommand(message: string): Promise<void> {
    const [sid, command, ...args] = message.split(' ');
    const entry = sid ? this.running.get(sid) : undefined;
    if (!sid || !entry) return;
    const log = this.logger.child({ sid, command });
    try {
      if (command === 'logout') {
        log.info('logging the session out on operator request');
        await entry.runner.logout();
      } else if (command === 'restart') {
        log.info('restarting the session on operator request');
        await this.halt(sid);
        await this.run(sid);
      } else if (command === 'pair') {
        await this.pair(sid, entry.connector, args, log);
      } else {
        log.warn('ignoring an unknown session command');
      }
    } catch (err) {
      log.error({ err }, 'session command failed');
    }
  }

  // Answers a pairing-code request under its id: WhatsApp's code, or why there is none.
  private async pair(sid: string, connector: Connector, args: string[], log: Logger): Promise<void> {
    const [phoneNumber = '', requestId = ''] = args;
    if (
      PhoneNumber.safeParse(phoneNumber).data !== phoneNumber ||
      !PairingRequestId.safeParse(requestId).success
    ) {
      log.warn('ignoring a malformed pairing request');
      return;
    }
    const answer = (outcome: { code: string } | { error: { code: string; message: string } }) =>
      this.pairing.record(sid, { requestId, phoneNumber, ...outcome });
    if (!(connector instanceof MultiDeviceConnector)) {
      await answer({ error: { code: 'unsupported', message: 'a legacy session links by QR only' } });
      return;
    }
    // The number identifies a person: its tail is enough to match a log line to a request.
    log.info({ phone: `…${phoneNumber.slice(-4)}`, requestId }, 'requesting a pairing code');
    try {
      const code = await connector.requestPairingCode(phoneNumber, {
        signal: AbortSignal.timeout(PAIRING_WAIT_MS),
      });
      await answer({ code });
    } catch (err) {
      const code = err instanceof WasockError ? err.code : 'pairing_failed';
      log.warn({ err, requestId }, 'no pairing code');
      await answer({ error: { code, message: (err as Error).message } });
    }
  }

  private async run(sid: string): Promise<void> {
    const log = this.logger.child({ sid });
    // The connector chosen when the session was created wins over the deployment default; a
    // linked session without one stays on the protocol it is linked with.
    const recorded = (await this.sessions.get(sid))?.connector;
    const kind: ConnectorKind = connectorFor(
      {
        ...(recorded ? { recorded } : {}),
        legacyCreds: (await this.sessions.getCreds(sid)) !== null,
        multiDeviceAuth: (await this.redis.exists(keys.mdAuth(sid))) === 1,
      },
      this.config.WA_CONNECTOR,
    );
    if (kind === 'multidevice') return this.runMultiDevice(sid, log);
    let credentials = null;
    try {
      credentials = await this.creds.load(sid);
    } catch (err) {
      log.error({ err }, 'stored credentials are unreadable; a new QR scan is needed');
    }
    const client = new WaWebClient({
      url: this.config.WA_URL,
      origin: this.config.WA_ORIGIN,
      credentials,
      keepaliveIntervalMs: this.config.WA_KEEPALIVE_MS,
      deadAfterMs: this.config.WA_DEAD_AFTER_MS,
    });
    client.events.on('warning', (w) => log.warn({ code: w.code }, w.message));
    const runner = this.newRunner(sid, client, this.normalize);
    this.running.set(sid, {
      runner,
      connector: client,
      legacy: { client, counted: { ...client.counters() } },
      sends: this.startSends(sid, runner),
    });
    await runner.start();
  }

  // A multi-device session: Baileys behind MultiDeviceConnector, its auth state in Redis.
  private async runMultiDevice(sid: string, log: Logger): Promise<void> {
    const load = () =>
      loadRedisAuthState({
        redis: this.redis,
        sid,
        sealer: this.authSealer,
        leaseOwner: this.config.WORKER_ID,
      });
    let auth: Awaited<ReturnType<typeof load>>;
    try {
      auth = await load();
    } catch (err) {
      // CREDS_KEY was checked at start-up, so an unreadable state was altered: start over (QR).
      if (!(err instanceof AuthStateError) || err.code === 'lease_lost') throw err;
      log.error({ err }, 'stored multi-device auth state is unreadable; a new link is needed');
      await this.sessions.deleteCreds(sid);
      auth = await load();
    }
    const version = this.config.WA_MD_VERSION?.split('.').map(Number) as [number, number, number] | undefined;
    const connector = new MultiDeviceConnector({
      auth,
      logger: baileysLogger(log, this.config.LOG_LEVEL_BAILEYS),
      ...(version ? { version } : {}),
      ...(this.makeMultiDeviceSocket ? { makeSocket: this.makeMultiDeviceSocket } : {}),
    });
    connector.events.on('warning', (w) => log.warn({ code: w.code }, w.message));
    const runner = this.newRunner(sid, connector, withMultiDeviceMedia(this.normalize));
    this.running.set(sid, { runner, connector, sends: this.startSends(sid, runner) });
    await runner.start();
  }

  // What differs between connectors is how their messages are normalized (media references).
  private newRunner(sid: string, connector: RunnerConnector, normalize: NormalizeFns): SessionRunner {
    return new SessionRunner(connector, {
      sid,
      me: this.config.WORKER_ID,
      logger: this.logger,
      metrics: this.metrics,
      sessions: this.sessions,
      publisher: this.publisher,
      queue: this.queue,
      addMediaJob: (job) => this.mediaQueue.add(job),
      putMedia: (plain, mimeType) => this.mediaStore.put(plain, { mimeType }),
      forgetCreds: () => this.creds.forget(sid),
      onEnded: (why) => void this.ownership.release(sid, why),
      upload: this.upload,
      normalize,
      // Called only with a ready event's credentials: the multi-device connector saves its own.
      saveCreds: (c) => this.creds.save(sid, c),
    });
  }

  private async halt(sid: string): Promise<void> {
    const entry = this.running.get(sid);
    if (!entry) return;
    this.running.delete(sid);
    this.countFrames(entry);
    // A send in progress finishes or, if this process dies first, goes back to the queue for
    // the next lease holder (same WhatsApp id, so the recipient sees it once).
    await entry.sends.close();
    await entry.runner.stop();
  }

  private startSends(sid: string, runner: SessionRunner): Worker {
    const log = this.logger.child({ sid });
    const worker = new Worker(
      keys.sendQueue(sid),
      async (job: Job) => {
        const data = job.data as SendJob;
        const request = SendRequest.parse(data.request);
        // Sent before a crash, after WhatsApp's answer but before the job completed.
        if (await this.outbound.isSent(sid, data.waId)) return;
        await this.outbound.sending(sid, data.waId);
        const started = performance.now();
        await runner.send({ ...data, request });
        await this.outbound.sent(sid, data.waId);
        this.metrics.sends.inc({ outcome: 'sent' });
        this.metrics.sendDuration.observe((performance.now() - started) / 1000);
      },
      {
        connection: this.bullRedis,
        prefix: keys.queuePrefix(),
        concurrency: 1,
        // A dead holder's job is handed to the next one within seconds, not BullMQ's 30 s default.
        lockDuration: 10_000,
        stalledInterval: 5_000,
      },
    );
    worker.on('failed', (job, err) => {
      if (!job) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1);
      this.metrics.sends.inc({ outcome: final ? 'failed' : 'retried' });
      const data = job.data as SendJob;
      (final ? log.error.bind(log) : log.warn.bind(log))(
        { err, waId: data.waId, attempts: job.attemptsMade },
        final ? 'send failed for good' : 'send failed; will retry',
      );
      this.outbound
        .failed(sid, data.waId, err.message, final)
        .catch((e: unknown) => log.warn({ err: e }, 'recording a send failure failed'));
    });
    worker.on('error', (err) => log.warn({ err }, 'send worker error'));
    return worker;
  }

  // The protocol client counts frames itself; export the growth since the last look.
  private countFrames(only?: Running): void {
    for (const entry of only ? [only] : this.running.values()) {
      if (!entry.legacy) continue;
      const now = entry.legacy.client.counters();
      const was = entry.legacy.counted;
      this.metrics.framesIn.inc(now.framesIn - was.framesIn);
      this.metrics.framesOut.inc(now.framesOut - was.framesOut);
      this.metrics.macFailures.inc(now.badMac - was.badMac);
      this.metrics.badFrames.inc(now.decodeErrors + now.decryptErrors - was.decodeErrors - was.decryptErrors);
      entry.legacy.counted = { ...now };
    }
  }

  /** Graceful stop: release every session, publish what is queued (bounded wait), close Redis. */
  async stop(drainMs = 10_000): Promise<void> {
    await this.ownership.stop();
    await Promise.race([this.queue.whenIdle(), new Promise((r) => setTimeout(r, drainMs))]);
    this.queue.stop();
    await this.close();
  }

  private async close(): Promise<void> {
    clearInterval(this.counterTimer);
    await this.mediaWorker.close();
    await this.mediaQueue.close();
    this.commands.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
    await this.bullRedis.quit().catch(() => this.bullRedis.disconnect());
  }
}
