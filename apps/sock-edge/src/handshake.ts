import { type ErrorCode, Hello } from '@wasock/contracts';

// Pure: bytes in, a decision out. The socket layer feeds chunks and, after the quiet gap with
// no new bytes, calls `finish()`; seed clients send the bare token with no newline, so silence
// is what ends their token.

export type HandshakeResult =
  | { kind: 'pending' }
  | { kind: 'token'; token: string }
  | { kind: 'hello'; hello: Hello }
  | { kind: 'error'; code: ErrorCode; message: string };

const PENDING: HandshakeResult = { kind: 'pending' };
// Never written to: one empty buffer serves every parser that holds nothing.
const EMPTY = Buffer.alloc(0);
const LF = 0x0a;
const OPEN_BRACE = 0x7b;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d || b === LF;
}

// Tokens are printable ASCII; whitespace may surround them and \r\n may end them.
function isTokenByte(b: number): boolean {
  return (b >= 0x20 && b <= 0x7e) || b === 0x09 || b === 0x0d || b === LF;
}

/** Accumulates the first bytes of a connection until they form a token, a hello, or an error. */
export class HandshakeParser {
  private buf: Buffer = EMPTY;
  private readonly maxBytes: number;
  private done = false;

  constructor(opts: { maxBytes: number }) {
    this.maxBytes = opts.maxBytes;
  }

  /** True once any non-whitespace byte arrived (the quiet gap only counts from then). */
  get started(): boolean {
    return this.buf.some((b) => !isSpace(b));
  }

  /** Feeds a chunk; returns a decision as soon as one can be made. */
  push(chunk: Buffer): HandshakeResult {
    if (this.done) return PENDING;
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const start = this.buf.findIndex((b) => !isSpace(b));
    if (start < 0) {
      // Only whitespace so far (a blank line): drop it and keep waiting.
      this.buf = EMPTY;
      return PENDING;
    }
    const hello = this.buf[start] === OPEN_BRACE;
    if (!hello) {
      for (let i = start; i < this.buf.length; i++) {
        if (!isTokenByte(this.buf[i] as number)) {
          return this.end({
            kind: 'error',
            code: 'bad_request',
            message: 'the token must be printable ASCII',
          });
        }
      }
    }
    const nl = this.buf.indexOf(LF, start);
    if (nl >= 0) return this.decide(this.buf.subarray(start, nl), hello);
    if (this.buf.length - start > this.maxBytes) {
      return this.end({
        kind: 'error',
        code: 'too_large',
        message: `the ${hello ? 'hello' : 'token'} is longer than ${this.maxBytes} bytes`,
      });
    }
    return PENDING;
  }

  /** The quiet gap passed: whatever arrived is the whole token (or hello). */
  finish(): HandshakeResult {
    if (this.done) return PENDING;
    const start = this.buf.findIndex((b) => !isSpace(b));
    if (start < 0) return PENDING;
    return this.decide(this.buf.subarray(start), this.buf[start] === OPEN_BRACE);
  }

  private decide(line: Buffer, hello: boolean): HandshakeResult {
    if (line.length > this.maxBytes) {
      return this.end({
        kind: 'error',
        code: 'too_large',
        message: `the token is longer than ${this.maxBytes} bytes`,
      });
    }
    const text = line.toString('latin1').trim();
    return this.end(hello ? parseHello(text) : { kind: 'token', token: text });
  }

  private end(result: HandshakeResult): HandshakeResult {
    this.done = true;
    this.buf = EMPTY;
    return result;
  }
}

/** Parses and validates a JSON hello line. */
export function parseHello(text: string): HandshakeResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'error', code: 'bad_request', message: 'the hello is not valid JSON' };
  }
  const parsed = Hello.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return {
      kind: 'error',
      code: 'bad_request',
      message: `invalid hello: ${where}${issue?.message ?? 'rejected'}`,
    };
  }
  if (/[^\x21-\x7e]/.test(parsed.data.token)) {
    return { kind: 'error', code: 'bad_request', message: 'the token must be printable ASCII' };
  }
  return { kind: 'hello', hello: parsed.data };
}
