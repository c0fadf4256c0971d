import { createHash } from 'node:crypto';
import {
  aesCbcDecrypt,
  aesCbcEncrypt,
  checkLength,
  hkdf,
  hmacSha256,
  macEquals,
} from './crypto-primitives.ts';
import { BadMacError, CryptoError } from './errors.ts';

/** The media kinds with their own HKDF info string (stickers share the image keys). */
export type MediaType = 'image' | 'video' | 'audio' | 'document' | 'sticker';

/** HKDF info per media type, from `whatsapp_defines.py` (`WAMediaAppInfo`). */
export const MEDIA_HKDF_INFO: Readonly<Record<MediaType, string>> = {
  image: 'WhatsApp Image Keys',
  sticker: 'WhatsApp Image Keys',
  video: 'WhatsApp Video Keys',
  audio: 'WhatsApp Audio Keys',
  document: 'WhatsApp Document Keys',
};

const MAC10 = 10;

/** The keys one mediaKey expands to. */
export interface MediaKeys {
  expanded: Buffer;
  iv: Buffer;
  cipherKey: Buffer;
  macKey: Buffer;
}

/** HKDF-SHA256(mediaKey, info of `type`, 112) split into iv, cipherKey and macKey. */
export function expandMediaKey(mediaKey: Uint8Array, type: MediaType): MediaKeys {
  checkLength('mediaKey', mediaKey, 32);
  const expanded = hkdf(mediaKey, 112, MEDIA_HKDF_INFO[type]);
  return {
    expanded,
    iv: expanded.subarray(0, 16),
    cipherKey: expanded.subarray(16, 48),
    macKey: expanded.subarray(48, 80),
  };
}

/** SHA-256 of some bytes. */
export function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Hashes a downloaded file may be checked against. */
export interface MediaHashes {
  fileEncSha256?: Uint8Array | null;
  fileSha256?: Uint8Array | null;
}

/**
 * Opens a downloaded `enc ‖ mac10` file: MAC first (BadMacError), then the optional encrypted
 * hash, the decryption, and the optional plaintext hash (CryptoError on mismatch).
 */
export function decryptMedia(
  file: Uint8Array,
  mediaKey: Uint8Array,
  type: MediaType,
  hashes: MediaHashes = {},
): Buffer {
  if (file.length < 16 + MAC10) throw new CryptoError('media file is too short');
  const keys = expandMediaKey(mediaKey, type);
  const enc = file.subarray(0, file.length - MAC10);
  const mac = hmacSha256(keys.macKey, keys.iv, enc).subarray(0, MAC10);
  if (!macEquals(mac, file.subarray(file.length - MAC10)))
    throw new BadMacError('media file failed its MAC check');
  if (
    hashes.fileEncSha256 &&
    hashes.fileEncSha256.length > 0 &&
    !macEquals(sha256(file), hashes.fileEncSha256)
  ) {
    throw new CryptoError('media file does not match fileEncSha256');
  }
  const plain = aesCbcDecrypt(keys.cipherKey, keys.iv, enc);
  if (hashes.fileSha256 && hashes.fileSha256.length > 0 && !macEquals(sha256(plain), hashes.fileSha256)) {
    throw new CryptoError('decrypted media does not match fileSha256');
  }
  return plain;
}

/** An encrypted media file and the fields a media message carries about it. */
export interface EncryptedMedia {
  file: Buffer;
  fileSha256: Buffer;
  fileEncSha256: Buffer;
  fileLength: number;
}

/** Encrypts a media file the way a phone uploads it: `AES-CBC(plain) ‖ HMAC(iv ‖ enc)[0:10]`. */
export function encryptMedia(plain: Uint8Array, mediaKey: Uint8Array, type: MediaType): EncryptedMedia {
  const keys = expandMediaKey(mediaKey, type);
  const enc = aesCbcEncrypt(keys.cipherKey, keys.iv, plain);
  const file = Buffer.concat([enc, hmacSha256(keys.macKey, keys.iv, enc).subarray(0, MAC10)]);
  return { file, fileSha256: sha256(plain), fileEncSha256: sha256(file), fileLength: plain.length };
}
