import { parseArgs } from 'node:util';
import { keys, type SessionRecord, SessionStore } from '@wasock/store';
import { sidArg } from './args.ts';
import { notFoundError, usageError } from './cli-error.ts';
import type { CliContext } from './context.ts';
import { byCreated, sessionDetails, sessionJson, sessionShowJson, sessionTable } from './format.ts';
import { pairCommand } from './pair.ts';

const USAGE =
  'usage: wasock session <list [--json] | show <sid> [--json] | logout <sid> | restart <sid> | pair <sid> <phone>>';

/** `wasock session list|show|logout|restart|pair`. */
export async function sessionCommand(ctx: CliContext, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'pair') return pairCommand(ctx, rest);
  const { values, positionals } = parseArgs({
    args: rest,
    options: { json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const store = new SessionStore(ctx.redis);
  if (sub === 'list') {
    if (positionals.length > 0) throw usageError('usage: wasock session list [--json]');
    const records = byCreated(await store.list());
    if (values.json) ctx.out(JSON.stringify(records.map(sessionJson)));
    else if (records.length === 0) ctx.out('no sessions');
    else for (const line of sessionTable(records)) ctx.out(line);
    return;
  }
  if (sub !== 'show' && sub !== 'logout' && sub !== 'restart') throw usageError(USAGE);
  if (positionals.length !== 1)
    throw usageError(`usage: wasock session ${sub} <sid>${sub === 'show' ? ' [--json]' : ''}`);
  if (values.json && sub !== 'show') throw usageError(`wasock session ${sub} takes no --json`);
  const record = await existing(store, sidArg(positionals[0]!));
  if (sub === 'show') {
    if (values.json) ctx.out(JSON.stringify(sessionShowJson(record)));
    else for (const line of sessionDetails(record)) ctx.out(line);
    return;
  }
  if (sub === 'logout') {
    // The store sends the logout to the worker holding the lease, or records it here when no
    // worker runs the session; say which, since the first finishes only when the worker acts.
    const running = (await ctx.redis.exists(keys.lease(record.sid))) === 1;
    await store.logout(record.sid);
    ctx.out(running ? `logout sent to the worker running ${record.sid}` : `logged out ${record.sid}`);
    return;
  }
  await store.restart(record.sid);
  ctx.out(`restarting ${record.sid}`);
}

/** Reads a session or fails with exit 3. */
export async function existing(store: SessionStore, sid: string): Promise<SessionRecord> {
  const record = await store.get(sid);
  if (!record) throw notFoundError(`no session ${sid}`);
  return record;
}
