import { EXIT } from './cli-error.ts';
import { eventsCommand } from './events.ts';
import { qrCommand } from './qr.ts';
import { runCli } from './run.ts';
import { sendCommand } from './send.ts';
import { sessionCommand } from './session.ts';
import { tokenCommand } from './token.ts';

// A reader that left (`wasock session list | head -n1`) ends the output: exit quietly instead of
// dying on an unhandled EPIPE with a stack trace. Any other stdout failure is one line, exit 1.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') process.stderr.write(`wasock: cannot write to stdout: ${err.message}\n`);
  process.exit(err.code === 'EPIPE' ? EXIT.ok : EXIT.failure);
});

process.exitCode = await runCli(process.argv.slice(2), {
  token: tokenCommand,
  session: sessionCommand,
  qr: qrCommand,
  events: eventsCommand,
  send: sendCommand,
});
