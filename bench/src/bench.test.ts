import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_SCENARIOS } from './args.ts';
import type { RunReport } from './report.ts';
import { ALL_SYSTEMS, SYSTEM_LABELS } from './systems.ts';

// Runs the whole suite at its tiny size so it never rots. It checks that a report is written
// with every scenario and every system in it, never a timing: this machine's figures are noise.

const out = mkdtempSync(join(tmpdir(), 'wasock-bench-quick-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function runQuick(): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'main.ts'), '--quick', '--out', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-20_000);
    });
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

describe('pnpm bench --quick', () => {
  it('writes a JSON report, a Markdown report and SVG charts covering every scenario and system', async () => {
    const { code, stderr } = await runQuick();
    expect(code, stderr).toBe(0);
    const files = readdirSync(out);
    const json = files.find((f) => f.endsWith('.json'));
    const md = files.find((f) => f.endsWith('.md'));
    expect(json, files.join(', ')).toBeDefined();
    expect(md).toBeDefined();
    expect(files.filter((f) => f.endsWith('.svg'))).toHaveLength(3);
    for (const svg of files.filter((f) => f.endsWith('.svg'))) {
      expect(readFileSync(join(out, svg), 'utf8')).toMatch(/^<svg/);
    }

    const report = JSON.parse(readFileSync(join(out, json as string), 'utf8')) as RunReport;
    expect(report.mode).toBe('quick');
    expect(report.machine.cores).toBeGreaterThan(0);
    const scenarios = new Set(report.measurements.map((m) => m.scenario));
    for (const s of ALL_SCENARIOS) expect(scenarios, s).toContain(s);
    const systems = new Set(report.measurements.map((m) => m.system));
    for (const s of ALL_SYSTEMS) expect(systems, s).toContain(s);
    expect(report.targets.length).toBeGreaterThan(10);

    const text = readFileSync(join(out, md as string), 'utf8');
    for (const s of ALL_SYSTEMS) expect(text).toContain(SYSTEM_LABELS[s]);
    for (const heading of ['Fan-out', 'Many tokens', 'Idle-token', 'Reconnect storm', 'Capacity', 'Ingest']) {
      expect(text).toContain(heading);
    }
  }, 300_000);
});
