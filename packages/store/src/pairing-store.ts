import { randomBytes } from 'node:crypto';
import { PairingOutcome, PhoneNumber } from '@wasock/contracts';
import { StoreError } from './errors.ts';
import { keys } from './keys.ts';
import type { RedisLike } from './redis.ts';

// A pairing code is typed within minutes or not at all; the answer is not kept longer.
const OUTCOME_TTL_SECONDS = 180;

/**
 * Pairing-code requests: an operator's request goes to the worker running the session on the
 * command channel; the worker's answer (a code or why not) is kept briefly under the session.
 */
export class PairingStore {
  private readonly redis: RedisLike;

  constructor(redis: RedisLike) {
    this.redis = redis;
  }

  /**
   * Asks the worker running `sid` for a code for `phoneNumber` (digits only); returns the
   * request id to wait on, or null when no worker runs the session.
   */
  async request(sid: string, phoneNumber: string): Promise<string | null> {
    if (PhoneNumber.safeParse(phoneNumber).data !== phoneNumber)
      throw new StoreError('bad_phone_number', 'a phone number is 6 to 15 digits with country code');
    if (!(await this.redis.exists(keys.lease(sid)))) return null;
    const requestId = randomBytes(8).toString('hex');
    await this.redis.publish(keys.sessionCommands(), `${sid} pair ${phoneNumber} ${requestId}`);
    return requestId;
  }

  /** The worker's answer to request `requestId`, or null while there is none. */
  async outcome(sid: string, requestId: string): Promise<PairingOutcome | null> {
    const raw = await this.redis.get(keys.pairing(sid));
    if (raw === null) return null;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw new StoreError('corrupt_pairing', `the pairing answer of ${sid} is not JSON`, { cause: err });
    }
    const parsed = PairingOutcome.safeParse(json);
    if (!parsed.success) throw new StoreError('corrupt_pairing', `the pairing answer of ${sid} is malformed`);
    return parsed.data.requestId === requestId ? parsed.data : null;
  }

  /** Polls for the answer to `requestId` until `timeoutMs` passes; null when none came. */
  async waitForOutcome(
    sid: string,
    requestId: string,
    { timeoutMs, intervalMs = 200 }: { timeoutMs: number; intervalMs?: number },
  ): Promise<PairingOutcome | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const outcome = await this.outcome(sid, requestId);
      if (outcome || Date.now() >= deadline) return outcome;
      await new Promise((r) => setTimeout(r, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
    }
  }

  /** Records the worker's answer to a request (a code, or the error). */
  async record(sid: string, outcome: PairingOutcome): Promise<void> {
    await this.redis.set(
      keys.pairing(sid),
      JSON.stringify(PairingOutcome.parse(outcome)),
      'EX',
      OUTCOME_TTL_SECONDS,
    );
  }
}
