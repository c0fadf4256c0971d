// The one event every system carries: a seed 000 text message whose body holds the publish time
// on the shared clock and a sequence number. Clients find the stamp by a string search, so the
// receiving side never parses JSON (which would make the load generator the bottleneck).

const STAMP = '"body":"bench ';

/** A seed 000 `message` event stamped with `pubMs` and `seq`, as a publisher hands it over. */
export function benchEvent(seq: number, pubMs: number) {
  return {
    content: 'message' as const,
    messageId: `false_593123456789@c.us_${String(seq).padStart(10, '0')}`,
    from: '593123456789@c.us',
    to: '593987654321@c.us',
    fromMe: false,
    body: `bench ${pubMs.toFixed(3)} ${seq}`,
    type: 'chat',
    timestamp: 1719598097,
    quotedMessage: null,
    hasMedia: false,
    hasQuoteMsg: false,
  };
}

/** The wire line a client of `token` reads for that event: `number` first, as the edge writes it. */
export function benchLine(token: string, seq: number, pubMs: number): string {
  return `${JSON.stringify({ number: token, ...benchEvent(seq, pubMs) })}\n`;
}

/** The publish time stamped in the line between `start` and `end` of `text`, or NaN. */
export function stampIn(text: string, start: number, end: number): number {
  const at = text.indexOf(STAMP, start);
  if (at < 0 || at >= end) return Number.NaN;
  const from = at + STAMP.length;
  const space = text.indexOf(' ', from);
  if (space < 0 || space >= end) return Number.NaN;
  return Number(text.slice(from, space));
}

/** The error code of an edge error line, or null for any other line. */
export function errorCodeIn(text: string, start: number, end: number): string | null {
  if (!text.startsWith('{"content":"error"', start)) return null;
  const m = /"code":"([a-z_]+)"/.exec(text.slice(start, end));
  return m?.[1] ?? 'unknown';
}
