import { describe, expect, it } from 'vitest';
import { type LiveSink, parseSessionChange, Subscriptions } from './live-hub.ts';

const sink = (): LiveSink => ({ send: () => undefined });

describe('Subscriptions', () => {
  it('asks for the channel on the first watcher and drops it after the last', () => {
    const subs = new Subscriptions();
    const [a, b] = [sink(), sink()];
    expect(subs.add('s1', a)).toBe(true);
    expect(subs.add('s1', b)).toBe(false);
    expect(subs.add('s1', a)).toBe(false);
    expect(subs.remove('s1', a)).toBe(false);
    expect([...subs.sinks('s1')]).toEqual([b]);
    expect(subs.remove('s1', b)).toBe(true);
    expect(subs.size).toBe(0);
  });

  it('ignores removing a sink that never watched', () => {
    const subs = new Subscriptions();
    subs.add('s1', sink());
    expect(subs.remove('s1', sink())).toBe(false);
    expect(subs.remove('s2', sink())).toBe(false);
    expect(subs.size).toBe(1);
  });

  it('removes a closed client everywhere and lists the sessions left unwatched', () => {
    const subs = new Subscriptions();
    const [a, b] = [sink(), sink()];
    subs.add('s1', a);
    subs.add('s2', a);
    subs.add('s2', b);
    expect(subs.removeAll(a)).toEqual(['s1']);
    expect([...subs.sinks('s2')]).toEqual([b]);
  });
});

describe('parseSessionChange', () => {
  it('reads "<sid> <state>" and refuses anything else', () => {
    expect(parseSessionChange('00ff00ff00ff00ff connected')).toEqual({
      sid: '00ff00ff00ff00ff',
      state: 'connected',
    });
    expect(parseSessionChange('garbage')).toBeNull();
    expect(parseSessionChange('a b c')).toBeNull();
  });
});
