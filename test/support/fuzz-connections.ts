import { randomBytes, randomInt } from 'node:crypto';
import { connect } from 'node:net';

/** Kinds of hostile connection the fuzzer opens. */
export type FuzzKind =
  | 'random'
  | 'truncated-hello'
  | 'oversized'
  | 'slow'
  | 'half-open'
  | 'wrong-token'
  | 'reset';

/** How one fuzz connection ended. */
export interface FuzzOutcome {
  kind: FuzzKind;
  /** The error code of the line the server wrote, if any. */
  code: string | null;
  /** The server's bytes were not exactly one JSON error line. */
  malformed: boolean;
  /** The server did not close the connection within the deadline. */
  hung: boolean;
}

const KINDS: FuzzKind[] = [
  'random',
  'truncated-hello',
  'oversized',
  'slow',
  'half-open',
  'wrong-token',
  'reset',
];

/** Opens one hostile connection of a random kind and reports how the server ended it. */
export function fuzzOne(port: number, deadlineMs: number): Promise<FuzzOutcome> {
  const kind = KINDS[randomInt(KINDS.length)] as FuzzKind;
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let got = '';
    let settled = false;
    let slowTimer: NodeJS.Timeout | undefined;
    const finish = (hung: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearInterval(slowTimer);
      socket.destroy();
      const line = got.trim();
      let code: string | null = null;
      let malformed = false;
      if (line !== '') {
        try {
          const parsed = JSON.parse(line) as { content?: string; code?: string };
          code = parsed.content === 'error' ? (parsed.code ?? null) : null;
          malformed = code === null || got.split('\n').filter(Boolean).length !== 1;
        } catch (err) {
          malformed = err instanceof SyntaxError;
        }
      }
      resolve({ kind, code, malformed, hung });
    };
    const deadline = setTimeout(() => finish(true), deadlineMs);
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      got += d;
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
    socket.on('connect', () => {
      switch (kind) {
        case 'random':
          socket.write(randomBytes(randomInt(1, 2000)));
          break;
        case 'truncated-hello':
          socket.write(`{"token":"${randomBytes(8).toString('hex')}`);
          break;
        case 'oversized':
          socket.write('A'.repeat(randomInt(1100, 8000)));
          break;
        case 'slow':
          // One printable byte every 300 ms: the auth timeout must end it.
          slowTimer = setInterval(() => socket.write('x'), 300);
          break;
        case 'half-open':
          socket.end(randomBytes(randomInt(1, 40)).toString('base64url'));
          break;
        case 'wrong-token':
          socket.write(`${randomBytes(32).toString('base64url')}\n`);
          break;
        case 'reset':
          socket.write(randomBytes(16));
          socket.resetAndDestroy();
          break;
      }
    });
  });
}

/** Runs `total` fuzz connections, `concurrency` at a time; bounded by `total`. */
export async function fuzzMany(
  port: number,
  total: number,
  concurrency: number,
  deadlineMs: number,
): Promise<FuzzOutcome[]> {
  const outcomes: FuzzOutcome[] = [];
  let started = 0;
  const lane = async () => {
    while (started < total) {
      started++;
      outcomes.push(await fuzzOne(port, deadlineMs));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return outcomes;
}
