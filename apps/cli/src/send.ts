import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { type OutboundMedia, SendRequest } from '@wasock/contracts';
import { Outbox, SendRateLimitedError } from '@wasock/outbox';
import { SessionStore } from '@wasock/store';
import { intArg, sidArg } from './args.ts';
import { CliError, EXIT, invalidError, notFoundError, usageError } from './cli-error.ts';
import type { CliContext } from './context.ts';

const USAGE =
  'usage: wasock send <sid> --to <jid> [--text T] [--file PATH [--ptt|--document]] [--reply-to <messageId>]\n' +
  '                   [--idempotency-key K] [--wait [--timeout S]]';

const MIME: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.ogg': 'audio/ogg; codecs=opus',
  '.opus': 'audio/ogg; codecs=opus',
  '.mp3': 'audio/mpeg',
  '.pdf': 'application/pdf',
};
const MAX_FILE = 16 * 1024 * 1024;

/** The media part of a send from a file: images by extension, else a document; `--ptt` a voice note. */
export async function mediaFromFile(path: string, kind: 'auto' | 'ptt' | 'document'): Promise<OutboundMedia> {
  const data = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    throw notFoundError(`cannot read ${path}: ${err.code ?? err.message}`);
  });
  if (data.length > MAX_FILE) throw invalidError(`${path} is larger than 16 MiB`);
  const ext = extname(path).toLowerCase();
  const mimeType = MIME[ext] ?? 'application/octet-stream';
  const resolved = kind === 'auto' ? (mimeType.startsWith('image/') ? 'image' : 'document') : kind;
  return {
    kind: resolved,
    data: data.toString('base64'),
    mimeType,
    ...(resolved === 'document' ? { fileName: path.split('/').pop() as string } : {}),
  };
}

/** `wasock send <sid> …`: queues a message through the session's outbox; prints its messageId. */
export async function sendCommand(ctx: CliContext, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      to: { type: 'string' },
      text: { type: 'string' },
      file: { type: 'string' },
      ptt: { type: 'boolean' },
      document: { type: 'boolean' },
      'reply-to': { type: 'string' },
      'idempotency-key': { type: 'string' },
      wait: { type: 'boolean' },
      timeout: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1 || !values.to) throw usageError(USAGE);
  if (values.ptt && values.document) throw usageError('--ptt and --document exclude each other');
  if ((values.ptt || values.document) && !values.file)
    throw usageError('--ptt and --document go with --file');
  const sid = sidArg(positionals[0]!);
  const timeoutS = values.timeout ? intArg('--timeout', values.timeout, 1, 3600) : 60;
  const media = values.file
    ? await mediaFromFile(values.file, values.ptt ? 'ptt' : values.document ? 'document' : 'auto')
    : undefined;
  const parsed = SendRequest.safeParse({
    to: values.to,
    ...(values.text !== undefined ? { text: values.text } : {}),
    ...(values['reply-to'] ? { replyTo: values['reply-to'] } : {}),
    ...(media ? { media } : {}),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidError(`${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}`);
  }
  if (!(await new SessionStore(ctx.redis).get(sid))) {
    throw notFoundError(`no session ${sid}`);
  }
  const outbox = new Outbox(ctx.redis, { sendsPerMinute: Number(process.env.SENDS_PER_MINUTE ?? 60) });
  try {
    const queued = await outbox.enqueue(sid, parsed.data, values['idempotency-key']);
    ctx.out(queued.messageId);
    if (!values.wait) return;
    const deadline = Date.now() + timeoutS * 1000;
    for (;;) {
      const status = await outbox.status(sid, queued.waId);
      if (status?.state === 'sent') return;
      if (status?.state === 'failed')
        throw new CliError('send_failed', `not sent: ${status.error ?? 'failed'}`, EXIT.failure);
      if (Date.now() > deadline)
        throw new CliError('timeout', `not sent within ${timeoutS} s (${status?.state})`, EXIT.failure);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (err) {
    if (err instanceof SendRateLimitedError) {
      throw new CliError('rate_limited', `${err.message}`, EXIT.failure);
    }
    throw err;
  } finally {
    await outbox.close();
  }
}
