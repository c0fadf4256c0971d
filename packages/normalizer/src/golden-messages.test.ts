import { readdirSync, readFileSync } from 'node:fs';
import { MediaEvent, MessageEvent, StoredEvent } from '@wasock/contracts';
import { decodeWebMessageInfo, encodeWebMessageInfo, type WebMessageInfo } from '@wasock/wa-proto';
import { describe, expect, it } from 'vitest';
import { normalizeMessage } from './message-normalizer.ts';

// Each fixture holds a WebMessageInfo as JSON (bytes fields in base64, which protobufjs accepts
// on encode) and the seed events expected from it, written out by hand. The message goes
// through real protobuf bytes first, so the fixtures also exercise the wa-proto codec.
interface MessageFixture {
  description: string;
  ownJid: string;
  info: unknown;
  expected: { event: unknown; media?: unknown } | null;
}

const dir = new URL('../test-fixtures/messages/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f.slice(0, -'.json'.length), JSON.parse(readFileSync(new URL(f, dir), 'utf8'))] as const)
  .map(([name, fixture]) => [name, fixture as MessageFixture] as const);

describe('golden messages', () => {
  it('has a fixture for every message type', () => {
    const types = new Set(
      fixtures.map(([, f]) => (f.expected?.event as { type?: string } | undefined)?.type).filter(Boolean),
    );
    expect([...types].sort()).toEqual(
      ['audio', 'chat', 'document', 'image', 'location', 'ptt', 'sticker', 'vcard', 'video'].sort(),
    );
  });

  for (const [name, fixture] of fixtures) {
    it(`${name}: ${fixture.description}`, () => {
      const bytes = encodeWebMessageInfo(fixture.info as WebMessageInfo);
      const result = normalizeMessage(decodeWebMessageInfo(bytes), { ownJid: fixture.ownJid });

      expect(result).toEqual(fixture.expected);
      if (!result) return;
      expect(MessageEvent.parse(result.event)).toEqual(result.event);
      expect(StoredEvent.parse(result.event)).toEqual(result.event);
      if (result.media) {
        // The descriptor carries every field of the seed media event but the served URL.
        const media = {
          content: 'media',
          mediaKey: result.media.mediaKey,
          mediaData: 'https://gateway.example/assets/buffer/0f3c9a.bin',
          mimeType: result.media.mimeType,
          fileName: result.media.fileName,
        };
        expect(MediaEvent.parse(media)).toEqual(media);
      }
    });
  }
});
