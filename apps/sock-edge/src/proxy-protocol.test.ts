import { describe, expect, it } from 'vitest';
import { parseProxyHeader } from './proxy-protocol.ts';

// v2 headers built by hand from the spec (haproxy doc/proxy-protocol.txt, section 2.2).
const SIG = [0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a];
function v2(verCmd: number, fam: number, addr: number[]): Buffer {
  return Buffer.from([...SIG, verCmd, fam, addr.length >> 8, addr.length & 0xff, ...addr]);
}

describe('parseProxyHeader', () => {
  it('reads a v1 TCP4 header and leaves the client bytes after it', () => {
    const r = parseProxyHeader(Buffer.from('PROXY TCP4 203.0.113.7 10.0.0.1 51234 5026\r\nTOKEN'));
    expect(r).toEqual({
      kind: 'ok',
      source: { address: '203.0.113.7', port: 51234 },
      rest: Buffer.from('TOKEN'),
    });
  });

  it('reads v1 TCP6 and UNKNOWN', () => {
    expect(parseProxyHeader(Buffer.from('PROXY TCP6 2001:db8::1 ::1 4000 5026\r\n'))).toMatchObject({
      kind: 'ok',
      source: { address: '2001:db8::1', port: 4000 },
    });
    expect(parseProxyHeader(Buffer.from('PROXY UNKNOWN\r\n'))).toMatchObject({ kind: 'ok', source: null });
  });

  it('waits for the rest of a header that arrives in pieces', () => {
    expect(parseProxyHeader(Buffer.from('PROXY TCP4 1.2'))).toEqual({ kind: 'pending' });
    expect(parseProxyHeader(Buffer.from(SIG.slice(0, 5)))).toEqual({ kind: 'pending' });
    expect(
      parseProxyHeader(v2(0x21, 0x11, [1, 2, 3, 4, 5, 6, 7, 8, 0x1f, 0x90, 0x13, 0xa2]).subarray(0, 20)),
    ).toEqual({
      kind: 'pending',
    });
  });

  it('reads a v2 PROXY TCP4 header', () => {
    const buf = Buffer.concat([
      v2(0x21, 0x11, [198, 51, 100, 9, 10, 0, 0, 1, 0xc0, 0x01, 0x13, 0xa2]),
      Buffer.from('T'),
    ]);
    expect(parseProxyHeader(buf)).toEqual({
      kind: 'ok',
      source: { address: '198.51.100.9', port: 0xc001 },
      rest: Buffer.from('T'),
    });
  });

  it('reads a v2 TCP6 header', () => {
    const src = [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 0x05];
    const dst = [...new Array(15).fill(0), 1];
    const r = parseProxyHeader(v2(0x21, 0x21, [...src, ...dst, 0x30, 0x39, 0x13, 0xa2]));
    expect(r).toMatchObject({ kind: 'ok', source: { address: '2001:db8:0:0:0:0:0:5', port: 12345 } });
  });

  it('accepts v2 LOCAL (load balancer health checks) with no source', () => {
    expect(parseProxyHeader(v2(0x20, 0x00, []))).toMatchObject({ kind: 'ok', source: null });
  });

  it('refuses a connection without a header, or with a malformed one', () => {
    expect(parseProxyHeader(Buffer.from('TOKEN'))).toMatchObject({ kind: 'error' });
    expect(parseProxyHeader(Buffer.from('PROXY TCP4 x\r\n'))).toMatchObject({ kind: 'error' });
    expect(parseProxyHeader(Buffer.from(`PROXY ${'9'.repeat(200)}`))).toMatchObject({ kind: 'error' });
    expect(parseProxyHeader(v2(0x31, 0x11, []))).toMatchObject({ kind: 'error' });
  });
});
