/**
 * The promise a connector's `connect()` returns, settled once: resolved by the first QR or
 * login, rejected when the connector stops before either. Later QRs and logins change nothing.
 */
export class StartSignal {
  #pending: { resolve: () => void; reject: (err: Error) => void } | null = null;

  /** A new promise for this connect() call. */
  begin(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending = { resolve, reject };
    });
  }

  /** The session showed a QR or logged in. */
  resolve(): void {
    this.#pending?.resolve();
    this.#pending = null;
  }

  /** The connector stopped first; `err` says how. */
  reject(err: Error): void {
    this.#pending?.reject(err);
    this.#pending = null;
  }
}
