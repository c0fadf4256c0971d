import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

describe('createLogger', () => {
  it('redacts tokens and credentials, top level and nested', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const logger = createLogger({ name: 't', level: 'info', destination: sink });
    logger.info({ token: 'SECRET-1', client: { token: 'SECRET-2', macKey: 'SECRET-3' } }, 'hello');
    logger.info({ creds: { encKey: 'SECRET-4' }, headers: { authorization: 'Bearer SECRET-5' } }, 'more');
    const out = lines.join('');
    expect(out).not.toMatch(/SECRET/);
    expect(out).toContain('hello');
    expect(out).toContain('[redacted]');
  });

  it('carries the app name on every line', () => {
    expect(createLogger({ name: 'sock-edge' }).bindings()).toMatchObject({ app: 'sock-edge' });
  });
});
