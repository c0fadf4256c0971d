import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess } from '@wasock/testkit';
import { repoRoot } from './edge-process.ts';

const SEED_HOST = 'mywhatsapp.jca.ec';

/**
 * Runs a seed 000 client (verbatim from test/seed-clients) with only host, port and token
 * replaced, and returns its process; its stdout is what the user would see.
 */
export function runSeedClient(kind: 'python' | 'node', port: number, token: string): AppProcess {
  const file = kind === 'python' ? 'client.py' : 'client.cjs';
  const source = readFileSync(join(repoRoot, 'test/seed-clients', file), 'utf8');
  const patched = source
    .replace(SEED_HOST, '127.0.0.1')
    .replace(/\b5026\b/, String(port))
    .replace(/'TOKEN'/, `'${token}'`);
  if (patched === source || !patched.includes(`'${token}'`)) throw new Error(`could not patch ${file}`);
  const dir = mkdtempSync(join(tmpdir(), 'wasock-seed-'));
  const path = join(dir, file);
  writeFileSync(path, patched);
  // Unbuffered stdout only changes when Python prints, not what it prints.
  return kind === 'python'
    ? new AppProcess('python3', [path], { env: { PYTHONUNBUFFERED: '1' } })
    : new AppProcess(process.execPath, [path]);
}

/**
 * The events a seed client printed, rebuilt from its stdout. Python prints `Received: <chunk>`
 * per read, exactly. Node's console.log adds a newline after each chunk, and a chunk may end in
 * the middle of a line, so pieces are joined until they parse as JSON.
 */
export function printedEvents(kind: 'python' | 'node', stdout: string): Record<string, unknown>[] {
  const text =
    kind === 'python'
      ? stdout
          .split('Received: ')
          .slice(1)
          .map((part) => part.slice(0, -1))
          .join('')
      : stdout.replace(/^Connected to server\n/, '');
  const events: Record<string, unknown>[] = [];
  let pending = '';
  for (const piece of text.split('\n')) {
    if (piece === '') continue;
    pending += piece;
    try {
      events.push(JSON.parse(pending) as Record<string, unknown>);
      pending = '';
    } catch {
      // Not a whole line yet: the next piece continues it.
    }
  }
  return events;
}
