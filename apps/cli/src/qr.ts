import { parseArgs } from 'node:util';
import { duplicateAs, keys, type SessionRecord, SessionStore } from '@wasock/store';
import { intArg, sidArg } from './args.ts';
import { CliError, EXIT, usageError } from './cli-error.ts';
import type { CliContext } from './context.ts';
import { sanitize } from './format.ts';
import { renderQr } from './qr-render.ts';
import { existing } from './session.ts';

const USAGE = 'usage: wasock qr <sid> [--timeout <seconds>] [--invert]';

// A worker heartbeats every LEASE_RENEW_MS and is dead after LEASE_TTL_MS (15 s by default):
// one seen within that window may still claim the session.
const WORKER_ALIVE_MS = 15_000;
// The lease is not announced on the changes channel, so the "waiting for …" line is refreshed
// by polling too; state changes themselves arrive at once through the subscription.
const POLL_MS = 1000;

/** What the session needs before a code can be scanned, as facts read from Redis. */
export interface WaitFacts {
  record: SessionRecord;
  /** Worker holding the session's lease, or null. */
  leaseOwner: string | null;
  /** Workers that heartbeated recently. */
  liveWorkers: number;
}

/** Why `qr` is still waiting (one line), or null when there is a QR to show or it is connected. */
export function waitReason({ record, leaseOwner, liveWorkers }: WaitFacts): string | null {
  const sid = record.sid;
  const why = record.reason ? ` (${sanitize(record.reason)})` : '';
  const restart = `run "wasock session restart ${sid}" to link it again`;
  const noWorker = 'no session worker is running (start one: pnpm session-worker)';
  switch (record.state) {
    case 'connected':
      return null;
    case 'awaiting_scan':
      return record.qr ? null : `session ${sid} awaits a scan; waiting for its QR`;
    case 'new':
      if (leaseOwner) return `worker ${sanitize(leaseOwner)} is starting session ${sid}; waiting for its QR`;
      return liveWorkers > 0
        ? `session ${sid} is new; waiting for a session worker to claim it`
        : `session ${sid} is new and ${noWorker}`;
    case 'logged_out':
      return leaseOwner
        ? `session ${sid} was logged out${why}; waiting for the new QR`
        : `session ${sid} was logged out${why}; ${restart}`;
    case 'replaced':
      return `session ${sid} was replaced by another client${why}; ${restart}`;
    case 'failed':
      if (leaseOwner) return `session ${sid} failed${why}; worker ${sanitize(leaseOwner)} is retrying it`;
      return liveWorkers > 0
        ? `session ${sid} failed${why}; waiting for a worker to retry it, or ${restart}`
        : `session ${sid} failed${why}; ${noWorker}`;
  }
}

/** How the screen is drawn: in place on a terminal, appended as plain text otherwise. */
interface Screen {
  show(lines: string[]): void;
  done(): void;
}

function terminalScreen(out: (s: string) => void): Screen {
  // Hide the cursor while the code is up (it would sit in the quiet zone) and give it back at the end.
  out('\x1b[?25l');
  return {
    show: (lines) => out(`\x1b[H\x1b[2J${lines.join('\n')}\n`),
    done: () => out('\x1b[?25h'),
  };
}

function plainScreen(out: (s: string) => void): Screen {
  return { show: (lines) => out(`${lines.join('\n')}\n`), done: () => undefined };
}

/** Options of `wasock qr`. */
export interface QrOptions {
  sid: string;
  timeoutMs: number;
  invert: boolean;
}

/**
 * `wasock qr <sid>`: draws the session's current QR and redraws it each time the ref rotates,
 * until the session is connected (prints `connected`). Waits at most `--timeout` seconds.
 */
