import { parseArgs } from 'node:util';
import { isConnectorKind, SessionStore, TokenStore } from '@wasock/store';
import { CliError, EXIT, usageError } from './cli-error.ts';
import type { CliContext } from './context.ts';
import { byCreated, tokenJson, tokenTable } from './format.ts';

/** `wasock token create [--label L]`, `wasock token list [--json]` and `wasock token revoke <token>`. */
export async function tokenCommand(ctx: CliContext, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  const store = new TokenStore(ctx.redis);
  if (sub === 'create') {
    const { values } = parseArgs({
      args: rest,
      options: { label: { type: 'string' }, connector: { type: 'string' } },
      strict: true,
    });
    const label = values.label ?? '';
    if (label.length > 200) throw usageError('--label is at most 200 characters');
    const connector = values.connector;
    if (connector !== undefined && !isConnectorKind(connector))
      throw usageError('--connector is legacy or multidevice');
    const { token, sid } = await store.create({ label, ...(connector ? { connector } : {}) });
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
  if (sub === 'list') {
    const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } }, strict: true });
    // Each session is one token; the record holds only the token's hash, so the token itself
    // cannot be shown, by design.
    const records = byCreated(await new SessionStore(ctx.redis).list());
    if (values.json) ctx.out(JSON.stringify(records.map(tokenJson)));
    else if (records.length === 0) ctx.out('no tokens');
    else for (const line of tokenTable(records)) ctx.out(line);
    return;
  }
  throw usageError('usage: wasock token <create [--label L] | list [--json] | revoke <token>>');
}
