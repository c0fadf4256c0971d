import { describe, expect, it } from 'vitest';
import { eventIdArg, intArg, portArg, sidArg, tokenArg } from './args.ts';
import { CliError, EXIT } from './cli-error.ts';

function invalid(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(EXIT.invalid);
    return err as CliError;
  }
  throw new Error('expected a CliError');
}

describe('argument validation', () => {
  it('takes decimal whole numbers in range only', () => {
    expect(intArg('--count', '12', 1, 100)).toBe(12);
    for (const bad of ['0', '101', '1e1', '0x10', ' 5', '-1', '', '3.5'])
      invalid(() => intArg('--count', bad, 1, 100));
    expect(invalid(() => intArg('--count', 'x', 1, 9)).message).toMatch(/^--count: .*\(got "x"\)$/);
  });

  it('takes ports 1–65535', () => {
    expect(portArg('--port', '5026')).toBe(5026);
    invalid(() => portArg('--port', '0'));
    invalid(() => portArg('--port', '65536'));
  });

  it('takes session ids and event ids in the gateway formats', () => {
    expect(sidArg('0123456789abcdef')).toBe('0123456789abcdef');
    invalid(() => sidArg('0123456789ABCDEF'));
    invalid(() => sidArg('../etc'));
    expect(eventIdArg('--since', 'abc:12')).toBe('abc:12');
    invalid(() => eventIdArg('--since', 'abc'));
  });

  it('refuses tokens with spaces or controls without echoing them', () => {
    expect(tokenArg('A_b-1')).toBe('A_b-1');
    const err = invalid(() => tokenArg('secret with space'));
    expect(err.message).not.toContain('secret');
  });
});
