import type { AckLevel } from '@wasock/contracts';

/** WhatsApp delivery levels: −1 error, 0 pending, 1 server, 2 delivered, 3 read, 4 played. */
export type WaAckLevel = -1 | 0 | 1 | 2 | 3 | 4;

/** Seed 000 levels by name. */
export const SeedAck = { SENT: 1, READ: 2, PLAYED: 3 } as const;

/** Whether a number is one of WhatsApp's delivery levels. */
export function isWaAckLevel(n: unknown): n is WaAckLevel {
  return n === -1 || n === 0 || n === 1 || n === 2 || n === 3 || n === 4;
}

/**
 * The seed level a WhatsApp level publishes: server and delivered are both "sent" (1), read 2,
 * played 3; error and pending publish nothing.
 */
export function toSeedAckLevel(wa: WaAckLevel): AckLevel | null {
  switch (wa) {
    case 1:
    case 2:
      return SeedAck.SENT;
    case 3:
      return SeedAck.READ;
    case 4:
      return SeedAck.PLAYED;
    default:
      return null;
  }
}

/** The seed level to publish after `previous` on a receipt of `wa`, or null when it does not rise. */
export function nextAck(previous: AckLevel | undefined, wa: WaAckLevel): AckLevel | null {
  const level = toSeedAckLevel(wa);
  if (level === null) return null;
  return previous === undefined || level > previous ? level : null;
}
