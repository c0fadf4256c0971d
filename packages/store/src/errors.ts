import { WasockError } from '@wasock/contracts';

/** Something read from Redis is not what the store wrote (corrupt entry, foreign key type). */
export class StoreError extends WasockError {}
