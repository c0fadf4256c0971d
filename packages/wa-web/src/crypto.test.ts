// Known answers: test-fixtures/wa-web-crypto.json is a copy of shared/vectors/wa-web-crypto.json,
// computed with Python's `cryptography` package (X25519, HKDF-SHA256, AES-256-CBC, HMAC-SHA256)
// independently of this code. Nothing here derives an expected value with the code under test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBinaryNode } from './binary-decoder.ts';
import { keyPairFromPrivate, x25519 } from './crypto-primitives.ts';
import { BadMacError, CryptoError } from './errors.ts';
import {
  decryptFramePayload,
  encryptClientPayload,
  encryptFramePayload,
  splitClientPayload,
} from './frame-crypto.ts';
import { createConnSecret, deriveLoginKeys, randomSessionKeys, signChallenge } from './login-crypto.ts';
import { decryptMedia, encryptMedia, expandMediaKey } from './media-crypto.ts';

const vectors = JSON.parse(
  readFileSync(new URL('../test-fixtures/wa-web-crypto.json', import.meta.url), 'utf8'),
);
const hex = (s: string) => Buffer.from(s, 'hex');
const b64 = (s: string) => Buffer.from(s, 'base64');

describe('login key derivation (known answers)', () => {
  const { login } = vectors;
  const priv = hex(login.clientPrivateKey);
  const secret = b64(login.secretBase64);

  it('derives the public key of the fixed private key', () => {
    expect(keyPairFromPrivate(priv).publicKey.toString('hex')).toBe(login.clientPublicKey);
  });

  it('derives the shared secret, HKDF expansion and the carried encKey/macKey', () => {
    const d = deriveLoginKeys(secret, priv);
    expect(d.sharedSecret.toString('hex')).toBe(login.sharedSecret);
    expect(d.expanded.toString('hex')).toBe(login.expanded);
    expect(d.encKey.toString('hex')).toBe(login.encKey);
    expect(d.macKey.toString('hex')).toBe(login.macKey);
  });

  it('rejects a secret with any flipped byte in the authenticated ranges with BadMacError', () => {
    for (const i of [0, 5, 31, 32, 63, 64, 100, 143]) {
      const bad = Buffer.from(secret);
      bad[i]! ^= 0x01;
      expect(() => deriveLoginKeys(bad, priv), `byte ${i}`).toThrow(CryptoError);
    }
    const bad = Buffer.from(secret);
    bad[70]! ^= 0x80;
    expect(() => deriveLoginKeys(bad, priv)).toThrow(BadMacError);
  });

  it('rejects a secret of the wrong length with CryptoError', () => {
    expect(() => deriveLoginKeys(secret.subarray(0, 143), priv)).toThrow(CryptoError);
  });

  it('round-trips keys through the server side of the exchange', () => {
    const keys = randomSessionKeys();
    const client = keyPairFromPrivate(priv);
    const made = createConnSecret(client.publicKey, keys);
    expect(made.length).toBe(144);
    const got = deriveLoginKeys(made, priv);
    expect(got.encKey.equals(keys.encKey)).toBe(true);
    expect(got.macKey.equals(keys.macKey)).toBe(true);
  });

  it('agrees on X25519 from both sides', () => {
    const server = keyPairFromPrivate(Buffer.alloc(32, 7));
    const client = keyPairFromPrivate(priv);
    expect(x25519(priv, server.publicKey).equals(x25519(server.privateKey, client.publicKey))).toBe(true);
  });

  it('signs a challenge as base64 HMAC-SHA256 of the challenge bytes', () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    const sig = signChallenge(Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?'));
    expect(b64(sig).toString('hex')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
});

describe('encrypted frames (known answers)', () => {
  const keys = { encKey: hex(vectors.login.encKey), macKey: hex(vectors.login.macKey) };
  const payload = hex(vectors.frame.payload);

  it('decrypts the vector frame to the vector node bytes', () => {
    expect(decryptFramePayload(payload, keys).toString('hex')).toBe(vectors.frame.plaintextNode);
  });

  it('decodes the vector plaintext to the vector node', () => {
    const node = decodeBinaryNode(hex(vectors.frame.plaintextNode));
    const [desc, attrs, content] = vectors.frame.decodedNode;
    expect(node[0]).toBe(desc);
    expect(node[1]).toEqual(attrs);
    const child = (node[2] as unknown[])[0] as [string, object, Uint8Array];
    expect(child[0]).toBe(content[0][0]);
    expect(child[1]).toEqual(content[0][1]);
    expect(Buffer.from(child[2]).toString('hex')).toBe(content[0][2]);
  });

  it('re-encrypts with the vector IV to the vector payload', () => {
    const iv = payload.subarray(32, 48);
    expect(encryptFramePayload(hex(vectors.frame.plaintextNode), keys, iv).toString('hex')).toBe(
      vectors.frame.payload,
    );
  });

  it('refuses a flipped MAC, IV or ciphertext byte with BadMacError before decrypting', () => {
    for (const i of [0, 31, 32, 47, 48, payload.length - 1]) {
      const bad = Buffer.from(payload);
      bad[i]! ^= 0x40;
      expect(() => decryptFramePayload(bad, keys), `byte ${i}`).toThrow(BadMacError);
    }
  });

  it('refuses a payload too short to hold mac, iv and one block', () => {
    expect(() => decryptFramePayload(payload.subarray(0, 60), keys)).toThrow(CryptoError);
  });

  it('prefixes outgoing client payloads with the metric and flag bytes', () => {
    const out = encryptClientPayload(Buffer.from([1, 2, 3]), keys, 16, 0x80);
    const { metric, flag, sealed } = splitClientPayload(out);
    expect([metric, flag]).toEqual([16, 0x80]);
    expect(decryptFramePayload(sealed, keys)).toEqual(Buffer.from([1, 2, 3]));
  });
});

describe('media crypto (known answers)', () => {
  const { media } = vectors;
  const mediaKey = b64(media.mediaKeyBase64);

  it('expands the image mediaKey to the vector 112 bytes', () => {
    expect(expandMediaKey(mediaKey, 'image').expanded.toString('hex')).toBe(media.expanded112);
  });

  it('decrypts the vector file with its hashes checked', () => {
    const plain = decryptMedia(hex(media.encryptedFile), mediaKey, 'image', {
      fileEncSha256: hex(media.fileEncSha256),
      fileSha256: hex(media.fileSha256),
    });
    expect(plain.toString('hex')).toBe(media.plaintext);
  });

  it('encrypts the vector plaintext to the vector file and hashes', () => {
    const enc = encryptMedia(hex(media.plaintext), mediaKey, 'image');
    expect(enc.file.toString('hex')).toBe(media.encryptedFile);
    expect(enc.fileEncSha256.toString('hex')).toBe(media.fileEncSha256);
    expect(enc.fileSha256.toString('hex')).toBe(media.fileSha256);
  });

  it('refuses a tampered file with BadMacError and the wrong media type too', () => {
    const bad = hex(media.encryptedFile);
    bad[3]! ^= 1;
    expect(() => decryptMedia(bad, mediaKey, 'image')).toThrow(BadMacError);
    expect(() => decryptMedia(hex(media.encryptedFile), mediaKey, 'video')).toThrow(BadMacError);
  });

  it('refuses a file whose fileSha256 does not match', () => {
    expect(() =>
      decryptMedia(hex(media.encryptedFile), mediaKey, 'image', { fileSha256: Buffer.alloc(32) }),
    ).toThrow(CryptoError);
  });
});
