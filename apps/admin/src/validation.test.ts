import { CreateSessionBody, EventsQuery, SessionParams } from '@wasock/contracts';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from './errors.ts';
import { parseWith } from './validation.ts';

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect((err as InvalidRequestError).status).toBe(400);
    return (err as Error).message;
  }
  throw new Error('expected a validation error');
}

describe('parseWith', () => {
  it('returns the parsed value, with defaults and trimming applied', () => {
    expect(parseWith(EventsQuery, {}, 'query')).toEqual({ limit: 50 });
    expect(parseWith(EventsQuery, { limit: '7' }, 'query')).toEqual({ limit: 7 });
    expect(parseWith(CreateSessionBody, { label: '  shop  ' }, 'body')).toEqual({ label: 'shop' });
  });

  it('names the field in the source the client used', () => {
    expect(problem(() => parseWith(SessionParams, { sid: 'XYZ' }, 'params'))).toMatch(/^params\.sid: /);
    expect(problem(() => parseWith(EventsQuery, { limit: '0' }, 'query'))).toBe(
      'query.limit: must be at least 1',
    );
    expect(problem(() => parseWith(EventsQuery, { limit: '2.5' }, 'query'))).toBe(
      'query.limit: must be a whole number',
    );
    expect(problem(() => parseWith(CreateSessionBody, { label: 'x'.repeat(129) }, 'body'))).toBe(
      'body.label: must be at most 128 characters',
    );
  });

  it('names each unknown body field', () => {
    expect(problem(() => parseWith(CreateSessionBody, { label: 'a', tokn: 1, b: 2 }, 'body'))).toBe(
      'body.tokn: is not allowed; body.b: is not allowed',
    );
  });

  it('refuses control characters in labels', () => {
    expect(problem(() => parseWith(CreateSessionBody, { label: 'a\u0000b' }, 'body'))).toBe(
      'body.label: must not contain control characters',
    );
  });

  it('reports a body that is not an object at the root', () => {
    expect(problem(() => parseWith(CreateSessionBody, [1], 'body'))).toMatch(/^body: /);
  });
});
