/** Stable codes of benchmark failures, so a report or a test can tell them apart. */
export type BenchErrorCode =
  | 'usage'
  | 'child_failed'
  | 'child_timeout'
  | 'setup_failed'
  | 'phase_timeout'
  | 'unsupported';

/** A benchmark failure with a stable `code`. */
export class BenchError extends Error {
  readonly code: BenchErrorCode;

  constructor(code: BenchErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BenchError';
    this.code = code;
  }
}
