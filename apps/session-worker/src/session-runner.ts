import type { AckLevel, MessageEvent } from '@wasock/contracts';
import { WasockError } from '@wasock/contracts';
import type { SendJob } from '@wasock/outbox';
import type { Logger } from '@wasock/runtime';
import { dedupe, type SessionStore, type StreamPublisher } from '@wasock/store';
import type {
  Connector,
  ReadyEvent,
  Receipt,
  SendResult,
  StateChange,
  WaCredentials,
  WebMessage,
  WebMessageInfo,
} from '@wasock/wa-web';
import { type MediaJobData, publishMedia } from './media-jobs.ts';
import { countPublish, type WorkerMetrics } from './metrics.ts';
import { buildOutbound, type MediaUploader } from './outbound-message.ts';
import type { PublishQueue } from './publish-queue.ts';

/** What the runner needs from the shared normalizer (protocol-agnostic, pure). */
export interface NormalizeFns {
  /** A WebMessageInfo as a seed `message` event, plus what a media job needs; null to skip. */
  message(
    info: WebMessageInfo,
    ownJid: string,
  ): { event: MessageEvent; media?: Omit<MediaJobData, 'sid' | 'messageId'> } | null;
  /** WhatsApp delivery level → seed ack level, or null when the level publishes nothing. */
  ackLevel(waLevel: number): AckLevel | null;
}

export interface SessionRunnerDeps {
  sid: string;
  me: string;
  logger: Logger;
  metrics: WorkerMetrics;
  sessions: SessionStore;
  publisher: StreamPublisher;
  queue: PublishQueue;
  normalize: NormalizeFns;
  /** Queues a media download for a published message. */
  addMediaJob: (job: MediaJobData) => Promise<void>;
  /** Stores a media file this worker already holds (one it sent) and returns its URL. */
  putMedia: (plain: Buffer, mimeType: string) => Promise<string>;
  /** Persists rotated credentials (encrypted by the caller). */
  saveCreds: (creds: WaCredentials) => Promise<void>;
  forgetCreds: () => Promise<void>;
  /** Called when the session ends by itself (logged out, replaced, failed): give up the lease. */
  onEnded: (why: string) => void;
  /** Uploads send media where the connector has no media host of its own (the legacy one). */
  upload: MediaUploader;
}

/** A connector the runner drives: connect, close, log out, and send. */
export type RunnerConnector = Connector & {
  logout(): Promise<void>;
  /** Relays a message under a caller-chosen id; connectors that cannot send leave it out. */
  sendMessage?(jid: string, message: WebMessage, opts: { id?: string }): Promise<SendResult>;
  /** Uploads media to the protocol's own media host; without it, `deps.upload` is used. */
  uploadMedia?: MediaUploader;
};

/** A send that cannot go out now (not connected) or was refused by WhatsApp. */
export class SendError extends WasockError {}

/**
 * One WhatsApp session on this worker: connector events → session state, normalized events →
 * the ordered publish queue (deduped in Redis), media → BullMQ jobs.
 */
export class SessionRunner {
  private readonly deps: SessionRunnerDeps;
  private readonly connector: RunnerConnector;
  private readonly log: Logger;
  private ownJid = '';
  private restored = false;
  private closing = false;

  constructor(connector: RunnerConnector, deps: SessionRunnerDeps) {
    this.connector = connector;
    this.deps = deps;
    this.log = deps.logger.child({ sid: deps.sid });
    const ev = connector.events;
    ev.on('qr', (q) => this.setState('awaiting_scan', { qr: q.qr }));
    ev.on('ready', (r) => void this.onReady(r));
    ev.on('state', (s) => void this.onState(s));
    ev.on('message', (m) => {
      // History that came with a fresh QR link (`add:last`/`before`) predates the gateway; after a
      // restore it may hold messages missed while away, which dedupe makes safe to publish.
      if (m.add !== 'relay' && !this.restored) return;
      this.onMessage(m.message);
    });
    ev.on('receipt', (r) => this.onReceipt(r));
  }

  /** Connects (QR or takeover); resolves once a QR shows or the session is connected. */
  async start(): Promise<void> {
    await this.connector.connect();
  }

  /** Logs out of WhatsApp (goodbye sent, credentials dropped); the session ends `logged_out`. */
  async logout(): Promise<void> {
    await this.connector.logout();
  }

