import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError } from './errors.ts';
import {
  encodeBinaryFrame,
  encodePong,
  encodeTextFrame,
  KEEPALIVE_PING,
  parseFrame,
  parseTextFrame,
} from './frame.ts';

const tagArb = fc.stringMatching(/^[A-Za-z0-9.\-_]{1,40}$/).filter((t) => t !== '?');
const jsonArb = fc.jsonValue().filter((v) => v !== null && !(typeof v === 'string' && v.trim() === ''));

describe('frame codec', () => {
  it('parses tag,json and tag,,json alike', () => {
    expect(parseTextFrame('1515590796,["data"]')).toEqual({
      kind: 'json',
      tag: '1515590796',
      json: ['data'],
    });
    expect(parseTextFrame('s1,,["Conn",{"ref":"1@x"}]')).toEqual({
      kind: 'json',
      tag: 's1',
      json: ['Conn', { ref: '1@x' }],
    });
  });

  it('treats a bare tag, as an empty receipt', () => {
    expect(parseTextFrame('1234.--0,')).toEqual({ kind: 'empty', tag: '1234.--0' });
  });

  it('recognises both keepalive directions', () => {
    expect(parseTextFrame(KEEPALIVE_PING)).toEqual({ kind: 'ping' });
    expect(parseTextFrame('!1267823872')).toEqual({ kind: 'pong', timestamp: 1267823872 });
    expect(parseTextFrame(encodePong(1588861531330))).toEqual({ kind: 'pong', timestamp: 1588861531330 });
  });

  it('splits binary frames at the first comma', () => {
    const frame = parseFrame(encodeBinaryFrame('preempt-1', Uint8Array.from([1, 44, 3])), true);
    expect(frame).toEqual({ kind: 'binary', tag: 'preempt-1', payload: new Uint8Array([1, 44, 3]) });
  });

  it('round-trips text frames', () => {
    fc.assert(
      fc.property(tagArb, jsonArb, (tag, json) => {
        // JSON itself cannot tell -0 from 0: compare with what JSON gives back.
        const expected = JSON.parse(JSON.stringify(json));
        expect(parseFrame(encodeTextFrame(tag, json), false)).toEqual({ kind: 'json', tag, json: expected });
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips binary frames', () => {
    fc.assert(
      fc.property(tagArb, fc.uint8Array({ maxLength: 200 }), (tag, payload) => {
        const frame = parseFrame(encodeBinaryFrame(tag, payload), true);
        expect(frame).toEqual({ kind: 'binary', tag, payload: Uint8Array.from(payload) });
      }),
      { numRuns: 500 },
    );
  });

  it('refuses frames without a tag or with bad JSON with CodecError', () => {
    for (const bad of ['no comma here', 'tag,{not json', '!abc', `${'x'.repeat(200)},[]`]) {
      expect(() => parseTextFrame(bad), bad).toThrow(CodecError);
    }
    expect(() => parseFrame(Uint8Array.from([1, 2, 3]), true)).toThrow(CodecError);
    expect(() => encodeTextFrame('a,b', [])).toThrow(CodecError);
  });

  it('throws only CodecError for random text and bytes', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 120 }),
        fc.uint8Array({ maxLength: 160 }),
        fc.boolean(),
        (text, bytes, bin) => {
          for (const input of [() => parseTextFrame(text), () => parseFrame(bytes, bin)]) {
            try {
              input();
            } catch (err) {
              expect(err).toBeInstanceOf(CodecError);
            }
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
