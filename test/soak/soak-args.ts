import { parseArgs } from 'node:util';
import { z } from 'zod';

/** Validated command line of `pnpm soak`. */
export const SoakArgs = z.object({
  minutes: z.coerce.number().min(0.2).max(240),
  sessions: z.coerce.number().int().min(1).max(200).default(8),
  rate: z.coerce.number().min(1).max(2000).default(40),
  faultEverySeconds: z.coerce.number().min(5).max(3600).default(60),
  out: z.string().min(1).default('test/soak/results'),
});
export type SoakArgs = z.infer<typeof SoakArgs>;

export const USAGE =
  'usage: pnpm soak --minutes N [--sessions 8] [--rate 40 msgs/s] [--fault-every-seconds 60] [--out test/soak/results]';

/** Parses argv; throws with a message naming the bad flag. */
export function parseSoakArgs(argv: string[]): SoakArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      minutes: { type: 'string' },
      sessions: { type: 'string' },
      rate: { type: 'string' },
      'fault-every-seconds': { type: 'string' },
      out: { type: 'string' },
    },
  });
  const parsed = SoakArgs.safeParse({
    minutes: values.minutes,
    sessions: values.sessions,
    rate: values.rate,
    faultEverySeconds: values['fault-every-seconds'],
    out: values.out,
  });
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
  }
  return parsed.data;
}
