import { describe, expect, it } from 'vitest';
import { extensionFor, mediaFileName } from './media-file-name.ts';

describe('mediaFileName', () => {
  it('names a voice note audio.ogg like the seed example', () => {
    expect(mediaFileName('audio', 'audio/ogg; codecs=opus', undefined)).toBe('audio.ogg');
  });

  it('keeps a document its own name and names a nameless one by kind', () => {
    expect(mediaFileName('document', 'application/pdf', 'factura.pdf')).toBe('factura.pdf');
    expect(mediaFileName('document', 'application/pdf', '  ')).toBe('document.pdf');
  });
});

describe('extensionFor', () => {
  it('uses the known extension, else a short mime subtype, else bin', () => {
    expect(extensionFor('image/jpeg')).toBe('jpg');
    expect(extensionFor('VIDEO/MP4')).toBe('mp4');
    expect(extensionFor('application/x-zip')).toBe('zip');
    expect(extensionFor('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe(
      'bin',
    );
    expect(extensionFor('garbage')).toBe('bin');
  });
});

describe('mediaFileName limits', () => {
  it('cuts a document name to the media event limit and keeps its extension', () => {
    const name = mediaFileName('document', 'application/pdf', `${'x'.repeat(2000)}.pdf`);
    expect(name).toHaveLength(1024);
    expect(name.endsWith('.pdf')).toBe(true);
  });
});
