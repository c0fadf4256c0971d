import { Writable } from 'node:stream';
import { createLogger } from '@wasock/runtime';
import { describe, expect, it } from 'vitest';
import { baileysLogger } from './baileys-logger.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger({ name: 'test', level: 'debug', destination }) };
}

describe('baileysLogger', () => {
  it('lets only warnings and errors through by default, tagged as Baileys', () => {
    const { lines, logger } = capture();
    const log = baileysLogger(logger);
    log.trace({ xml: '<iq/>' }, 'xml recv');
    log.debug({}, 'Event buffer activated');
    log.info({}, 'opened connection to WA');
    log.child({ class: 'noise' }).info({}, 'handshake');
    log.warn({ attrs: { id: '1' } }, 'received error in ack');
    log.error({ trace: 'stack' }, 'stream errored out');
    expect(lines.map((l) => [l.level, l.msg, l.lib])).toEqual([
      [40, 'received error in ack', 'baileys'],
      [50, 'stream errored out', 'baileys'],
    ]);
  });

  it('takes its level from LOG_LEVEL_BAILEYS, independent of the app level', () => {
    const { lines, logger } = capture();
    baileysLogger(logger, 'info').info({}, 'opened connection to WA');
    baileysLogger(logger, 'silent').error({}, 'dropped');
    expect(lines.map((l) => l.msg)).toEqual(['opened connection to WA']);
  });

  it('keeps our redaction for what Baileys logs', () => {
    const { lines, logger } = capture();
    baileysLogger(logger).warn({ creds: { noiseKey: 'secret' } }, 'x');
    expect(lines[0]?.creds).toBe('[redacted]');
  });
});
