import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { WasockError } from '@wasock/contracts';

// AES-256-GCM with a random 96-bit nonce per write. The session id is the associated data, so a
// blob copied onto another session's key fails to open instead of logging that session in.
// Blob format: "v1.<nonce b64>.<ciphertext b64>.<tag b64>".

/** The credentials key is wrong for what is stored, or a blob was tampered with. */
export class CredsError extends WasockError {}

/** Parses CREDS_KEY: 32 bytes, base64 or hex. */
export function parseCredsKey(text: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32)
    throw new CredsError('creds_key_invalid', 'CREDS_KEY must be 32 bytes, base64 or hex');
  return key;
}

/** Encrypts a credentials document for one session. */
export function sealCreds(key: Buffer, sid: string, plain: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(sid, 'utf8'));
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', nonce.toString('base64'), ct.toString('base64'), cipher.getAuthTag().toString('base64')].join(
    '.',
  );
}

/** Decrypts what `sealCreds` wrote; a wrong key or a changed byte is a `CredsError`. */
export function openCreds(key: Buffer, sid: string, blob: string): string {
  const parts = blob.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1')
    throw new CredsError('creds_corrupt', 'unknown credentials format');
  const [, nonce, ct, tag] = parts as [string, string, string, string];
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64'));
    decipher.setAAD(Buffer.from(sid, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new CredsError(
      'creds_key_mismatch',
      'stored credentials do not open with CREDS_KEY (wrong key, or the blob was altered)',
      { cause: err },
    );
  }
}
