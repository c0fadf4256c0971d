import { readdirSync, readFileSync } from 'node:fs';
import { AckEvent, StoredEvent } from '@wasock/contracts';
import { describe, expect, it } from 'vitest';
import { AckTracker, trackReceipt } from './ack-tracker.ts';
import { type Receipt, receiptFromNode, receiptsFromTextFrame } from './receipt.ts';

// Each fixture is a sequence of receipt frames as they arrive (text frames parsed from JSON,
// binary nodes as decoded) and the ack events expected, in order, written out by hand.
interface ReceiptFixture {
  description: string;
  ownJid: string;
  frames: ({ text: unknown } | { node: unknown })[];
  expected: unknown[];
}

const dir = new URL('../test-fixtures/receipts/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map(
    (f) =>
      [
        f.slice(0, -'.json'.length),
        JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as ReceiptFixture,
      ] as const,
  );

function receiptsOf(fixture: ReceiptFixture): Receipt[] {
  return fixture.frames.flatMap((frame) => {
    if ('text' in frame) return receiptsFromTextFrame(frame.text, { ownJid: fixture.ownJid });
    const receipt = receiptFromNode(frame.node);
    return receipt ? [receipt] : [];
  });
}

describe('golden receipts', () => {
  for (const [name, fixture] of fixtures) {
    it(`${name}: ${fixture.description}`, () => {
      const tracker = new AckTracker();
      const events = receiptsOf(fixture)
        .map((r) => tracker.observe(r))
        .filter((e) => e !== null);

      expect(events).toEqual(fixture.expected);
      for (const event of events) {
        expect(AckEvent.parse(event)).toEqual(event);
        expect(StoredEvent.parse(event)).toEqual(event);
      }
    });

    it(`${name}: gives the same events through an injected store`, async () => {
      const store = new AckTracker();
      const events: unknown[] = [];
      for (const receipt of receiptsOf(fixture)) {
        const event = await trackReceipt(store, receipt);
        if (event) events.push(event);
      }
      expect(events).toEqual(fixture.expected);
    });
  }
});
