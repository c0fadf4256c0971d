import { parseArgs } from 'node:util';
import { PairingStore, SessionStore } from '@wasock/store';
import { intArg, phoneArg, sidArg } from './args.ts';
import { CliError, EXIT, usageError } from './cli-error.ts';
import type { CliContext } from './context.ts';
import { sanitize } from './format.ts';
import { existing } from './session.ts';

const USAGE = 'usage: wasock session pair <sid> <phone number> [--timeout <seconds>] [--wait] [--json]';
const POLL_MS = 500;
// The worker gives up after 20 s when the session cannot reach the link stage; waiting longer
// for its answer helps nothing. Typing the code on the phone may take minutes (`--timeout`).
const ANSWER_TIMEOUT_MS = 30_000;

/** The code as WhatsApp shows it on the phone: two groups of four. */
export function formatPairingCode(code: string): string {
  return code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}

/**
 * `wasock session pair <sid> <phone>`: asks the worker running a multi-device session for a
 * pairing code and prints it; `--wait` then waits until the phone has linked (`--timeout`).
 */
export async function pairCommand(ctx: CliContext, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { timeout: { type: 'string' }, wait: { type: 'boolean' }, json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 2) throw usageError(USAGE);
  const sid = sidArg(positionals[0]!);
  const phoneNumber = phoneArg(positionals[1]!);
  const timeoutMs = intArg('--timeout', values.timeout ?? '120', 1, 3600) * 1000;
  const sessions = new SessionStore(ctx.redis);
  const record = await existing(sessions, sid);
  if (record.state === 'connected')
    throw new CliError('already_linked', `session ${sid} is connected: it is already linked`, EXIT.failure);

  const pairing = new PairingStore(ctx.redis);
  const requestId = await pairing.request(sid, phoneNumber);
  if (!requestId)
    throw new CliError(
      'not_running',
      `no session worker runs session ${sid} (state ${record.state}); start one, or run "wasock session restart ${sid}"`,
      EXIT.failure,
    );
  const answerMs = Math.min(timeoutMs, ANSWER_TIMEOUT_MS);
  const outcome = await pairing.waitForOutcome(sid, requestId, { timeoutMs: answerMs });
  if (!outcome)
    throw new CliError(
      'timeout',
      `timed out after ${answerMs / 1000} s waiting for the answer of the worker running ${sid}`,
      EXIT.failure,
    );
  if ('error' in outcome) {
    const code = sanitize(outcome.error.code);
    throw new CliError(code, `${code}: ${sanitize(outcome.error.message)}`, EXIT.failure);
  }
  if (values.json) ctx.out(JSON.stringify({ code: outcome.code, phoneNumber: outcome.phoneNumber }));
  else {
    ctx.out(`pairing code: ${formatPairingCode(outcome.code)}`);
    ctx.out(
      `on the phone of +${outcome.phoneNumber}: WhatsApp → Linked devices → Link a device → Link with phone number instead, then type the code`,
    );
  }
  if (values.wait) {
    await waitConnected(sessions, sid, timeoutMs);
    if (!values.json) ctx.out('connected');
  }
}

// The phone confirms within the code's life; polling is enough for a one-off command.
async function waitConnected(sessions: SessionStore, sid: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = await existing(sessions, sid);
    if (record.state === 'connected') return;
    if (Date.now() >= deadline)
      throw new CliError(
        'timeout',
        `timed out after ${timeoutMs / 1000} s: session ${sid} is not connected (state ${record.state})`,
        EXIT.failure,
      );
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
