import { AckEvent, type AckLevel } from '@wasock/contracts';
import { nextAck, toSeedAckLevel } from './ack-levels.ts';
import { messageIdOf } from './message-id.ts';
import type { Receipt } from './receipt.ts';

/**
 * Where the highest published seed level of each message is kept. `raise` stores `level` only
 * if it is higher than what is stored and says whether it did — one atomic step, so a Redis
 * implementation (a small Lua compare-and-set) stays correct when two workers race.
 */
export interface AckLevelStore {
  raise(messageId: string, level: AckLevel): boolean | Promise<boolean>;
}

/** The ack event a receipt publishes given a store, or null when the level does not rise. */
export async function trackReceipt(store: AckLevelStore, receipt: Receipt): Promise<AckEvent | null> {
  const level = toSeedAckLevel(receipt.level);
  if (level === null) return null;
  const messageId = messageIdOf(receipt);
  if (!fitsSchema(messageId)) return null;
  return (await store.raise(messageId, level)) ? { content: 'ack', messageId, ack: level } : null;
}

// A receipt naming an id longer than the event schema allows cannot be published.
function fitsSchema(messageId: string): boolean {
  return AckEvent.shape.messageId.safeParse(messageId).success;
}

/**
 * In-memory, bounded ack state: the highest level published per message, the oldest entries
 * forgotten past `maxEntries`. A forgotten message can publish a level again; with a bound far
 * above the number of messages in flight that only happens for very old messages.
 */
export class AckTracker implements AckLevelStore {
  readonly #levels = new Map<string, AckLevel>();
  readonly #maxEntries: number;

  constructor(options: { maxEntries?: number } = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? 10_000);
  }

  /** The ack event this receipt publishes, or null when the seed level does not rise. */
  observe(receipt: Receipt): AckEvent | null {
    const messageId = messageIdOf(receipt);
    if (!fitsSchema(messageId)) return null;
    const level = nextAck(this.#levels.get(messageId), receipt.level);
    if (level === null) return null;
    this.#remember(messageId, level);
    return { content: 'ack', messageId, ack: level };
  }

  /** Stores `level` for `messageId` when it is higher than the stored one; true when it was. */
  raise(messageId: string, level: AckLevel): boolean {
    const previous = this.#levels.get(messageId);
    if (previous !== undefined && previous >= level) return false;
    this.#remember(messageId, level);
    return true;
  }

  /** The highest level published for `messageId`, if it is still remembered. */
  levelOf(messageId: string): AckLevel | undefined {
    return this.#levels.get(messageId);
  }

  /** How many messages are remembered. */
  get size(): number {
    return this.#levels.size;
  }

  #remember(messageId: string, level: AckLevel): void {
    // Re-inserting moves the entry to the young end of the Map's insertion order.
    this.#levels.delete(messageId);
    this.#levels.set(messageId, level);
    while (this.#levels.size > this.#maxEntries) {
      const oldest = this.#levels.keys().next().value as string;
      this.#levels.delete(oldest);
    }
  }
}
