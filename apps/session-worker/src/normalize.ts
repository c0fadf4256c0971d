import { isWaAckLevel, normalizeMessage, toSeedAckLevel } from '@wasock/normalizer';
import type { NormalizeFns } from './session-runner.ts';

/** The shared normalizer, shaped for the runner: media descriptors become media job input. */
export const normalize: NormalizeFns = {
  message(info, ownJid) {
    const out = normalizeMessage(info, { ownJid });
    if (!out) return null;
    const m = out.media;
    if (!m) return { event: out.event };
    return {
      event: out.event,
      media: {
        url: m.url,
        mediaKey: m.mediaKey,
        mediaType: m.mediaKeyType,
        mimeType: m.mimeType,
        fileName: m.fileName,
        ...(m.fileSha256 ? { fileSha256: m.fileSha256 } : {}),
        ...(m.fileEncSha256 ? { fileEncSha256: m.fileEncSha256 } : {}),
      },
    };
  },
  ackLevel: (wa) => (isWaAckLevel(wa) ? toSeedAckLevel(wa) : null),
};
