import { execFileSync } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';
import { openFilesLimit } from './proc-stats.ts';

/** The machine and software a run was measured on. */
export interface MachineFacts {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  redis: string;
  nats: string;
  openFilesLimit: number;
  gitCommit: string;
  gitDirty: boolean;
}

function run(cmd: string, args: string[], cwd?: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    return `unknown (${(err as Error).message.split('\n')[0]})`;
  }
}

/** Reads the facts a report needs to be compared with another one. */
export function machineFacts(repoRoot: string, natsBin: string): MachineFacts {
  const redis = /v=(\S+)/.exec(run('redis-server', ['--version']))?.[1] ?? 'unknown';
  const nats = /v?(\d+\.\d+\.\d+)/.exec(run(natsBin, ['--version']))?.[1] ?? 'unknown';
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    redis,
    nats,
    openFilesLimit: openFilesLimit(),
    gitCommit: run('git', ['rev-parse', 'HEAD'], repoRoot),
    gitDirty: run('git', ['status', '--porcelain', '--', 'apps', 'packages', 'bench/src'], repoRoot) !== '',
  };
}
