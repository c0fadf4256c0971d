import { type ErrorCode, type ResumeNotice, toAsciiJson } from '@wasock/contracts';
import { formatEventId, type LiveEntry } from '@wasock/store';

// Pure builders of the bytes a client reads. Stored bodies are already ASCII JSON objects
// without `number`; a line is the connection's prefix `{"number":"<token>",` spliced onto the
// body, so nothing is parsed or re-serialized on the delivery path.

/** `{"number":"<token>",`: the start of every event line of a token. */
export function tokenPrefix(token: string): string {
  return `{"number":${toAsciiJson(token)},`;
}

/** One event line for a token; with `eventId`, the hello client's opaque id is appended. */
export function eventLine(prefix: string, entry: LiveEntry, withId: boolean): string {
  if (!withId) return `${prefix}${entry.body.slice(1)}\n`;
  return `${prefix}${entry.body.slice(1, -1)},"eventId":"${formatEventId(entry.epoch, entry.n)}"}\n`;
}

/** The error line written before the edge closes a connection. */
export function errorLine(code: ErrorCode, message: string): string {
  return `${toAsciiJson({ content: 'error', code, message })}\n`;
}

/** The line that tells a resuming client how its resume went. */
export function resumeLine(notice: Omit<ResumeNotice, 'content'>): string {
  return `${toAsciiJson({ content: 'resume', ...notice })}\n`;
}
