import { describe, expect, it } from 'vitest';
import { PairingCodeRequest, PairingOutcome } from './pairing.ts';

describe('PairingCodeRequest', () => {
  it('takes a phone number written as people write it and keeps the digits', () => {
    expect(PairingCodeRequest.parse({ phoneNumber: '+593 (98) 765-4321' })).toEqual({
      phoneNumber: '593987654321',
    });
  });

  it('refuses letters, too few or too many digits, and unknown fields', () => {
    for (const body of [
      { phoneNumber: '59398765432a' },
      { phoneNumber: '12345' },
      { phoneNumber: '1234567890123456' },
      { phoneNumber: '593987654321', code: 'x' },
    ])
      expect(PairingCodeRequest.safeParse(body).success).toBe(false);
  });
});

describe('PairingOutcome', () => {
  it('is either a code or an error, always naming its request', () => {
    const requestId = '0123456789abcdef';
    expect(PairingOutcome.safeParse({ requestId, phoneNumber: '5939', code: 'WASK1234' }).success).toBe(true);
    expect(
      PairingOutcome.safeParse({
        requestId,
        phoneNumber: '5939',
        error: { code: 'already_linked', message: 'm' },
      }).success,
    ).toBe(true);
    expect(PairingOutcome.safeParse({ requestId, phoneNumber: '5939', code: 'lower123' }).success).toBe(
      false,
    );
    expect(PairingOutcome.safeParse({ phoneNumber: '5939', code: 'WASK1234' }).success).toBe(false);
  });
});
