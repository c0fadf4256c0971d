import type { WebMessageInfo } from '@wasock/wa-web';
import type { proto } from '@whiskeysockets/baileys';
import { preferPhoneJid } from './jids.ts';

// Baileys hands out protobufjs objects: 64-bit fields are `Long` (or numbers), bytes are
// Uint8Array/Buffer, and unset fields live on the prototype. wa-proto's WebMessageInfo is the
// same message with plain numbers. Converting the whole tree keeps every field the normalizer may
// read (now or later) without listing them here.

// Wrappers and quotes nest a handful of levels in real traffic; a deeper tree is hostile.
const MAX_DEPTH = 32;

interface LongLike {
  low: number;
  high: number;
  unsigned: boolean;
  toNumber(): number;
}

/**
 * A Baileys message (`proto.IWebMessageInfo`, as in `messages.upsert`) as wa-proto's
 * WebMessageInfo: Longs become numbers, bytes stay Uint8Array, prototype defaults are dropped,
 * and the key names people by phone number when Baileys knows it (LID addressing).
 */
export function toWebMessageInfo(message: proto.IWebMessageInfo): WebMessageInfo {
  const plain = plainOf(message, 0) as WebMessageInfo & { key?: Record<string, unknown> };
  const key = (message.key ?? {}) as proto.IMessageKey & { remoteJidAlt?: string; participantAlt?: string };
  const remoteJid = preferPhoneJid(key.remoteJid, key.remoteJidAlt);
  const participant = preferPhoneJid(key.participant, key.participantAlt);
  plain.key = {
    ...(plain.key ?? {}),
    ...(remoteJid ? { remoteJid } : {}),
    ...(participant ? { participant } : {}),
  };
  return plain;
}

function plainOf(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (value instanceof Uint8Array) return value;
  if (isLong(value)) return value.toNumber();
  if (depth >= MAX_DEPTH) return undefined;
  if (Array.isArray(value)) return value.map((v) => plainOf(v, depth + 1));
  const out: Record<string, unknown> = {};
  // Own keys only: protobufjs keeps unset fields' defaults on the prototype.
  for (const [k, v] of Object.entries(value)) {
    const converted = plainOf(v, depth + 1);
    if (converted !== undefined) out[k] = converted;
  }
  return out;
}

function isLong(value: object): value is LongLike {
  const v = value as Partial<LongLike>;
  return (
    typeof v.low === 'number' &&
    typeof v.high === 'number' &&
    typeof v.unsigned === 'boolean' &&
    typeof v.toNumber === 'function'
  );
}
