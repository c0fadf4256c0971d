import { randomBytes } from 'node:crypto';
import {
  aesCbcDecrypt,
  aesCbcEncrypt,
  checkLength,
  generateKeyPair,
  hkdf,
  hmacSha256,
  type KeyPair,
  macEquals,
  x25519,
} from './crypto-primitives.ts';
import { BadMacError, CryptoError } from './errors.ts';

/** The two session keys every encrypted frame uses. */
export interface SessionKeys {
  encKey: Buffer;
  macKey: Buffer;
}

/** Length of the decoded `Conn` secret: server public key, HMAC, encrypted keys. */
export const CONN_SECRET_LENGTH = 144;

/** Everything the key agreement derives, exposed for known-answer tests. */
export interface LoginDerivation extends SessionKeys {
  sharedSecret: Buffer;
  expanded: Buffer;
}

/**
 * Turns the `Conn` secret into encKey/macKey with the client's private key (X25519, HKDF-80,
 * HMAC check, AES-256-CBC). Throws BadMacError when the HMAC check fails, CryptoError for a bad shape.
 */
export function deriveLoginKeys(secret: Uint8Array, privateKey: Uint8Array): LoginDerivation {
  checkLength('Conn secret', secret, CONN_SECRET_LENGTH);
  const serverPublic = secret.subarray(0, 32);
  const sharedSecret = x25519(privateKey, serverPublic);
  const expanded = hkdf(sharedSecret, 80);
  const expected = hmacSha256(expanded.subarray(32, 64), serverPublic, secret.subarray(64));
  if (!macEquals(expected, secret.subarray(32, 64)))
    throw new BadMacError('Conn secret failed its HMAC check');
  const keys = aesCbcDecrypt(expanded.subarray(0, 32), expanded.subarray(64, 80), secret.subarray(64));
  if (keys.length !== 64) throw new CryptoError('Conn secret carries keys of the wrong length');
  return { sharedSecret, expanded, encKey: keys.subarray(0, 32), macKey: keys.subarray(32, 64) };
}

/**
 * The server side of the key exchange: a fresh server key pair, and the 144-byte secret that
 * carries `keys` to the holder of `clientPublicKey`.
 */
export function createConnSecret(
  clientPublicKey: Uint8Array,
  keys: SessionKeys,
  serverKeyPair: KeyPair = generateKeyPair(),
): Buffer {
  const expanded = hkdf(x25519(serverKeyPair.privateKey, clientPublicKey), 80);
  const sealed = aesCbcEncrypt(
    expanded.subarray(0, 32),
    expanded.subarray(64, 80),
    Buffer.concat([keys.encKey, keys.macKey]),
  );
  const mac = hmacSha256(expanded.subarray(32, 64), serverKeyPair.publicKey, sealed);
  return Buffer.concat([serverKeyPair.publicKey, mac, sealed]);
}

/** Fresh random session keys (what the server picks for a new pairing). */
export function randomSessionKeys(): SessionKeys {
  return { encKey: randomBytes(32), macKey: randomBytes(32) };
}

/** The answer to a login challenge: base64 of HMAC-SHA256(macKey, challenge bytes). */
export function signChallenge(macKey: Uint8Array, challenge: Uint8Array): string {
  return hmacSha256(macKey, challenge).toString('base64');
}
