import { randomBytes } from 'node:crypto';
import { aesCbcDecrypt, aesCbcEncrypt, hmacSha256, macEquals } from './crypto-primitives.ts';
import { BadMacError, CryptoError } from './errors.ts';
import type { SessionKeys } from './login-crypto.ts';

const MAC_LENGTH = 32;
const IV_LENGTH = 16;

/**
 * Opens `mac ‖ iv ‖ ciphertext`: the HMAC is checked first, in constant time, so nothing
 * unauthenticated reaches the cipher. Throws BadMacError or CryptoError.
 */
export function decryptFramePayload(payload: Uint8Array, keys: SessionKeys): Buffer {
  if (payload.length < MAC_LENGTH + IV_LENGTH + 16) throw new CryptoError('encrypted frame is too short');
  const mac = payload.subarray(0, MAC_LENGTH);
  const body = payload.subarray(MAC_LENGTH);
  if (!macEquals(hmacSha256(keys.macKey, body), mac))
    throw new BadMacError('encrypted frame failed its MAC check');
  return aesCbcDecrypt(keys.encKey, body.subarray(0, IV_LENGTH), body.subarray(IV_LENGTH));
}

/** Seals a binary node as `mac ‖ iv ‖ ciphertext` (random IV unless one is given). */
export function encryptFramePayload(
  plain: Uint8Array,
  keys: SessionKeys,
  iv: Uint8Array = randomBytes(IV_LENGTH),
): Buffer {
  const body = Buffer.concat([iv, aesCbcEncrypt(keys.encKey, iv, plain)]);
  return Buffer.concat([hmacSha256(keys.macKey, body), body]);
}

/** A client's outgoing payload: metric byte, flag byte, then the sealed node. */
export function encryptClientPayload(
  plain: Uint8Array,
  keys: SessionKeys,
  metric: number,
  flag: number,
): Buffer {
  return Buffer.concat([Buffer.from([metric & 0xff, flag & 0xff]), encryptFramePayload(plain, keys)]);
}

/** Splits what a client sends into its metric, flag and sealed part (the server side of the above). */
export function splitClientPayload(payload: Uint8Array): {
  metric: number;
  flag: number;
  sealed: Uint8Array;
} {
  if (payload.length < 2) throw new CryptoError('client frame lacks its metric and flag bytes');
  return { metric: payload[0]!, flag: payload[1]!, sealed: payload.subarray(2) };
}
