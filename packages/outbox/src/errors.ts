import { WasockError } from '@wasock/contracts';

/** The session sent more than its per-minute allowance; retry after `retryAfterSeconds`. */
export class SendRateLimitedError extends WasockError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super('rate_limited', `too many messages from this session; retry in ${retryAfterSeconds} s`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
