import type { SessionRecord } from '@wasock/store';
import { describe, expect, it } from 'vitest';
import {
  byCreated,
  eventTime,
  paint,
  prettyLine,
  sanitize,
  sessionDetails,
  sessionJson,
  sessionShowJson,
  snippet,
  table,
  tokenJson,
} from './format.ts';
import { formatPairingCode } from './pair.ts';

const clock = (ms: number) => `T${ms}`;
const pretty = (line: Record<string, unknown>, color = false) =>
  prettyLine(line, { color, receivedAt: 5000, clock });

const record: SessionRecord = {
  sid: '0123456789abcdef',
  state: 'awaiting_scan',
  label: 'shop',
  created: Date.UTC(2025, 0, 2, 3, 4, 5),
  tokenHash: 'ab'.repeat(32),
  qr: '2@ref,key,client',
  owner: 'w-1',
  updated: Date.UTC(2025, 0, 2, 3, 4, 6),
};

describe('sanitize and snippet', () => {
  it('neutralizes terminal escapes, other controls and bidi overrides', () => {
    expect(sanitize('a\x1b[31mb\x07c\u202Ed\x9be')).toBe('a?[31mb?c?d?e');
    expect(sanitize('one\ntwo\tthree\r')).toBe('one two three ');
  });

  it('cuts long text at a code point boundary with an ellipsis and flattens whitespace', () => {
    expect(snippet('  hola \n\n amigo  ')).toBe('hola amigo');
    expect(snippet('😀'.repeat(10), 5)).toBe('😀😀😀😀…');
    expect(snippet('abcde', 5)).toBe('abcde');
  });
});

describe('eventTime', () => {
  it('shows the clock for today and the date too for older events', () => {
    const now = new Date(2025, 5, 10, 12, 0, 0).getTime();
    expect(eventTime(new Date(2025, 5, 10, 9, 8, 7).getTime(), now)).toBe('09:08:07');
    expect(eventTime(new Date(2024, 0, 2, 9, 8, 7).getTime(), now)).toBe('2024-01-02 09:08:07');
  });
});

describe('table', () => {
  it('pads every column but the last to its widest cell', () => {
    expect(
      table(
        ['A', 'BB', 'C'],
        [
          ['xyz', 'y', 'last'],
          ['q', '', ''],
        ],
      ),
    ).toEqual(['A    BB  C', 'xyz  y   last', 'q']);
  });
});

describe('--json shapes', () => {
  it('token entries name the session, label, state and times, never the token or its hash', () => {
    const j = tokenJson({ ...record, revoked: Date.UTC(2025, 0, 3) });
    expect(j).toEqual({
      session: '0123456789abcdef',
      label: 'shop',
      state: 'awaiting_scan',
      created: '2025-01-02T03:04:05.000Z',
      revoked: '2025-01-03T00:00:00.000Z',
    });
  });

  it('session entries always carry every key, null when unknown; show adds the QR text', () => {
    const bare: SessionRecord = { sid: 'aa'.repeat(8), state: 'new', label: '', created: 1, tokenHash: 'h' };
    expect(Object.keys(sessionJson(bare))).toEqual([
      'sid',
      'state',
      'label',
      'created',
      'updated',
      'owner',
      'revoked',
      'reason',
      'tokenHash',
    ]);
    expect(sessionJson(bare)).toMatchObject({ updated: null, owner: null, revoked: null, reason: null });
    expect(sessionShowJson(record).qr).toBe('2@ref,key,client');
    expect(sessionShowJson(bare).qr).toBeNull();
    expect(sessionJson(record)).not.toHaveProperty('qr');
  });

  it('lists sessions oldest first', () => {
    const a = { ...record, sid: 'b'.repeat(16), created: 2 };
    const b = { ...record, sid: 'a'.repeat(16), created: 2 };
    const c = { ...record, sid: 'c'.repeat(16), created: 1 };
    expect(byCreated([a, b, c]).map((r) => r.sid[0])).toEqual(['c', 'a', 'b']);
  });

  it('session details show every field but the QR text', () => {
    const text = sessionDetails(record).join('\n');
    expect(text).toContain('w-1');
    expect(text).toContain(record.tokenHash);
    expect(text).not.toContain('2@ref');
  });
});

describe('prettyLine', () => {
  const message = {
    number: 'SECRET-TOKEN',
    content: 'message',
    messageId: 'false_593123456789@c.us_A',
    from: '593123456789@c.us',
    to: '593987654321@c.us',
    fromMe: false,
    body: 'hola\n\x1b[2Jamigo',
    type: 'chat',
    timestamp: 1_719_598_097,
    quotedMessage: null,
    hasMedia: false,
    hasQuoteMsg: false,
    eventId: 'abc:7',
  };

  it('prints a message as time, kind, from → to, type, body snippet and event id, never the token', () => {
    const line = pretty(message);
    expect(line).toBe('T1719598097000  message  593123456789 → 593987654321  chat  "hola ?[2Jamigo"  #abc:7');
    expect(line).not.toContain('SECRET-TOKEN');
  });

  it('marks media that follows, quotes and own messages', () => {
    const line = pretty({
      ...message,
      fromMe: true,
      hasMedia: true,
      hasQuoteMsg: true,
      quotedMessage: 'prev',
    });
    expect(line).toContain('chat (me)');
    expect(line).toContain('[media follows]');
    expect(line).toContain('↩ "prev"');
  });

  it('names the ack level and uses the arrival time for events without a timestamp', () => {
    expect(pretty({ number: 'T', content: 'ack', messageId: 'm1', ack: 2 })).toBe('T5000  ack      read  m1');
    expect(pretty({ content: 'ack', messageId: 'm1', ack: 1 })).toContain('sent');
    expect(pretty({ content: 'ack', messageId: 'm1', ack: 3 })).toContain('played');
  });

  it('prints media as mime type, file name and URL', () => {
    const line = pretty({
      content: 'media',
      mediaKey: 'k',
      mediaData: 'http://h/assets/buffer/x.ogg',
      mimeType: 'audio/ogg',
      fileName: 'audio.ogg',
    });
    expect(line).toBe('T5000  media    audio/ogg  audio.ogg  http://h/assets/buffer/x.ogg');
  });

  it('summarizes a resume notice and unknown kinds without the token', () => {
    expect(pretty({ content: 'resume', status: 'ok', replayed: 2, last: 'e:9' })).toBe(
      '-- resume ok: 2 replayed, newest #e:9',
    );
    const other = pretty({ number: 'SECRET', content: 'future', x: 1 });
    expect(other).toContain('future');
    expect(other).not.toContain('SECRET');
  });

  it('colours only when asked', () => {
    expect(pretty(message, false)).not.toContain('\x1b');
    expect(pretty(message, true)).toContain(paint(true, 'cyan', 'message'));
  });
});

describe('formatPairingCode', () => {
  it('shows the code in two groups of four, as the phone does', () => {
    expect(formatPairingCode('WASK1234')).toBe('WASK-1234');
  });
});
