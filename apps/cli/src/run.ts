import { WasockError } from '@wasock/contracts';
import { CliError, EXIT } from './cli-error.ts';
import { type CliContext, openContext } from './context.ts';

export type Command = (ctx: CliContext, args: string[]) => Promise<void>;

const USAGE = `usage: wasock <command>
  token create [--label L]          create a token and its session; the token is the last line
  token list [--json]               every token's session, label, state, created (never the token)
  token revoke <token>              revoke a token and close its open connections
  session list [--json]             every session: state, owner, last update, label
  session show <sid> [--json]       one session's record (--json adds the QR text)
  session logout <sid>              log the session out of WhatsApp; it needs a new QR scan
  session restart <sid>             reconnect the session (stored credentials, or a new QR)
  session pair <sid> <phone> [--wait] [--timeout S] [--json]
                                    link by phone number: the code to type on that phone
  qr <sid> [--timeout S] [--invert] draw the session's QR, follow rotations, exit when connected
  events tail <token> [--host H] [--port P] [--since ID] [--raw|--json] [--count N]
                                    print the token's events as a client receives them
  events publish <token> --json '<event>'   publish a seed 000 event (validated)
  send <sid> --to <jid> [--text T] [--file PATH [--ptt|--document]] [--reply-to ID]
       [--idempotency-key K] [--wait [--timeout S]]
                                    send a message; prints its messageId (--wait: until sent)

exit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 invalid input, 130 interrupted
env: REDIS_URL (default redis://127.0.0.1:6379), EDGE_PORT (events tail, default 5026),
     SENDS_PER_MINUTE (send, default 60)`;

/** Runs one CLI invocation and returns its exit code; errors become one line on stderr. */
export async function runCli(argv: string[], commands: Record<string, Command>): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`wasock: unknown command "${name}"\n${USAGE}\n`);
    return EXIT.usage;
  }
  let ctx: CliContext | undefined;
  try {
    ctx = openContext();
    await command(ctx, args);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`wasock: ${err.message}\n`);
      return err.exitCode;
    }
    // parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for bad flags.
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`wasock: ${(err as Error).message}\n`);
      return EXIT.usage;
    }
    const cause = ctx?.redisError();
    const what = cause
      ? `Redis unreachable: ${cause.message}`
      : err instanceof WasockError
        ? `${err.code}: ${err.message}`
        : (err as Error).message;
    process.stderr.write(`wasock: ${what}\n`);
    return EXIT.failure;
  } finally {
    ctx?.close();
  }
}
