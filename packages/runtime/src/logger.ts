import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

// Tokens and WhatsApp credentials must never reach a log line, whatever object they ride in.
const REDACT = [
  'token',
  'adminToken',
  'secret',
  'creds',
  'credentials',
  'encKey',
  'macKey',
  'clientToken',
  'serverToken',
  'password',
  'authorization',
  '*.token',
  '*.secret',
  '*.creds',
  '*.encKey',
  '*.macKey',
  '*.clientToken',
  '*.serverToken',
  '*.authorization',
  'req.headers.authorization',
  'headers.authorization',
];

/** The process logger: JSON lines on stdout, secrets redacted, `app` on every line. */
export function createLogger(opts: {
  name: string;
  level?: string;
  destination?: DestinationStream;
}): Logger {
  return pino(
    {
      name: opts.name,
      level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
      base: { app: opts.name, pid: process.pid },
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination ?? pino.destination(1),
  );
}
