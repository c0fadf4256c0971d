import { BenchError } from './errors.ts';
import type { ScenarioId } from './measurement.ts';
import { ALL_SYSTEMS, type SystemId } from './systems.ts';

export const ALL_SCENARIOS: ScenarioId[] = [
  'fanout',
  'many-tokens',
  'idle-tokens',
  'storm',
  'capacity',
  'ingest',
];

/** Command-line options of `pnpm bench`. */
export interface BenchArgs {
  quick: boolean;
  /** Results directory (default bench/results, or bench/results/quick with --quick). */
  out: string | null;
  scenarios: ScenarioId[];
  systems: SystemId[];
  /** Write a `node --cpu-prof` profile of each sock-edge process into the results directory. */
  cpuProf: boolean;
}

/** Parses `--quick`, `--out DIR`, `--only s1,s2`, `--systems a,b`, `--cpu-prof`. */
export function parseArgs(argv: string[]): BenchArgs {
  const a: BenchArgs = {
    quick: false,
    out: null,
    scenarios: ALL_SCENARIOS,
    systems: ALL_SYSTEMS,
    cpuProf: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new BenchError('usage', `${arg} needs a value`);
      return v;
    };
    if (arg === '--quick') a.quick = true;
    else if (arg === '--cpu-prof') a.cpuProf = true;
    else if (arg === '--out') a.out = value();
    else if (arg === '--only') a.scenarios = pick(value(), ALL_SCENARIOS, '--only');
    else if (arg === '--systems') a.systems = pick(value(), ALL_SYSTEMS, '--systems');
    else if (arg === '--') continue;
    else throw new BenchError('usage', `unknown option ${arg}`);
  }
  return a;
}

function pick<T extends string>(list: string, allowed: T[], flag: string): T[] {
  const chosen = list.split(',').map((s) => s.trim());
  for (const c of chosen) {
    if (!allowed.includes(c as T))
      throw new BenchError('usage', `${flag}: ${c} is not one of ${allowed.join(', ')}`);
  }
  return allowed.filter((s) => chosen.includes(s));
}
