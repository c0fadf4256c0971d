import { WasockError } from '@wasock/contracts';

/**
 * Exit codes a script can rely on. `interrupted` is the shell's own code for Ctrl-C (128 +
 * SIGINT), so a script sees the same code whether the CLI handled the signal or not.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, notFound: 3, invalid: 4, interrupted: 130 } as const;

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

/** A well-formed command whose argument value is not acceptable (bad sid, number, event id). */
export function invalidError(message: string): CliError {
  return new CliError('invalid', message, EXIT.invalid);
}

/** The named thing (session, token) does not exist. */
export function notFoundError(message: string): CliError {
  return new CliError('not_found', message, EXIT.notFound);
}
