import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import { StreamPublisher, TokenStore } from '@wasock/store';
import { ZodError, z } from 'zod';
import { eventIdArg, intArg, portArg, tokenArg } from './args.ts';
import { CliError, EXIT, invalidError, usageError } from './cli-error.ts';
import type { CliContext } from './context.ts';
import { prettyLine, sanitize } from './format.ts';

const PUBLISH_USAGE = "usage: wasock events publish <token> --json '<event>'";
const TAIL_USAGE =
  'usage: wasock events tail <token> [--host H] [--port P] [--since <eventId>] [--raw | --json] [--count N]';

/** `wasock events publish <token> --json '<event>'` and `wasock events tail <token> …`. */
export async function eventsCommand(ctx: CliContext, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'publish') return publish(ctx, rest);
  if (sub === 'tail') return tail(ctx, rest);
  throw usageError(`${PUBLISH_USAGE}\n${TAIL_USAGE}`);
}

async function publish(ctx: CliContext, rest: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: rest,
    options: { json: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const token = positionals[0];
  if (!token || positionals.length > 1 || values.json === undefined) throw usageError(PUBLISH_USAGE);
  let event: unknown;
  try {
    event = JSON.parse(values.json);
  } catch (err) {
    throw new CliError('invalid_event', `--json is not valid JSON: ${(err as Error).message}`, EXIT.invalid);
  }
  const sid = await new TokenStore(ctx.redis).resolve(token);
  if (!sid) throw new CliError('not_found', 'unknown or revoked token', EXIT.notFound);
  try {
    const published = await new StreamPublisher(ctx.redis).publish(sid, event);
    ctx.out(`published ${published.eventId}`);
  } catch (err) {
    if (err instanceof ZodError) {
      const reasons = err.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ');
      throw new CliError('invalid_event', `not a seed 000 event: ${reasons}`, EXIT.invalid);
    }
    throw err;
  }
}

/** What `events tail` connects to and how it prints. */
export interface TailOptions {
  host: string;
  port: number;
  token: string;
  since?: string;
  /** Print the lines exactly as received (`--raw`, `--json`). */
  raw: boolean;
  /** Stop after this many events (message, media, ack); resume notices do not count. */
  count: number;
  color: boolean;
}

// A host name or IP literal; anything with spaces or control characters is a typo.
const Host = z.string().regex(/^[A-Za-z0-9.:_[\]-]{1,253}$/, 'must be a host name or IP address');

function tailOptions(ctx: CliContext, rest: string[]): TailOptions {
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      since: { type: 'string' },
      raw: { type: 'boolean' },
      json: { type: 'boolean' },
      count: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw usageError(TAIL_USAGE);
  const host = Host.safeParse(values.host ?? '127.0.0.1');
  if (!host.success) throw invalidError(`--host: ${host.error.issues[0]?.message}`);
  // An empty EDGE_PORT counts as unset, as in every app's configuration.
  const envPort = process.env.EDGE_PORT || undefined;
  const port =
    values.port !== undefined
      ? portArg('--port', values.port)
      : envPort !== undefined
        ? portArg('EDGE_PORT', envPort)
        : 5026;
  return {
    host: host.data,
    port,
    token: tokenArg(positionals[0]!),
    ...(values.since !== undefined ? { since: eventIdArg('--since', values.since) } : {}),
    raw: values.raw === true || values.json === true,
    count: values.count !== undefined ? intArg('--count', values.count, 1, 1_000_000_000) : Infinity,
    color: ctx.color,
  };
}

async function tail(ctx: CliContext, rest: string[]): Promise<void> {
  await tailEdge(tailOptions(ctx, rest), ctx.out);
}

/** A line as a JSON object, or null when it is not one. */
function parseLine(text: string): Record<string, unknown> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null; // the caller reports it: not JSON means not an edge
  }
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : null;
}

const EVENT_KINDS = new Set(['message', 'media', 'ack']);
const CONNECT_TIMEOUT_MS = 10_000;
// Far above any event (bodies are at most 64 KiB, escaped), so only a broken peer reaches it.
const MAX_LINE_CHARS = 4 * 1024 * 1024;

/**
 * Connects to sock-edge like a client (a JSON hello with `ids`), prints every line, and settles
 * when the server closes (resolves), after `count` events (resolves), on an error line, a socket
 * error or SIGINT (rejects with a CliError).
 */
export function tailEdge(opts: TailOptions, out: (line: string) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const socket = connect({ host: opts.host, port: opts.port });
    let buffered = '';
    let events = 0;
    let settled = false;

    const finish = (err?: CliError): void => {
      if (settled) return;
      settled = true;
      process.off('SIGINT', onSigint);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    const onSigint = (): void => finish(new CliError('interrupted', 'interrupted', EXIT.interrupted));
    process.on('SIGINT', onSigint);

    const handle = (text: string): void => {
      if (settled || text === '') return;
      const line = parseLine(text);
      if (!line) {
        // The edge only ever sends JSON objects: this is some other server on that port.
        finish(
          new CliError(
            'bad_line',
            `edge ${opts.host}:${opts.port} sent a line that is not a JSON object; is it a wasock edge?`,
            EXIT.failure,
          ),
        );
        return;
      }
      if (line.content === 'error') {
        // The edge closes right after its error line; the line's message is the reason.
        const code = sanitize(String(line.code ?? 'error'));
        finish(new CliError(code, `${code}: ${sanitize(String(line.message ?? ''))}`, EXIT.failure));
        return;
      }
      if (opts.raw) out(text);
      else out(prettyLine(line, { color: opts.color, receivedAt: Date.now() }));
      if (typeof line.content === 'string' && EVENT_KINDS.has(line.content) && ++events >= opts.count) {
        finish();
      }
    };

    socket.setEncoding('utf8');
    socket.setKeepAlive(true, 30_000);
    // Only the connection attempt is timed: once connected, a quiet stream is a normal tail.
    socket.setTimeout(CONNECT_TIMEOUT_MS, () =>
      finish(
        new CliError('connect_failed', `edge ${opts.host}:${opts.port}: connect timed out`, EXIT.failure),
      ),
    );
    socket.once('connect', () => {
      socket.setTimeout(0);
      const hello = { token: opts.token, ids: true, ...(opts.since ? { since: opts.since } : {}) };
      socket.write(`${JSON.stringify(hello)}\n`);
    });
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.length > MAX_LINE_CHARS) {
        finish(
          new CliError('bad_line', `the edge sent a line over ${MAX_LINE_CHARS} characters`, EXIT.failure),
        );
        return;
      }
      let nl = buffered.indexOf('\n');
      while (nl >= 0 && !settled) {
        handle(buffered.slice(0, nl).replace(/\r$/, ''));
        buffered = buffered.slice(nl + 1);
        nl = buffered.indexOf('\n');
      }
    });
    socket.once('end', () => {
      // The server closed cleanly: a last line without its newline is still a line.
      handle(buffered);
      finish();
    });
    socket.once('error', (err: NodeJS.ErrnoException) =>
      finish(
        new CliError(
          'connect_failed',
          `edge ${opts.host}:${opts.port}: ${err.code ?? err.message}`,
          EXIT.failure,
        ),
      ),
    );
  });
}
