import { eventsCommand } from './events.ts';
import { runCli } from './run.ts';
import { tokenCommand } from './token.ts';

process.exitCode = await runCli(process.argv.slice(2), { token: tokenCommand, events: eventsCommand });
