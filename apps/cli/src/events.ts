import { parseArgs } from 'node:util';
import { StreamPublisher, TokenStore } from '@wasock/store';
import { ZodError } from 'zod';
import { CliError, EXIT, usageError } from './cli-error.ts';
import type { CliContext } from './context.ts';

/** `wasock events publish <token> --json '<seed 000 event>'`. */
export async function eventsCommand(ctx: CliContext, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'publish') throw usageError("usage: wasock events publish <token> --json '<event>'");
  const { values, positionals } = parseArgs({
    args: rest,
    options: { json: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const token = positionals[0];
  if (!token || positionals.length > 1 || values.json === undefined) {
    throw usageError("usage: wasock events publish <token> --json '<event>'");
  }
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
