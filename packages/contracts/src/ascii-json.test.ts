import { describe, expect, it } from 'vitest';
import { toAsciiJson } from './ascii-json.ts';

describe('toAsciiJson', () => {
  it('escapes accents and emoji so every byte is ASCII, and parses back to the same value', () => {
    const value = { body: 'Año, canción, ñandú 😀 — ok', n: 1 };
    const json = toAsciiJson(value);
    expect(json).toMatch(/^[\x20-\x7e]*$/);
    expect(json).toContain('\\u00f1');
    expect(json).toContain('\\ud83d\\ude00');
    expect(JSON.parse(json)).toEqual(value);
  });

  it('is plain JSON.stringify for ASCII input', () => {
    const value = { a: 'plain "quoted" \\ text', b: [1, null, true] };
    expect(toAsciiJson(value)).toBe(JSON.stringify(value));
  });

  it('escapes the same on repeated calls (no regex state leaks between calls)', () => {
    expect(toAsciiJson('é')).toBe('"\\u00e9"');
    expect(toAsciiJson('é')).toBe('"\\u00e9"');
  });
});
