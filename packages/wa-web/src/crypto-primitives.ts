import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  timingSafeEqual,
} from 'node:crypto';
import { CryptoError } from './errors.ts';

// DER prefixes that wrap a raw 32-byte X25519 key as PKCS#8 (private) and SPKI (public).
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');
const ZERO_SALT = Buffer.alloc(32);

/** A raw Curve25519 key pair (32 bytes each). */
export interface KeyPair {
  privateKey: Buffer;
  publicKey: Buffer;
}

/** A fresh X25519 key pair as raw bytes. */
export function generateKeyPair(): KeyPair {
  const { privateKey } = generateKeyPairSync('x25519');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return keyPairFromPrivate(der.subarray(der.length - 32));
}

/** The key pair of a raw 32-byte private key. */
export function keyPairFromPrivate(privateKey: Uint8Array): KeyPair {
  checkLength('X25519 private key', privateKey, 32);
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_X25519, privateKey]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return { privateKey: Buffer.from(privateKey), publicKey: Buffer.from(spki.subarray(spki.length - 32)) };
}

/** X25519(privateKey, publicKey): the 32-byte shared secret. */
export function x25519(privateKey: Uint8Array, publicKey: Uint8Array): Buffer {
  checkLength('X25519 private key', privateKey, 32);
  checkLength('X25519 public key', publicKey, 32);
  try {
    return diffieHellman({
      privateKey: createPrivateKey({
        key: Buffer.concat([PKCS8_X25519, privateKey]),
        format: 'der',
        type: 'pkcs8',
      }),
      publicKey: createPublicKey({
        key: Buffer.concat([SPKI_X25519, publicKey]),
        format: 'der',
        type: 'spki',
      }),
    });
  } catch (err) {
    // OpenSSL refuses low-order points (an all-zero shared secret).
    throw new CryptoError('X25519 key agreement failed', { cause: err });
  }
}

/** HKDF-SHA256 with the 32-zero-byte salt every WhatsApp Web derivation uses. */
export function hkdf(ikm: Uint8Array, length: number, info = ''): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, ZERO_SALT, info, length));
}

/** HMAC-SHA256. */
export function hmacSha256(key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Constant-time equality of two MACs (false when the lengths differ). */
export function macEquals(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** AES-256-CBC with PKCS#7 padding. */
export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plain: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([cipher.update(plain), cipher.final()]);
}

/** AES-256-CBC decryption; throws CryptoError for a bad length or padding. */
export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  if (data.length === 0 || data.length % 16 !== 0) throw new CryptoError('AES-CBC data is not whole blocks');
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, iv);
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch (err) {
    throw new CryptoError('AES-CBC decryption failed', { cause: err });
  }
}

/** Throws CryptoError unless `value` has exactly `length` bytes. */
export function checkLength(what: string, value: Uint8Array, length: number): void {
  if (!(value instanceof Uint8Array) || value.length !== length) {
    throw new CryptoError(`${what} must be ${length} bytes`);
  }
}