export async function qrCommand(ctx: CliContext, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { timeout: { type: 'string' }, invert: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw usageError(USAGE);
  const opts: QrOptions = {
    sid: sidArg(positionals[0]!),
    timeoutMs: intArg('--timeout', values.timeout ?? '120', 1, 86_400) * 1000,
    invert: values.invert === true,
  };
  await watchQr(ctx, opts);
}

async function watchQr(ctx: CliContext, opts: QrOptions): Promise<void> {
  const store = new SessionStore(ctx.redis);
  await existing(store, opts.sid);
  const write = (s: string) => process.stdout.write(s);
  const screen = ctx.tty ? terminalScreen(write) : plainScreen(write);
  // Subscribed before the first read, so a change between the read and the subscription is not lost.
  const sub = duplicateAs(ctx.redis, 'wasock-cli-qr');
  // Listening from the start: an error before the wait begins still ends the command cleanly.
  const redisFailure = (err: Error) => new CliError('redis', `Redis: ${err.message}`, EXIT.failure);
  let lastSubError: Error | undefined;
  let onSubError = (err: Error): void => {
    lastSubError = err;
  };
  sub.on('error', (err: Error) => onSubError(err));
  let timer: NodeJS.Timeout | undefined;
  let poll: NodeJS.Timeout | undefined;
  let onSigint: (() => void) | undefined;
  let onResize: (() => void) | undefined;
  try {
    await sub.subscribe(keys.sessionChanges()).catch((err: Error) => {
      throw redisFailure(lastSubError ?? err);
    });
    await new Promise<void>((resolve, reject) => {
      let shown = '';
      let last: SessionRecord | undefined;
      let busy = false;
      let again = false;
      let settled = false;
      const finish = (err?: Error): void => {
        if (settled) return;
        settled = true;
        if (err) reject(err);
        else resolve();
      };

      const draw = (facts: WaitFacts): void => {
        const { record } = facts;
        if (record.state === 'connected') {
          screen.show(['connected']);
          finish();
          return;
        }
        const reason = waitReason(facts);
        const key = reason ?? `qr:${record.qr}`;
        if (key === shown) return;
        shown = key;
        if (reason !== null) {
          screen.show([`waiting: ${reason}`]);
          return;
        }
        const code = renderQr(record.qr!, { invert: opts.invert });
        // On a terminal the colours are fixed (white ink on black, or black on white with
        // --invert), so the code reads dark-on-light on any theme; plain output relies on the
        // viewer's terminal being light-on-dark, or on --invert when it is not.
        const sgr = opts.invert ? '30;107' : '97;40';
        const lines = ctx.color ? code.map((l) => `\x1b[${sgr}m${l}\x1b[0m`) : code;
        const width = [...(code[0] ?? '')].length;
        const cols = process.stdout.columns;
        screen.show([
          ...lines,
          `scan with WhatsApp → Linked devices to link session ${opts.sid}`,
          'the code changes when WhatsApp rotates it; this view follows',
          ...(ctx.tty && cols !== undefined && cols > 0 && cols < width
            ? [`the terminal is ${cols} columns wide; the code needs ${width}: widen it`]
            : []),
        ]);
      };

      // One read at a time; a change during a read triggers one more read, never a pile-up.
      const refresh = async (): Promise<void> => {
        if (busy) {
          again = true;
          return;
        }
        busy = true;
        try {
          do {
            again = false;
            const record = await store.get(opts.sid);
            if (!record)
              return finish(new CliError('not_found', `session ${opts.sid} was deleted`, EXIT.notFound));
            last = record;
            const [leaseOwner, liveWorkers] = await Promise.all([
              ctx.redis.get(keys.lease(opts.sid)),
              ctx.redis.zcount(keys.workers(), Date.now() - WORKER_ALIVE_MS, '+inf'),
            ]);
            if (settled) return;
            draw({ record, leaseOwner, liveWorkers });
          } while (again && !settled);
        } catch (err) {
          finish(err as Error);
        } finally {
          busy = false;
        }
      };

      sub.on('message', (_channel: string, message: string) => {
        if (message.startsWith(`${opts.sid} `)) void refresh();
      });
      // retryStrategy is off for the CLI: a lost connection ends the command instead of hanging.
      onSubError = (err) => finish(redisFailure(err));
      sub.once('end', () => finish(new CliError('redis', 'lost the Redis connection', EXIT.failure)));
      timer = setTimeout(() => {
        const state = last ? ` (state ${last.state})` : '';
        finish(
          new CliError(
            'timeout',
            `timed out after ${opts.timeoutMs / 1000} s: session ${opts.sid} is not connected${state}`,
            EXIT.failure,
          ),
        );
      }, opts.timeoutMs);
      poll = setInterval(() => void refresh(), POLL_MS);
      onSigint = () => finish(new CliError('interrupted', 'interrupted', EXIT.interrupted));
      process.on('SIGINT', onSigint);
      // A resized terminal was scrolled or cleared: draw again (and re-check the width warning).
      onResize = () => {
        shown = '';
        void refresh();
      };
      process.stdout.on('resize', onResize);
      void refresh();
    });
  } finally {
    clearTimeout(timer);
    clearInterval(poll);
    if (onSigint) process.off('SIGINT', onSigint);
    if (onResize) process.stdout.off('resize', onResize);
    sub.disconnect();
    screen.done();
  }
}
