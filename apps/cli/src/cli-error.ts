import { WasockError } from '@wasock/contracts';

/** Exit codes a script can rely on. */
export const EXIT = { ok: 0, failure: 1, usage: 2, notFound: 3, invalid: 4 } as const;

/** A failure the CLI reports as one line on stderr and a fixed exit code. */
export class CliError extends WasockError {
  readonly exitCode: number;

  constructor(code: string, message: string, exitCode: number) {
    super(code, message);
    this.exitCode = exitCode;
  }
}

/** Wrong command line: unknown command, missing argument, bad flag. */
export function usageError(message: string): CliError {
  return new CliError('usage', message, EXIT.usage);
}
