import { WasockError } from '@wasock/contracts';

/**
 * The multi-device connector refused a request (`already_connecting`, `not_connected`,
 * `already_linked`, `bad_phone_number`, `pairing_failed`, `closed`).
 */
export class MultiDeviceError extends WasockError {}

/**
 * The auth state in Redis could not be used: `auth_state_unreadable` (wrong CREDS_KEY or an
 * altered blob), `auth_state_corrupt` (opened, but not a BufferJSON document), `lease_lost`
 * (another worker holds the session now; this one must not write).
 */
export class AuthStateError extends WasockError {}

/** A multi-device media file could not be fetched or failed its hash (`media_gone`, `media_corrupt`, …). */
export class MultiDeviceMediaError extends WasockError {}
