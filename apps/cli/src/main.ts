import { eventsCommand } from './events.ts';
import { qrCommand } from './qr.ts';
import { runCli } from './run.ts';
import { sessionCommand } from './session.ts';
import { tokenCommand } from './token.ts';

process.exitCode = await runCli(process.argv.slice(2), {
  token: tokenCommand,
  session: sessionCommand,
  qr: qrCommand,
  events: eventsCommand,
});
