import { describe, expect, it } from 'vitest';
import { type AckLevelStore, AckTracker, trackReceipt } from './ack-tracker.ts';
import type { Receipt } from './receipt.ts';

const receipt = (id: string, level: Receipt['level']): Receipt => ({
  fromMe: true,
  remoteJid: '593123456789@s.whatsapp.net',
  id,
  level,
});

describe('AckTracker', () => {
  it('names the message by its seed messageId with the chat in c.us form', () => {
    expect(new AckTracker().observe(receipt('M1', 3))).toEqual({
      content: 'ack',
      messageId: 'true_593123456789@c.us_M1',
      ack: 2,
    });
  });

  it('publishes nothing for a repeated or lower receipt', () => {
    const tracker = new AckTracker();
    expect(tracker.observe(receipt('M1', 3))?.ack).toBe(2);
    expect(tracker.observe(receipt('M1', 3))).toBeNull();
    expect(tracker.observe(receipt('M1', 2))).toBeNull();
    expect(tracker.levelOf('true_593123456789@c.us_M1')).toBe(2);
  });

  it('forgets the least recently raised message past its bound', () => {
    const tracker = new AckTracker({ maxEntries: 2 });
    tracker.observe(receipt('A', 2));
    tracker.observe(receipt('B', 2));
    tracker.observe(receipt('A', 3)); // A becomes the youngest
    tracker.observe(receipt('C', 2)); // B is evicted
    expect(tracker.size).toBe(2);
    expect(tracker.levelOf('true_593123456789@c.us_B')).toBeUndefined();
    expect(tracker.levelOf('true_593123456789@c.us_A')).toBe(2);
    expect(tracker.observe(receipt('B', 2))?.ack).toBe(1);
  });

  it('publishes nothing for a message id too long for the event schema', async () => {
    const tracker = new AckTracker();
    expect(tracker.observe(receipt('A'.repeat(600), 3))).toBeNull();
    expect(await trackReceipt(tracker, receipt('A'.repeat(600), 3))).toBeNull();
    expect(tracker.size).toBe(0);
  });

  it('stays bounded under many messages', () => {
    const tracker = new AckTracker({ maxEntries: 100 });
    for (let i = 0; i < 1000; i++) tracker.observe(receipt(`M${i}`, 2));
    expect(tracker.size).toBe(100);
  });
});

describe('trackReceipt', () => {
  it('asks an injected asynchronous store to raise the level and publishes only when it did', async () => {
    const stored = new Map<string, number>();
    const calls: [string, number][] = [];
    const store: AckLevelStore = {
      async raise(messageId, level) {
        calls.push([messageId, level]);
        if ((stored.get(messageId) ?? 0) >= level) return false;
        stored.set(messageId, level);
        return true;
      },
    };
    expect(await trackReceipt(store, receipt('M1', 2))).toEqual({
      content: 'ack',
      messageId: 'true_593123456789@c.us_M1',
      ack: 1,
    });
    expect(await trackReceipt(store, receipt('M1', 1))).toBeNull();
    expect(calls).toEqual([
      ['true_593123456789@c.us_M1', 1],
      ['true_593123456789@c.us_M1', 1],
    ]);
  });

  it('does not consult the store for error or pending receipts', async () => {
    const store: AckLevelStore = {
      raise() {
        throw new Error('should not be called');
      },
    };
    expect(await trackReceipt(store, receipt('M1', -1))).toBeNull();
    expect(await trackReceipt(store, receipt('M1', 0))).toBeNull();
  });
});
