import { WasockError } from '@wasock/contracts';
import { CliError, EXIT } from './cli-error.ts';
import { type CliContext, openContext } from './context.ts';

export type Command = (ctx: CliContext, args: string[]) => Promise<void>;

const USAGE = `usage: wasock <command>
  token create [--label L]      create a token and its session; the token is the last line
  token revoke <token>          revoke a token and close its open connections
  events publish <token> --json '<event>'   publish a seed 000 event (validated)`;

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
    const what = err instanceof WasockError ? `${err.code}: ${err.message}` : (err as Error).message;
    process.stderr.write(`wasock: ${what}\n`);
    return EXIT.failure;
  } finally {
    ctx?.redis.disconnect();
  }
}
