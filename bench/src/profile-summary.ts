// `node bench/src/profile-summary.ts <file.cpuprofile> [top]`: where an edge spent its CPU time,
// from a `node --cpu-prof` profile: self time per function and per file, largest first.

import { readFileSync } from 'node:fs';
import { BenchError } from './errors.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time in ms by function and by file of one profile. */
export function selfTimes(p: CpuProfile): {
  byFunction: Map<string, number>;
  byFile: Map<string, number>;
  totalMs: number;
} {
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const ms = (p.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    const f = nodes.get(id)?.callFrame;
    if (!f) return;
    const file = f.url.replace(/^file:\/\/.*?\/(node_modules|apps|packages)\//, '$1/') || '(native)';
    const fn = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
  });
  return { byFunction, byFile, totalMs: total };
}

function top(m: Map<string, number>, n: number, total: number): string {
  return [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${v.toFixed(0).padStart(7)} ms  ${k}`)
    .join('\n');
}

if (import.meta.main) {
  const [file, count] = process.argv.slice(2);
  if (!file) throw new BenchError('usage', 'usage: profile-summary.ts <file.cpuprofile> [top]');
  const s = selfTimes(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const n = Number(count ?? 25);
  console.log(`total ${s.totalMs.toFixed(0)} ms\n\nby function (self):\n${top(s.byFunction, n, s.totalMs)}`);
  console.log(`\nby file (self):\n${top(s.byFile, n, s.totalMs)}`);
}
