import type { AckLevel } from '@wasock/wa-web';
import { proto } from '@whiskeysockets/baileys';

const Status = proto.WebMessageInfo.Status;

/**
 * `proto.WebMessageInfo.Status` → WhatsApp level (the legacy protocol's numbers, which the
 * normalizer maps to seed acks): the enum is the level shifted up by one because proto enums
 * start at 0. ERROR −1 and PENDING 0 are passed on too; the normalizer publishes nothing for them.
 */
const LEVEL_OF_STATUS: ReadonlyMap<number, AckLevel> = new Map<number, AckLevel>([
  [Status.ERROR, -1],
  [Status.PENDING, 0],
  [Status.SERVER_ACK, 1],
  [Status.DELIVERY_ACK, 2],
  [Status.READ, 3],
  [Status.PLAYED, 4],
]);

/** The WhatsApp level of a `messages.update` status, or null for a value Baileys does not define. */
export function levelOfStatus(status: number | null | undefined): AckLevel | null {
  return status == null ? null : (LEVEL_OF_STATUS.get(status) ?? null);
}

/** What a per-user receipt of `message-receipt.update` says (groups): played 4 > read 3 > delivered 2. */
export function levelOfUserReceipt(receipt: proto.IUserReceipt): { ack: AckLevel; t?: number } | null {
  const played = seconds(receipt.playedTimestamp);
  if (played !== undefined) return { ack: 4, t: played };
  const read = seconds(receipt.readTimestamp);
  if (read !== undefined) return { ack: 3, t: read };
  const delivered = seconds(receipt.receiptTimestamp);
  if (delivered !== undefined) return { ack: 2, t: delivered };
  return null;
}

// Receipt timestamps are seconds, as number or protobufjs Long; 0 means "not set".
function seconds(v: number | { toNumber(): number } | null | undefined): number | undefined {
  if (v == null) return undefined;
  const n = typeof v === 'number' ? v : v.toNumber();
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
