import { parseArgs } from 'node:util';
import { z } from 'zod';

/** Validated command line of `wa-sim`. */
export const CliArgs = z.object({
  port: z.coerce.number().int().min(0).max(65_535),
  controlPort: z.coerce.number().int().min(0).max(65_535),
  host: z.string().min(1).default('127.0.0.1'),
  ttlMs: z.coerce.number().int().min(50).max(600_000).default(20_000),
  challenge: z.boolean().default(true),
  publicUrl: z.url().optional(),
});
export type CliArgs = z.infer<typeof CliArgs>;

/** The usage text printed on bad arguments. */
export const USAGE = `usage: wa-sim --port <ws port> --control-port <http port> [--host 127.0.0.1]
              [--ttl-ms 20000] [--no-challenge] [--public-url http://host:port]`;

/** Parses argv (without node and the script); throws an Error whose message says what is wrong. */
export function parseCliArgs(argv: string[]): CliArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      'control-port': { type: 'string' },
      host: { type: 'string' },
      'ttl-ms': { type: 'string' },
      'no-challenge': { type: 'boolean' },
      'public-url': { type: 'string' },
    },
  });
  const parsed = CliArgs.safeParse({
    port: values.port,
    controlPort: values['control-port'],
    host: values.host,
    ttlMs: values['ttl-ms'],
    challenge: values['no-challenge'] ? false : undefined,
    publicUrl: values['public-url'],
  });
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `--${kebab(String(i.path[0]))}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
