import { describe, expect, it, vi } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';
import { RequestTimeoutError } from './errors.ts';
import { toChatJid, toWireJid } from './jid.ts';
import { createTagGenerator, newMessageId } from './message-tag.ts';
import { PendingRequests } from './pending-requests.ts';

describe('request matching', () => {
  it('resolves the request whose tag the answer carries', async () => {
    const pending = new PendingRequests();
    const a = pending.wait('a', 1000);
    const b = pending.wait('b', 1000);
    expect(pending.resolve('b', 2)).toBe(true);
    expect(pending.resolve('a', 1)).toBe(true);
    expect(pending.resolve('c', 3)).toBe(false);
    await expect(a).resolves.toBe(1);
    await expect(b).resolves.toBe(2);
    expect(pending.size).toBe(0);
  });

  it('times out a request nobody answers', async () => {
    vi.useFakeTimers();
    try {
      const pending = new PendingRequests();
      const p = pending.wait('x', 50);
      vi.advanceTimersByTime(60);
      await expect(p).rejects.toBeInstanceOf(RequestTimeoutError);
      expect(pending.resolve('x', 1)).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('fails everything waiting when the connection closes', async () => {
    const pending = new PendingRequests();
    const p = pending.wait('x', 1000);
    pending.rejectAll();
    await expect(p).rejects.toMatchObject({ code: 'connection_closed' });
  });
});

describe('tags, ids, jids and backoff', () => {
  it('makes unique tags per connection', () => {
    const next = createTagGenerator(() => 1_588_844_230_000);
    expect([next(), next()]).toEqual(['1588844230.--0', '1588844230.--1']);
  });

  it('makes WhatsApp Web style message ids', () => {
    expect(newMessageId(() => new Uint8Array(8).fill(0xab))).toBe('3EB0ABABABABABABABAB');
  });

  it('translates between the wire and chat jid servers', () => {
    expect(toChatJid('123@s.whatsapp.net')).toBe('123@c.us');
    expect(toWireJid('123@c.us')).toBe('123@s.whatsapp.net');
    expect(toChatJid('123-456@g.us')).toBe('123-456@g.us');
  });

  it('grows the reconnect delay and caps it', () => {
    const opts = { ...DEFAULT_BACKOFF, jitter: 0 };
    expect([0, 1, 2, 10].map((n) => backoffDelay(n, opts))).toEqual([1000, 2000, 4000, 30_000]);
    const d = backoffDelay(0, DEFAULT_BACKOFF, () => 0.999);
    expect(d).toBeGreaterThan(1000);
    expect(d).toBeLessThanOrEqual(1200);
  });
});
