import { describe, expect, it } from 'vitest';
import { HandshakeParser } from './handshake.ts';

const parser = () => new HandshakeParser({ maxBytes: 64 });
const b = (s: string) => Buffer.from(s, 'latin1');

describe('HandshakeParser', () => {
  it('waits for the quiet gap when the bare token has no newline (seed clients)', () => {
    const p = parser();
    expect(p.push(b('TOKEN'))).toEqual({ kind: 'pending' });
    expect(p.finish()).toEqual({ kind: 'token', token: 'TOKEN' });
  });

  it('joins a token sent in pieces', () => {
    const p = parser();
    expect(p.push(b('TO'))).toEqual({ kind: 'pending' });
    expect(p.push(b('KEN'))).toEqual({ kind: 'pending' });
    expect(p.finish()).toEqual({ kind: 'token', token: 'TOKEN' });
  });

  it('ends the token at the first newline, trimming \\r and surrounding spaces', () => {
    expect(parser().push(b('  TOKEN \r\nrest'))).toEqual({ kind: 'token', token: 'TOKEN' });
  });

  it('ignores blank lines before the token', () => {
    const p = parser();
    expect(p.push(b('\r\n'))).toEqual({ kind: 'pending' });
    expect(p.started).toBe(false);
    expect(p.push(b('TOKEN\n'))).toEqual({ kind: 'token', token: 'TOKEN' });
  });

  it('refuses binary garbage at once', () => {
    expect(parser().push(Buffer.from([0x16, 0x03, 0x01, 0xff]))).toMatchObject({
      kind: 'error',
      code: 'bad_request',
    });
  });

  it('refuses a token longer than the maximum without waiting for its end', () => {
    expect(parser().push(b('x'.repeat(65)))).toMatchObject({ kind: 'error', code: 'too_large' });
  });

  it('accepts a JSON hello with since and ids', () => {
    const p = parser();
    expect(p.push(b('{"token":"T","since":"abc:12","ids":true}\n'))).toEqual({
      kind: 'hello',
      hello: { token: 'T', since: 'abc:12', ids: true },
    });
  });

  it('takes a hello without newline after the quiet gap', () => {
    const p = parser();
    p.push(b('{"token":"T"}'));
    expect(p.finish()).toEqual({ kind: 'hello', hello: { token: 'T' } });
  });

  it('refuses a malformed or invalid hello with bad_request and a reason', () => {
    expect(parser().push(b('{"token":\n'))).toMatchObject({ kind: 'error', code: 'bad_request' });
    expect(parser().push(b('{"token":"T","since":"nope"}\n'))).toMatchObject({
      kind: 'error',
      code: 'bad_request',
      message: expect.stringContaining('since'),
    });
    expect(parser().push(b('{"token":"T","admin":true}\n'))).toMatchObject({
      kind: 'error',
      code: 'bad_request',
    });
  });

  it('decides once: bytes after a decision are ignored', () => {
    const p = parser();
    p.push(b('TOKEN\n'));
    expect(p.push(b('MORE\n'))).toEqual({ kind: 'pending' });
    expect(p.finish()).toEqual({ kind: 'pending' });
  });
});
