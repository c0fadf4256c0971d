import type { Logger } from '@wasock/runtime';
import type { SocketConfig } from '@whiskeysockets/baileys';

/** The logger interface Baileys accepts (pino-compatible). */
export type BaileysLogger = SocketConfig['logger'];

/** Baileys' default: only its warnings and errors reach the logs. */
export const DEFAULT_BAILEYS_LOG_LEVEL = 'warn';

/**
 * Our pino logger as Baileys' logger: a child tagged `lib: "baileys"` with its own level.
 * Baileys logs every frame at trace and a lot at info/debug; at `warn` an idle session writes
 * nothing, while a child (not a second pino) keeps our redaction and JSON lines for what it says.
 */
export function baileysLogger(parent: Logger, level: string = DEFAULT_BAILEYS_LOG_LEVEL): BaileysLogger {
  return parent.child({ lib: 'baileys' }, { level });
}
