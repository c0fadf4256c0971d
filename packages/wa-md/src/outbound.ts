import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MediaUploadInfo, UploadedMedia, WebMessage } from '@wasock/wa-web';
import { proto } from '@whiskeysockets/baileys';
import { MultiDeviceError } from './errors.ts';

// The send path builds one WhatsApp `Message` for both connectors (wa-proto's plain shape, the
// same field names as Baileys' proto). Multi-device differs only in addressing: people are
// `<number>@s.whatsapp.net` on the wire, where seed 000 and the API name them `<number>@c.us`.

/** A seed/API jid as multi-device addresses it (`@c.us` → `@s.whatsapp.net`; groups unchanged). */
export function toMultiDeviceJid(jid: string): string {
  return jid.endsWith('@c.us') ? `${jid.slice(0, -'@c.us'.length)}@s.whatsapp.net` : jid;
}

// Message kinds whose `contextInfo` may quote someone: the quoted author is a jid too.
const QUOTING_KINDS = [
  'extendedTextMessage',
  'imageMessage',
  'documentMessage',
  'audioMessage',
  'videoMessage',
] as const;

/**
 * A send's message as Baileys' proto `Message`, with quoted authors in multi-device form; throws
 * MultiDeviceError `bad_message` when it is not a message.
 */
export function toBaileysMessage(message: WebMessage): proto.Message {
  const plain: Record<string, unknown> = { ...message };
  for (const kind of QUOTING_KINDS) {
    const content = plain[kind] as { contextInfo?: { participant?: string | null } } | undefined;
    const participant = content?.contextInfo?.participant;
    if (content && participant) {
      plain[kind] = {
        ...content,
        contextInfo: { ...content.contextInfo, participant: toMultiDeviceJid(participant) },
      };
    }
  }
  try {
    return proto.Message.fromObject(plain);
  } catch (err) {
    // Baileys' generated statics have no verify(); fromObject throws on a wrong nesting.
    throw new MultiDeviceError('bad_message', `cannot send this message: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** Baileys' upload: takes the encrypted file by path (it streams it to WhatsApp's media host). */
export type PathUploader = (
  encFilePath: string,
  opts: { fileEncSha256B64: string; mediaType: MediaUploadInfo['mediaType']; timeoutMs?: number },
) => Promise<{ mediaUrl: string; directPath: string }>;

const UPLOAD_TIMEOUT_MS = 60_000;

/**
 * Uploads an encrypted media file through Baileys, which reads it from disk: the file lives in a
 * private temporary directory for the upload only. Throws MultiDeviceError `upload_failed`.
 */
export async function uploadThroughFile(
  upload: PathUploader,
  file: Buffer,
  info: MediaUploadInfo,
): Promise<UploadedMedia> {
  const dir = await mkdtemp(join(tmpdir(), 'wasock-md-upload-'));
  try {
    const path = join(dir, 'media.enc');
    await writeFile(path, file, { mode: 0o600 });
    const { mediaUrl, directPath } = await upload(path, {
      fileEncSha256B64: Buffer.from(info.fileEncSha256).toString('base64'),
      mediaType: info.mediaType,
      timeoutMs: UPLOAD_TIMEOUT_MS,
    });
    return { url: mediaUrl, directPath };
  } catch (err) {
    throw new MultiDeviceError(
      'upload_failed',
      `uploading ${info.mediaType} to WhatsApp failed: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
