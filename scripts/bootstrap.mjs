#!/usr/bin/env node
// Entry point of `npm start` and `npm test` on a fresh machine. It must run on the system's Node
// (20 here) with built-ins only: it brings Node 24 and pnpm into .toolchain/, installs the
// workspace from the committed lockfile, installs the Debian packages the chosen command needs,
// then hands over to Node 24.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const toolchainBin = join(root, '.toolchain', 'node_modules', '.bin');
const MIN_NODE = 24;
// The pnpm the lockfile was written with (lockfile format and settings such as allowBuilds).
const PNPM_SPEC = 'pnpm@10.34.8';

/** Debian packages each command needs, beyond what the machine image ships. */
const APT_NEEDS = {
  start: ['redis-server'],
  // prometheus (promtool) and haproxy check the deploy/ configs in test/deploy; chromium runs the
  // admin console test (playwright-core drives Debian's browser, none is downloaded).
  test: ['redis-server', 'python3', 'prometheus', 'haproxy', 'chromium'],
  setup: [],
};

const command = process.argv[2];
const rest = process.argv.slice(3);
if (!command || !(command in APT_NEEDS)) {
  console.error(`usage: node scripts/bootstrap.mjs <${Object.keys(APT_NEEDS).join('|')}> [args…]`);
  process.exit(2);
}

function log(msg) {
  console.error(`[bootstrap] ${msg}`);
}

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (res.error) throw res.error;
  return res.status ?? 1;
}

function must(cmd, args, opts) {
  const code = run(cmd, args, opts);
  if (code !== 0) {
    log(`${cmd} ${args.join(' ')} failed with exit code ${code}`);
    process.exit(code);
  }
}

function onPath(bin, path = process.env.PATH ?? '') {
  return path.split(delimiter).some((dir) => dir && existsSync(join(dir, bin)));
}

function nodeMajor(bin) {
  const res = spawnSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return res.status === 0 ? Number(res.stdout.trim().split('.')[0]) : 0;
}

function ensureToolchain() {
  const haveNode =
    existsSync(join(toolchainBin, 'node')) && nodeMajor(join(toolchainBin, 'node')) >= MIN_NODE;
  const havePnpm = existsSync(join(toolchainBin, 'pnpm'));
  const systemNodeOk = Number(process.versions.node.split('.')[0]) >= MIN_NODE;
  if ((haveNode || systemNodeOk) && havePnpm) return;
  log(`installing Node ${MIN_NODE} and pnpm into .toolchain/ (system Node is ${process.versions.node})`);
  const pkgs = [`node@${MIN_NODE}`, PNPM_SPEC];
  must('npm', ['install', '--prefix', '.toolchain', '--no-audit', '--no-fund', '--loglevel=error', ...pkgs]);
}

function aptInstall(packages) {
  const missing = packages.filter((p) => !hasDebianPackage(p));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    log(
      `missing Debian packages ${missing.join(' ')}; install them (apt-get install -y ${missing.join(' ')})`,
    );
    process.exit(1);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  must('apt-get', ['update', '-qq'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  must('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function hasDebianPackage(name) {
  const binaries = { 'redis-server': 'redis-server', python3: 'python3' };
  const bin = binaries[name];
  if (bin && onPath(bin)) return true;
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
  const res = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return res.status === 0 && res.stdout.includes('install ok installed');
}

ensureToolchain();
const env = {
  ...process.env,
  PATH: [toolchainBin, join(root, 'node_modules', '.bin'), process.env.PATH].join(delimiter),
};
const needs = APT_NEEDS[command].filter((p) => !(p === 'redis-server' && process.env.REDIS_URL));
aptInstall(needs);

log('installing dependencies (pnpm install --frozen-lockfile)');
must(
  'pnpm',
  ['install', '--frozen-lockfile', '--reporter=append-only', '--config.confirmModulesPurge=false'],
  { env },
);

const next = {
  setup: null,
  start: ['node', ['scripts/up.ts', ...rest]],
  test: ['node', ['scripts/test.ts', ...rest]],
}[command];
if (next) {
  // Async spawn so that SIGINT/SIGTERM sent to npm reach the child, which stops what it started.
  const child = spawn(next[0], next[1], { stdio: 'inherit', cwd: root, env });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 1)));
}
