import type { SessionRecord } from '@wasock/store';

// Pure presentation: tables, the stable --json shapes and the one-line event printer. Nothing
// here reads the terminal; callers say whether colours are on.

/** ANSI SGR codes used by the pretty printers. */
const SGR = { dim: '2', bold: '1', red: '31', green: '32', yellow: '33', magenta: '35', cyan: '36' } as const;
export type Style = keyof typeof SGR;

/** Wraps text in an ANSI style when colours are on; returns it unchanged otherwise. */
export function paint(color: boolean, style: Style, text: string): string {
  return color ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text;
}

// C0/C1 controls (ESC starts terminal escapes), DEL, and the bidi overrides and isolates that
// make text display in another order than it reads: message bodies and labels come from
// strangers and must not be able to move the cursor, recolour or spoof the operator's terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Makes untrusted text safe for one terminal line: whitespace controls become spaces, others `?`. */
export function sanitize(text: string): string {
  return text.replace(UNSAFE, (c) => (c === '\n' || c === '\r' || c === '\t' ? ' ' : '?'));
}

/** A single-line excerpt of at most `max` characters (code points), ending in `…` when cut. */
export function snippet(text: string, max = 60): string {
  const flat = sanitize(text).replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function table(headers: string[], rows: string[][]): string[] {
  const all = [headers, ...rows];
  const widths = headers.map((_, col) => Math.max(...all.map((r) => [...(r[col] ?? '')].length)));
  return all.map((r) =>
    r
      .map((cell, col) => (col === r.length - 1 ? cell : cell + ' '.repeat(widths[col]! - [...cell].length)))
      .join('  ')
      .trimEnd(),
  );
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time `HH:MM:SS`. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** `HH:MM:SS` for a time on the same local day as `now`, `YYYY-MM-DD HH:MM:SS` otherwise (replayed events). */
export function eventTime(ms: number, now: number): string {
  return new Date(ms).toDateString() === new Date(now).toDateString() ? clockTime(ms) : dateTime(ms);
}

/** Local date and time `YYYY-MM-DD HH:MM:SS`, or `-` when unknown. */
export function dateTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return '-';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${clockTime(ms)}`;
}

/** ISO 8601 (UTC) for --json, or null when unknown. */
function iso(ms: number | undefined): string | null {
  return ms === undefined || !Number.isFinite(ms) || ms <= 0 ? null : new Date(ms).toISOString();
}

/** `token list --json`: one entry per token (each session has exactly one). Never the token. */
export interface TokenJson {
  session: string;
  label: string;
  state: SessionRecord['state'];
  created: string | null;
  revoked: string | null;
}

/** The stable `token list --json` entry of a session record. */
export function tokenJson(r: SessionRecord): TokenJson {
  return { session: r.sid, label: r.label, state: r.state, created: iso(r.created), revoked: iso(r.revoked) };
}

/** `session list --json` entries and `session show --json` (which adds `qr`). Every key always present. */
export interface SessionJson {
  sid: string;
  state: SessionRecord['state'];
  label: string;
  created: string | null;
  updated: string | null;
  owner: string | null;
  revoked: string | null;
  reason: string | null;
  tokenHash: string;
}

/** The stable `session list --json` entry of a session record. */
export function sessionJson(r: SessionRecord): SessionJson {
  return {
    sid: r.sid,
    state: r.state,
    label: r.label,
    created: iso(r.created),
    updated: iso(r.updated),
    owner: r.owner ?? null,
    revoked: iso(r.revoked),
    reason: r.reason ?? null,
    tokenHash: r.tokenHash,
  };
}

/** `session show --json`: the list entry plus the QR text (null unless awaiting a scan). */
export function sessionShowJson(r: SessionRecord): SessionJson & { qr: string | null } {
  return { ...sessionJson(r), qr: r.qr ?? null };
}

/** Records oldest first (then by id), the order of every list and --json array. */
export function byCreated(records: SessionRecord[]): SessionRecord[] {
  return records.toSorted((a, b) => a.created - b.created || (a.sid < b.sid ? -1 : a.sid > b.sid ? 1 : 0));
}

/** `token list` as a table. */
export function tokenTable(records: SessionRecord[]): string[] {
  return table(
    ['SESSION', 'STATE', 'CREATED', 'REVOKED', 'LABEL'],
    records.map((r) => [r.sid, r.state, dateTime(r.created), dateTime(r.revoked), snippet(r.label, 40)]),
  );
}

/** `session list` as a table. */
export function sessionTable(records: SessionRecord[]): string[] {
  return table(
    ['SESSION', 'STATE', 'OWNER', 'UPDATED', 'LABEL'],
    records.map((r) => [
      r.sid,
      r.revoked ? `${r.state} (revoked)` : r.state,
      sanitize(r.owner ?? '-'),
      dateTime(r.updated ?? r.created),
      snippet(r.label, 40),
    ]),
  );
}

/** `session show`: one `field: value` line per record field, the QR text left out. */
export function sessionDetails(r: SessionRecord): string[] {
  const rows: [string, string][] = [
    ['session', r.sid],
    ['state', r.state],
    ['label', sanitize(r.label) || '-'],
    ['created', dateTime(r.created)],
    ['updated', dateTime(r.updated)],
    ['owner', sanitize(r.owner ?? '-')],
    ['revoked', r.revoked ? dateTime(r.revoked) : 'no'],
    ['reason', sanitize(r.reason ?? '-')],
    ['token hash', r.tokenHash],
    ['qr', r.qr ? 'yes (wasock qr <sid> draws it)' : 'no'],
  ];
  return rows.map(([k, v]) => `${`${k}:`.padEnd(12)}${v}`);
}

/** Seed 000 ack levels by name. */
export const ACK_NAMES: Record<number, string> = { 1: 'sent', 2: 'read', 3: 'played' };

/** A jid as people read it: the number without the WhatsApp user suffix; group jids stay whole. */
export function shortJid(jid: unknown): string {
  const s = sanitize(String(jid ?? '?'));
  return s.replace(/@(c\.us|s\.whatsapp\.net)$/, '');
}

/** Options of the pretty event printer. */
export interface PrettyOptions {
  color: boolean;
  /** When the line arrived (ms); shown for events that carry no timestamp of their own. */
  receivedAt: number;
  /** Formats a time for the line; local `HH:MM:SS` by default, with the date when not today. */
  clock?: (ms: number) => string;
}

const KIND_STYLE: Record<string, Style> = { message: 'cyan', media: 'magenta', ack: 'green' };

/**
 * One human line for a line the edge sent: time, kind, from → to, body snippet, ack level name,
 * event id. `number` (the reader's own token) is never shown. Unknown shapes still get a line.
 */
export function prettyLine(line: Record<string, unknown>, opts: PrettyOptions): string {
  const clock = opts.clock ?? ((ms: number) => eventTime(ms, opts.receivedAt));
  const { color } = opts;
  const content = typeof line.content === 'string' ? sanitize(line.content) : '?';
  if (content === 'resume') {
    const last = line.last ? `, newest #${sanitize(String(line.last))}` : '';
    return paint(
      color,
      'dim',
      `-- resume ${sanitize(String(line.status))}: ${Number(line.replayed)} replayed${last}`,
    );
  }
  const ts = typeof line.timestamp === 'number' ? line.timestamp * 1000 : opts.receivedAt;
  const parts = [
    paint(color, 'dim', clock(ts)),
    paint(color, KIND_STYLE[content] ?? 'yellow', content.padEnd(7)),
  ];
  if (content === 'message') {
    parts.push(`${shortJid(line.from)} → ${shortJid(line.to)}`);
    const type = sanitize(String(line.type ?? '?'));
    parts.push(line.fromMe === true ? `${type} (me)` : type);
    const body = typeof line.body === 'string' ? line.body : '';
    if (body) parts.push(JSON.stringify(snippet(body)));
    if (line.hasMedia === true) parts.push(paint(color, 'magenta', '[media follows]'));
    if (line.hasQuoteMsg === true) {
      const q =
        typeof line.quotedMessage === 'string' ? ` ${JSON.stringify(snippet(line.quotedMessage, 30))}` : '';
      parts.push(paint(color, 'dim', `↩${q}`));
    }
  } else if (content === 'media') {
    parts.push(sanitize(String(line.mimeType ?? '?')));
    if (line.fileName) parts.push(snippet(String(line.fileName), 40));
    parts.push(sanitize(String(line.mediaData ?? '')));
  } else if (content === 'ack') {
    const level = Number(line.ack);
    parts.push(paint(color, 'bold', ACK_NAMES[level] ?? `ack ${level}`));
    parts.push(sanitize(String(line.messageId ?? '?')));
  } else {
    const { number: _token, ...rest } = line;
    parts.push(snippet(JSON.stringify(rest), 100));
  }
  if (typeof line.eventId === 'string') parts.push(paint(color, 'dim', `#${sanitize(line.eventId)}`));
  return parts.join('  ');
}
