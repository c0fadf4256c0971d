import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

describe('wa-sim CLI', () => {
  it('parses and validates its arguments', () => {
    expect(parseCliArgs(['--port', '9000', '--control-port', '9001', '--no-challenge'])).toMatchObject({
      port: 9000,
      controlPort: 9001,
      host: '127.0.0.1',
      challenge: false,
      ttlMs: 20_000,
    });
    expect(() => parseCliArgs(['--port', '70000', '--control-port', '1'])).toThrow(/--port/);
    expect(() => parseCliArgs(['--control-port', '1'])).toThrow(/--port/);
    expect(() => parseCliArgs(['--port', '1', '--control-port', '2', '--bogus'])).toThrow();
  });

  it('starts, prints its listening addresses and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [MAIN, '--port', '0', '--control-port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no addresses printed: ${out}`)), 8000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('wa-sim control')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    expect(out).toMatch(/wa-sim websocket ws:\/\/127\.0\.0\.1:\d+\/ws/);
    const controlUrl = /wa-sim control\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
    expect((await fetch(`${controlUrl}/sessions`)).status).toBe(200);
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('exits 2 with the usage on bad arguments', async () => {
    const child = spawn(process.execPath, [MAIN, '--port', 'abc'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/usage: wa-sim/);
  });
});
