import { type MediaEvent, WasockError } from '@wasock/contracts';
import type { Logger } from '@wasock/runtime';
import { dedupe, keys, type RedisLike, type StreamPublisher } from '@wasock/store';
import { downloadMultiDeviceMedia, MultiDeviceMediaError, multiDeviceMediaRef } from '@wasock/wa-md';
import { decryptMedia, type MediaType } from '@wasock/wa-web';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { z } from 'zod';
import type { MediaStore } from './media-store.ts';
import { extensionFor } from './media-store.ts';
import { countPublish, type WorkerMetrics } from './metrics.ts';
import type { NormalizeFns } from './session-runner.ts';

export const MEDIA_QUEUE = 'media';

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

/** What a media job needs: where the encrypted file is and how to open it. */
export const MediaJobData = z.object({
  sid: z.string().min(1),
  messageId: z.string().min(1),
  url: z.string().url(),
  mediaKey: b64.min(1),
  mediaType: z.enum(['image', 'video', 'audio', 'document', 'sticker']),
  mimeType: z.string().min(1).max(256),
  fileName: z.string().max(1024).optional(),
  fileSha256: b64.optional(),
  fileEncSha256: b64.optional(),
  /** The connector of the message; absent means legacy (jobs queued before multi-device). */
  source: z.enum(['legacy', 'multidevice']).optional(),
  /** Multi-device: the file's download reference for Baileys' helper (JSON, see MultiDeviceMediaRef). */
  message: z.string().max(16_384).optional(),
});
export type MediaJobData = z.infer<typeof MediaJobData>;

// What a multi-device job's `message` must hold.
const MultiDeviceRef = z.object({
  mediaType: z.enum(['image', 'video', 'audio', 'document']),
  mediaKey: b64.min(1),
  url: z.string().url().optional(),
  directPath: z.string().startsWith('/').optional(),
});

/**
 * The normalizer for multi-device sessions: their media jobs carry the file's reference, so the
 * job fetches it with Baileys' helper.
 */
export function withMultiDeviceMedia(base: NormalizeFns): NormalizeFns {
  return {
    ackLevel: base.ackLevel,
    message(info, ownJid) {
      const out = base.message(info, ownJid);
      const ref = out?.media ? multiDeviceMediaRef(info) : null;
      if (!out?.media || !ref) return out;
      return { ...out, media: { ...out.media, source: 'multidevice', message: JSON.stringify(ref) } };
    },
  };
}

/**
 * Publishes the seed `media` event of a file stored at `url`, once per message (the file name
 * falls back to `<type>.<ext>`), and counts it.
 */
export async function publishMedia(
  publisher: StreamPublisher,
  metrics: WorkerMetrics,
  media: Pick<MediaJobData, 'sid' | 'messageId' | 'mediaKey' | 'mediaType' | 'mimeType' | 'fileName'>,
  url: string,
): Promise<void> {
  const event: MediaEvent = {
    content: 'media',
    mediaKey: media.mediaKey,
    mediaData: url,
    mimeType: media.mimeType,
    fileName: media.fileName || `${media.mediaType}.${extensionFor(media.mimeType)}`,
  };
  countPublish(
    metrics,
    'media',
    await publisher.publishOnce(media.sid, event, dedupe.media(media.messageId)),
  );
}

/** A media download that retrying will not fix (bad MAC, too large, 4xx). */
export class MediaError extends WasockError {}

