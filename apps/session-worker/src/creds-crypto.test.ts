import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CredsError, openCreds, parseCredsKey, sealCreds } from './creds-crypto.ts';

const key = randomBytes(32);

describe('credentials encryption', () => {
  it('round-trips and never shows the plaintext in the blob', () => {
    const plain = JSON.stringify({ macKey: 'c2VjcmV0LW1hYy1rZXk=', clientToken: 'TOKEN-123' });
    const blob = sealCreds(key, 'abcd', plain);
    expect(blob).not.toContain('TOKEN-123');
    expect(blob).not.toContain('c2VjcmV0');
    expect(openCreds(key, 'abcd', blob)).toBe(plain);
  });

  it('uses a fresh nonce per write', () => {
    expect(sealCreds(key, 's', 'x')).not.toBe(sealCreds(key, 's', 'x'));
  });

  it('fails clearly with a wrong key', () => {
    const blob = sealCreds(key, 's', 'x');
    expect(() => openCreds(randomBytes(32), 's', blob)).toThrow(CredsError);
    expect(() => openCreds(randomBytes(32), 's', blob)).toThrow(/CREDS_KEY/);
  });

  it('refuses a blob moved to another session or altered', () => {
    const blob = sealCreds(key, 'one', 'x');
    expect(() => openCreds(key, 'two', blob)).toThrow(CredsError);
    const parts = blob.split('.');
    parts[2] = Buffer.from('y').toString('base64');
    expect(() => openCreds(key, 'one', parts.join('.'))).toThrow(CredsError);
    expect(() => openCreds(key, 'one', 'garbage')).toThrow(CredsError);
  });

  it('accepts a 32-byte key as base64 or hex and refuses other lengths', () => {
    expect(parseCredsKey(key.toString('base64'))).toEqual(key);
    expect(parseCredsKey(key.toString('hex'))).toEqual(key);
    expect(() => parseCredsKey(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
