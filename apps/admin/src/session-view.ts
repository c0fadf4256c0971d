import { type AdminEvent, type AdminSession, StoredEvent } from '@wasock/contracts';
import type { LiveEntry, SessionRecord } from '@wasock/store';

/** A stored session record as the API shows it: no token hash, absent fields as null. */
export function toAdminSession(r: SessionRecord): AdminSession {
  return {
    sid: r.sid,
    state: r.state,
    label: r.label,
    connector: r.connector ?? null,
    created: r.created,
    updated: r.updated ?? null,
    qr: r.state === 'awaiting_scan' ? (r.qr ?? null) : null,
    owner: r.owner ?? null,
    reason: r.reason ?? null,
    revoked: r.revoked ?? null,
  };
}

/** A stream entry with its body parsed, or null when the body is not a seed 000 event. */
export function toAdminEvent(e: LiveEntry): AdminEvent | null {
  let json: unknown;
  try {
    json = JSON.parse(e.body);
  } catch {
    return null; // the caller reports the entry id; a corrupt body must not break the feed
  }
  const event = StoredEvent.safeParse(json);
  return event.success ? { id: e.id, n: e.n, epoch: e.epoch, event: event.data } : null;
}
