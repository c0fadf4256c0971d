import { parseArgs } from 'node:util';
import { TokenStore } from '@wasock/store';
import { CliError, EXIT, usageError } from './cli-error.ts';
import type { CliContext } from './context.ts';

/** `wasock token create [--label L]` and `wasock token revoke <token>`. */
export async function tokenCommand(ctx: CliContext, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  const store = new TokenStore(ctx.redis);
  if (sub === 'create') {
    const { values } = parseArgs({ args: rest, options: { label: { type: 'string' } }, strict: true });
    const label = values.label ?? '';
    if (label.length > 200) throw usageError('--label is at most 200 characters');
    const { token, sid } = await store.create({ label });
    ctx.out(`session: ${sid}`);
    // Alone on the last line, so scripts can take it with `tail -n1`.
    ctx.out(token);
    return;
  }
  if (sub === 'revoke') {
    const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true });
    const token = positionals[0];
    if (!token || positionals.length > 1) throw usageError('usage: wasock token revoke <token>');
    if (!(await store.revoke(token)))
      throw new CliError('not_found', 'unknown or already revoked token', EXIT.notFound);
    ctx.out('revoked');
    return;
  }
  throw usageError('usage: wasock token <create [--label L] | revoke <token>>');
}
