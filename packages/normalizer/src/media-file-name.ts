import { clip } from './clip.ts';

// Extensions for the mime types WhatsApp sends most; others fall back to the mime subtype.
const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'application/pdf': 'pdf',
};

/** The file extension for a mime type (`audio/ogg; codecs=opus` → `ogg`), `bin` when unknown. */
export function extensionFor(mimeType: string): string {
  const essence = mimeType.split(';')[0]!.trim().toLowerCase();
  const known = EXTENSIONS[essence];
  if (known) return known;
  const subtype = (essence.split('/')[1] ?? '').replace(/^x-/, '').replace(/[^a-z0-9]/g, '');
  return subtype.length > 0 && subtype.length <= 8 ? subtype : 'bin';
}

/**
 * The `fileName` of the media event: a document's own name, otherwise `<kind>.<ext>` like the
 * seed's `audio.ogg` (WhatsApp gives no name to photos, videos, voice notes or stickers).
 */
export function mediaFileName(kind: string, mimeType: string, documentName: string | undefined): string {
  if (documentName && documentName.trim() !== '') return clipName(documentName);
  return `${kind}.${extensionFor(mimeType)}`;
}

// The media event schema allows 1024 units; a longer name keeps its extension.
const MAX_NAME = 1024;

function clipName(name: string): string {
  if (name.length <= MAX_NAME) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  return clip(name.slice(0, dot > 0 && ext ? dot : name.length), MAX_NAME - ext.length) + ext;
}
