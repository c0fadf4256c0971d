import { describe, expect, it } from 'vitest';
import { AdminAuth, bearerToken } from './auth.ts';

const TOKEN = 'correct-horse-battery-staple';

describe('bearerToken', () => {
  it('takes the token out of a Bearer header, any case, surrounding blanks ignored', () => {
    expect(bearerToken(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerToken(`bearer \t${TOKEN}  `)).toBe(TOKEN);
  });

  it('refuses other schemes, empty and multi-word values', () => {
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken('')).toBeNull();
    expect(bearerToken(`Basic ${TOKEN}`)).toBeNull();
    expect(bearerToken('Bearer ')).toBeNull();
    expect(bearerToken(`Bearer ${TOKEN} extra`)).toBeNull();
  });
});

describe('AdminAuth', () => {
  const auth = new AdminAuth(TOKEN);

  it('accepts exactly the admin token', () => {
    expect(auth.matches(TOKEN)).toBe(true);
    expect(auth.allows(`Bearer ${TOKEN}`)).toBe(true);
  });

  it('refuses near misses of any length, including prefixes and the empty string', () => {
    for (const wrong of ['', TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase(), 'x'.repeat(5000)]) {
      expect(auth.matches(wrong)).toBe(false);
    }
    expect(auth.matches(null)).toBe(false);
    expect(auth.allows(undefined)).toBe(false);
    expect(auth.allows(TOKEN)).toBe(false); // the bare token without the Bearer scheme
  });
});
