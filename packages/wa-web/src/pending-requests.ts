import { ConnectionClosedError, RequestTimeoutError, WaWebError } from './errors.ts';

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** Requests waiting for the answer that carries their tag; each one times out on its own. */
export class PendingRequests {
  readonly #waiting = new Map<string, Waiter>();

  /** How many requests are waiting. */
  get size(): number {
    return this.#waiting.size;
  }

  /** Waits for the answer tagged `tag`; rejects with RequestTimeoutError after `timeoutMs`. */
  wait(tag: string, timeoutMs: number): Promise<unknown> {
    if (this.#waiting.has(tag))
      return Promise.reject(new WaWebError('duplicate_tag', `tag ${tag} is already waiting`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(tag);
        reject(new RequestTimeoutError(tag, timeoutMs));
      }, timeoutMs);
      this.#waiting.set(tag, { resolve, reject, timer });
    });
  }

  /** Hands `value` to the request tagged `tag`; false when nobody waits for it. */
  resolve(tag: string, value: unknown): boolean {
    const waiter = this.#waiting.get(tag);
    if (!waiter) return false;
    this.#waiting.delete(tag);
    clearTimeout(waiter.timer);
    waiter.resolve(value);
    return true;
  }

  /** Fails every waiting request (the connection went away). */
  rejectAll(err: Error = new ConnectionClosedError()): void {
    for (const [tag, waiter] of this.#waiting) {
      this.#waiting.delete(tag);
      clearTimeout(waiter.timer);
      waiter.reject(err);
    }
  }
}