/** Downloads at most `maxBytes` from `url`. */
export async function download(url: string, maxBytes: number, timeoutMs = 30_000): Promise<Uint8Array> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (res.status >= 400 && res.status < 500)
    throw new MediaError('media_gone', `media download answered ${res.status}`);
  if (!res.ok || !res.body) throw new Error(`media download answered ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes)
    throw new MediaError('media_too_large', `media is ${declared} bytes, over ${maxBytes}`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    total += chunk.length;
    if (total > maxBytes) throw new MediaError('media_too_large', `media is over ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export interface MediaJobsOptions {
  connection: RedisLike;
  logger: Logger;
  metrics: WorkerMetrics;
  attempts: number;
}

/** The BullMQ queue of media downloads (the producer side). */
export class MediaQueue {
  readonly queue: Queue;

  constructor(opts: MediaJobsOptions) {
    this.queue = new Queue(MEDIA_QUEUE, {
      connection: opts.connection,
      prefix: keys.queuePrefix(),
      defaultJobOptions: {
        attempts: opts.attempts,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: { count: 1000 },
        // Failed jobs stay visible (BullMQ's failed set) for operators.
        removeOnFail: { count: 10_000 },
      },
    });
  }

  /** Queues the download of a message's media; the job id makes a re-delivered message queue once. */
  async add(data: MediaJobData): Promise<void> {
    const job = MediaJobData.parse(data);
    await this.queue.add('download', job, { jobId: `${job.sid}.${job.messageId}`.replace(/:/g, '_') });
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

/** Runs media jobs: download, MAC check, decrypt, store, publish the seed `media` event. */
export function startMediaWorker(
  opts: MediaJobsOptions & {
    store: MediaStore;
    publisher: StreamPublisher;
    maxBytes: number;
    concurrency: number;
  },
): Worker {
  const { metrics, logger } = opts;
  const worker = new Worker(
    MEDIA_QUEUE,
    async (job: Job) => {
      try {
        await processJob(job);
      } catch (err) {
        // Retrying cannot fix a bad MAC, an oversized file or a 404: fail at once, visibly.
        if (err instanceof MediaError) throw new UnrecoverableError(`${err.code}: ${err.message}`);
        throw err;
      }
    },
    { connection: opts.connection, prefix: keys.queuePrefix(), concurrency: opts.concurrency },
  );
  async function processJob(job: Job): Promise<void> {
    const started = performance.now();
    const data = MediaJobData.parse(job.data);
    const log = logger.child({ sid: data.sid, messageId: data.messageId, job: job.id });
    const plain = data.source === 'multidevice' ? await fetchMultiDevice(data) : await fetchLegacy(data);
    const url = await opts.store.put(plain, { mimeType: data.mimeType });
    await publishMedia(opts.publisher, metrics, data, url);
    metrics.mediaDuration.observe((performance.now() - started) / 1000);
    log.debug({ bytes: plain.length }, 'media stored and published');
  }
  // Legacy media: our own download, MAC check and decryption.
  async function fetchLegacy(data: MediaJobData): Promise<Buffer> {
    const file = await download(data.url, opts.maxBytes);
    try {
      return decryptMedia(file, Buffer.from(data.mediaKey, 'base64'), data.mediaType as MediaType, {
        ...(data.fileSha256 ? { fileSha256: Buffer.from(data.fileSha256, 'base64') } : {}),
        ...(data.fileEncSha256 ? { fileEncSha256: Buffer.from(data.fileEncSha256, 'base64') } : {}),
      });
    } catch (err) {
      throw new MediaError('media_corrupt', `media failed verification: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  // Multi-device media: Baileys' download helper, then the plaintext hash.
  async function fetchMultiDevice(data: MediaJobData): Promise<Buffer> {
    const ref = MultiDeviceRef.safeParse(parseJson(data.message));
    if (!ref.success)
      throw new MediaError('media_ref_invalid', 'multi-device media job without a valid reference');
    try {
      return await downloadMultiDeviceMedia(ref.data, {
        maxBytes: opts.maxBytes,
        ...(data.fileSha256 ? { fileSha256: data.fileSha256 } : {}),
      });
    } catch (err) {
      if (err instanceof MultiDeviceMediaError) throw new MediaError(err.code, err.message, { cause: err });
      throw err;
    }
  }
  worker.on('completed', () => metrics.mediaJobs.inc({ outcome: 'completed' }));
  worker.on('failed', (job, err) => {
    const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1) || err instanceof UnrecoverableError;
    metrics.mediaJobs.inc({ outcome: final ? 'failed' : 'retried' });
    const log = logger.child({ sid: job?.data?.sid, messageId: job?.data?.messageId, job: job?.id });
    if (final) log.error({ err, attempts: job?.attemptsMade }, 'media job failed for good');
    else log.warn({ err, attempts: job?.attemptsMade }, 'media job failed; will retry');
  });
  worker.on('error', (err) => logger.warn({ err }, 'media worker error'));
  return worker;
}

// A job's JSON field (undefined when absent); text that is not JSON fails the job for good.
function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new MediaError('media_ref_invalid', 'multi-device media reference is not JSON', { cause: err });
  }
}
