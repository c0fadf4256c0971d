import type { AckLevel } from '@wasock/contracts';

/**
 * How the publish script recognises an event it already appended: `mark` is remembered (with a
 * TTL) once published; the event is skipped when any of `seenIf` is already remembered.
 */
export interface DedupeKey {
  mark: string;
  seenIf: string[];
}

const ACK_LEVELS: AckLevel[] = [1, 2, 3];

/** Dedupe keys per event kind: WhatsApp message ids, ack levels, media downloads. */
export const dedupe = {
  /** A message is published once per WhatsApp message id. */
  message: (messageId: string): DedupeKey => ({ mark: `m:${messageId}`, seenIf: [`m:${messageId}`] }),
  /** An ack is published only when its level is above every level published before for it. */
  ack: (messageId: string, level: AckLevel): DedupeKey => ({
    mark: `a${level}:${messageId}`,
    seenIf: ACK_LEVELS.filter((l) => l >= level).map((l) => `a${l}:${messageId}`),
  }),
  /** The media event of a message is published once, however often its job is retried. */
  media: (messageId: string): DedupeKey => ({ mark: `d:${messageId}`, seenIf: [`d:${messageId}`] }),
} as const;
