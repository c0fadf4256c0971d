import { describe, expect, it } from 'vitest';
import { replayBytes, SharedReplay } from './replay-bytes.ts';
import { eventLine, tokenPrefix } from './wire-lines.ts';

const entries = [
  { id: '1-0', n: 1, epoch: 'ep', body: '{"content":"ack","messageId":"a","ack":1}' },
  { id: '2-0', n: 2, epoch: 'ep', body: '{"content":"ack","messageId":"b\\u00e9","ack":2}' },
];

describe('replay bytes', () => {
  it('are the event lines of every entry, in order, byte for byte', () => {
    const prefix = tokenPrefix('T');
    const expected = entries.map((e) => eventLine(prefix, e, true)).join('');
    expect(replayBytes(prefix, entries, true).equals(Buffer.from(expected, 'utf8'))).toBe(true);
  });

  it('are empty for an empty replay', () => {
    expect(replayBytes(tokenPrefix('T'), [], false).length).toBe(0);
  });

  it('are built once per token and id mode and shared by the clients of one read', () => {
    const replay = new SharedReplay({ epoch: 'ep', entries });
    const a = tokenPrefix('A');
    expect(replay.linesFor(a, false)).toBe(replay.linesFor(a, false));
    expect(replay.linesFor(a, true)).not.toBe(replay.linesFor(a, false));
    expect(replay.linesFor(tokenPrefix('B'), false).toString('latin1')).toContain('"number":"B"');
  });
});
