/** Base of every wasock error: a stable machine-readable `code` beside the message. */
export class WasockError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