  /**
   * Sends one queued message under its fixed id, then publishes it as a `message` event with
   * `fromMe: true` (its acks follow as the recipient receives, reads, plays it).
   */
  async send(job: SendJob): Promise<void> {
    const send = this.connector.sendMessage?.bind(this.connector);
    if (!send) throw new SendError('unsupported', 'this connector cannot send messages');
    if (this.connector.state !== 'connected') {
      throw new SendError('not_connected', `the session is ${this.connector.state}, not connected`);
    }
    const upload = this.connector.uploadMedia?.bind(this.connector) ?? this.deps.upload;
    const message = await buildOutbound(job.request, upload);
    const result = await send(job.request.to, message, { id: job.waId });
    if (result.status !== 200) throw new SendError('refused', `WhatsApp answered ${result.status}`);
    const info = {
      key: { remoteJid: job.request.to, fromMe: true, id: job.waId },
      message,
      messageTimestamp: result.t ?? Math.floor(Date.now() / 1000),
    };
    // Our own media is stored from the plaintext we hold, not downloaded back from WhatsApp.
    const media = job.request.media;
    this.onMessage(info, media ? Buffer.from(media.data, 'base64') : undefined);
  }

  /** Stops the connection; pending publishes stay queued and still go out. */
  async stop(): Promise<void> {
    this.closing = true;
    await this.connector.close();
  }

  private setState(
    state: 'awaiting_scan' | 'connected' | 'logged_out' | 'replaced' | 'failed',
    extra: { qr?: string; reason?: string } = {},
  ): void {
    this.deps.sessions
      .setState(this.deps.sid, state, { owner: this.deps.me, ...extra })
      .catch((err: unknown) => this.log.warn({ err, state }, 'recording the session state failed'));
  }

  private async onReady(r: ReadyEvent): Promise<void> {
    this.ownJid = r.wid;
    this.restored = r.restored;
    if (r.restored) this.deps.metrics.takeovers.inc();
    this.log.info({ restored: r.restored }, 'whatsapp session connected');
    try {
      if (r.credentials) await this.deps.saveCreds(r.credentials);
    } catch (err) {
      this.log.error({ err }, 'saving rotated credentials failed; the next takeover may need a QR');
    }
    this.setState('connected');
  }

  private async onState(s: StateChange): Promise<void> {
    if (this.closing) return;
    if (s.state === 'logged_out') {
      this.log.warn({ reason: s.reason }, 'the session was logged out');
      await this.deps
        .forgetCreds()
        .catch((err: unknown) => this.log.warn({ err }, 'forgetting credentials failed'));
      // The connector goes on to show a new QR; the state turns awaiting_scan with it.
      this.setState('logged_out', { reason: s.reason ?? 'logged out' });
    } else if (s.state === 'replaced') {
      this.log.warn('another client took the session over; stopping');
      this.setState('replaced', { reason: s.reason ?? 'replaced by another client' });
      this.deps.onEnded('replaced');
    } else if (s.state === 'closed') {
      this.setState('failed', { reason: s.reason ?? 'connection closed' });
      this.deps.onEnded('failed');
    }
  }

  private onMessage(info: WebMessageInfo, sentMedia?: Buffer): void {
    let out: ReturnType<NormalizeFns['message']>;
    try {
      out = this.deps.normalize.message(info, this.ownJid);
    } catch (err) {
      this.deps.metrics.badFrames.inc();
      this.log.warn({ err }, 'message could not be normalized; skipped');
      return;
    }
    if (!out) return;
    const { event, media } = out;
    const { sid, publisher, metrics } = this.deps;
    this.deps.queue.push({
      sid,
      kind: 'message',
      run: async () => {
        const published = await publisher.publishOnce(sid, event, dedupe.message(event.messageId));
        countPublish(metrics, 'message', published);
        // After the message is in the stream, so `media` always follows its `message`; also on a
        // duplicate, since a retry after a failed add lands here (job id and dedupe mark hold).
        if (!media) return;
        const job = { ...media, sid, messageId: event.messageId };
        if (!sentMedia) return this.deps.addMediaJob(job);
        await publishMedia(publisher, metrics, job, await this.deps.putMedia(sentMedia, media.mimeType));
      },
    });
  }

  private onReceipt(r: Receipt): void {
    const level = this.deps.normalize.ackLevel(r.ack);
    if (level === null) return;
    const { sid, publisher, metrics } = this.deps;
    for (const id of r.ids) {
      const messageId = `${r.fromMe}_${r.remoteJid}_${id}`;
      this.deps.queue.push({
        sid,
        kind: 'ack',
        run: async () => {
          const published = await publisher.publishOnce(
            sid,
            { content: 'ack', messageId, ack: level },
            dedupe.ack(messageId, level),
          );
          countPublish(metrics, 'ack', published);
        },
      });
    }
  }
}
