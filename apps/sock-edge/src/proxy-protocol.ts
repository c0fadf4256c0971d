// PROXY protocol v1 (text) and v2 (binary), as HAProxy's `send-proxy` / `send-proxy-v2` and
// cloud load balancers send it: the real client address arrives as a header before the client's
// own bytes. Pure: bytes in, a decision out.

/** The client's address as the load balancer saw it (null for LOCAL/UNKNOWN: health checks). */
export interface ProxySource {
  address: string;
  port: number;
}

export type ProxyResult =
  | { kind: 'pending' }
  | { kind: 'ok'; source: ProxySource | null; rest: Buffer }
  | { kind: 'error'; message: string };

const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V1_PREFIX = Buffer.from('PROXY ', 'latin1');
const V1_MAX = 107;

function isPrefixOf(buf: Buffer, full: Buffer): boolean {
  const n = Math.min(buf.length, full.length);
  return buf.subarray(0, n).equals(full.subarray(0, n));
}

/** Parses a PROXY header at the start of `buf` (v1 or v2). */
export function parseProxyHeader(buf: Buffer): ProxyResult {
  if (isPrefixOf(buf, V2_SIGNATURE)) return buf.length < 16 ? { kind: 'pending' } : parseV2(buf);
  if (isPrefixOf(buf, V1_PREFIX)) return parseV1(buf);
  return { kind: 'error', message: 'expected a PROXY protocol header' };
}

function parseV1(buf: Buffer): ProxyResult {
  const end = buf.indexOf('\r\n', 0, 'latin1');
  if (end < 0)
    return buf.length > V1_MAX ? { kind: 'error', message: 'PROXY v1 header too long' } : { kind: 'pending' };
  const parts = buf.subarray(0, end).toString('latin1').split(' ');
  const rest = buf.subarray(end + 2);
  if (parts[1] === 'UNKNOWN') return { kind: 'ok', source: null, rest };
  if (parts.length !== 6 || (parts[1] !== 'TCP4' && parts[1] !== 'TCP6')) {
    return { kind: 'error', message: 'malformed PROXY v1 header' };
  }
  const port = Number(parts[4]);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    return { kind: 'error', message: 'bad PROXY v1 port' };
  return { kind: 'ok', source: { address: parts[2] as string, port }, rest };
}

function parseV2(buf: Buffer): ProxyResult {
  const verCmd = buf[12] as number;
  const family = buf[13] as number;
  const len = buf.readUInt16BE(14);
  if (verCmd >> 4 !== 2) return { kind: 'error', message: 'unsupported PROXY v2 version' };
  if (buf.length < 16 + len) return { kind: 'pending' };
  const body = buf.subarray(16, 16 + len);
  const rest = buf.subarray(16 + len);
  const command = verCmd & 0x0f;
  if (command === 0x0) return { kind: 'ok', source: null, rest }; // LOCAL: the balancer's own check
  if (command !== 0x1) return { kind: 'error', message: 'unknown PROXY v2 command' };
  const af = family >> 4;
  if (af === 0x1 && body.length >= 12) {
    return {
      kind: 'ok',
      source: { address: [...body.subarray(0, 4)].join('.'), port: body.readUInt16BE(8) },
      rest,
    };
  }
  if (af === 0x2 && body.length >= 36) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(body.readUInt16BE(i).toString(16));
    return { kind: 'ok', source: { address: groups.join(':'), port: body.readUInt16BE(32) }, rest };
  }
  // AF_UNSPEC or AF_UNIX: no usable address, but a valid header.
  if (af === 0x0 || af === 0x3) return { kind: 'ok', source: null, rest };
  return { kind: 'error', message: 'malformed PROXY v2 address block' };
}
