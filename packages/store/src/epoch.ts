import { randomBytes } from 'node:crypto';

/** A new stream epoch: base36 time plus randomness, so a recreated stream never reuses one. */
export function newEpoch(now = Date.now()): string {
  const rand = randomBytes(4).readUInt32BE(0).toString(36).padStart(7, '0');
  return `${now.toString(36)}${rand}`;
}

/** The opaque event id hello clients see: `<epoch>:<sequence>`. */
export function formatEventId(epoch: string, n: number): string {
  return `${epoch}:${n}`;
}

/** Splits an event id made by `formatEventId`. */
export function parseEventId(eventId: string): { epoch: string; n: number } {
  const colon = eventId.lastIndexOf(':');
  return { epoch: eventId.slice(0, colon), n: Number(eventId.slice(colon + 1)) };
}
