import { describe, expect, it } from 'vitest';
import { errorLine, eventLine, resumeLine, tokenPrefix } from './wire-lines.ts';

const entry = { id: '1-0', n: 7, epoch: 'ep', body: '{"content":"ack","messageId":"m","ack":2}' };

describe('wire lines', () => {
  it('puts number first, then the stored body, one line', () => {
    const line = eventLine(tokenPrefix('TOKEN'), entry, false);
    expect(line).toBe('{"number":"TOKEN","content":"ack","messageId":"m","ack":2}\n');
    expect(Object.keys(JSON.parse(line))).toEqual(['number', 'content', 'messageId', 'ack']);
  });

  it('appends eventId for hello clients that asked for ids', () => {
    expect(JSON.parse(eventLine(tokenPrefix('T'), entry, true))).toEqual({
      number: 'T',
      content: 'ack',
      messageId: 'm',
      ack: 2,
      eventId: 'ep:7',
    });
  });

  it('escapes a token with JSON metacharacters', () => {
    expect(JSON.parse(eventLine(tokenPrefix('a"b\\c'), entry, false)).number).toBe('a"b\\c');
  });

  it('writes error and resume lines as single JSON lines', () => {
    expect(errorLine('unauthorized', 'nope')).toBe(
      '{"content":"error","code":"unauthorized","message":"nope"}\n',
    );
    expect(JSON.parse(resumeLine({ status: 'trimmed', replayed: 50, last: 'ep:60' }))).toEqual({
      content: 'resume',
      status: 'trimmed',
      replayed: 50,
      last: 'ep:60',
    });
  });
});
