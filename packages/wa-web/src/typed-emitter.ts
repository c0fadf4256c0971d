import { EventEmitter } from 'node:events';

/** An EventEmitter whose event names and listener arguments are checked by the compiler. */
export class TypedEmitter<Events extends { [K in keyof Events]: unknown[] }> {
  readonly #emitter = new EventEmitter();

  constructor() {
    // A gateway process attaches a handful of listeners per event; more means a leak.
    this.#emitter.setMaxListeners(50);
  }

  /** Adds a listener. */
  on<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): this {
    this.#emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** Adds a listener that runs once. */
  once<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): this {
    this.#emitter.once(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** Removes a listener. */
  off<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): this {
    this.#emitter.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** Calls the listeners of `event`; true when there was one. */
  emit<K extends keyof Events & string>(event: K, ...args: Events[K]): boolean {
    return this.#emitter.emit(event, ...args);
  }
}
