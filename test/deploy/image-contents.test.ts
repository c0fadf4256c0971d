import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { AppProcess, RedisServer, waitFor } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCredsKey } from '../support/system.ts';
import { repoRoot } from './kustomize.ts';

// No Docker engine runs here, so this replays what the Dockerfile's dependency stages do (the
// same `pnpm install` line, offline from the local store, and deploy/docker/prune.sh) and starts
// each app from the resulting tree, which is what an image's /app holds.

const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, '');

/** The arguments of the `pnpm install` of stage deps-<target>, without the BuildKit cache store. */
function installArgs(target: string): string[] {
  const stage = dockerfile.split(/^FROM /m).find((s) => s.startsWith(`build AS deps-${target}\n`));
  const line = stage?.split('\n').find((l) => l.includes('pnpm install'));
  if (!line) throw new Error(`no pnpm install in stage deps-${target}`);
  const words = line
    .slice(line.indexOf('pnpm install') + 'pnpm install'.length)
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/^"(.*)"$/, '$1'));
  const at = words.indexOf('--store-dir');
  if (at >= 0) words.splice(at, 2);
  return ['install', ...words, '--offline'];
}

function pnpmBin(): string {
  const candidates = [
    ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'pnpm')),
    join(repoRoot, '.toolchain', 'node_modules', '.bin', 'pnpm'),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('pnpm not found (npm test puts .toolchain/node_modules/.bin on the PATH)');
  return found;
}

/** The build context: files git does not ignore, minus the .dockerignore'd folders. */
function contextFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#') && !l.includes('*'));
  return listed
    .split('\0')
    .filter((f) => f && !ignored.some((i) => f === i || f.startsWith(`${i}/`)))
    .filter((f) => existsSync(join(repoRoot, f)));
}

/** Runs the deps-<target> stage in a scratch folder and returns the pruned /out tree. */
function buildImageTree(target: string, pkg: string, scratch: string, files: string[]): string {
  const app = join(scratch, target);
  const manifests = files.filter((f) =>
    /(^|\/)(package\.json|pnpm-lock\.yaml|pnpm-workspace\.yaml)$/.test(f),
  );
  const copy = (list: string[]) => {
    for (const f of list) {
      mkdirSync(dirname(join(app, f)), { recursive: true });
      cpSync(join(repoRoot, f), join(app, f));
    }
  };
  copy(manifests);
  const env = { ...process.env, NODE_ENV: 'production', CI: 'true' };
  const install = spawnSync(pnpmBin(), installArgs(target), { cwd: app, env, encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`pnpm install failed:\n${install.stdout}${install.stderr}`);
  copy(files);
  const out = join(scratch, `${target}-out`);
  const prune = spawnSync('sh', [join(app, 'deploy/docker/prune.sh'), pkg, out], {
    cwd: app,
    env: { ...env, PATH: `${dirname(pnpmBin())}${delimiter}${process.env.PATH}` },
    encoding: 'utf8',
  });
  if (prune.status !== 0) throw new Error(`prune.sh failed:\n${prune.stdout}${prune.stderr}`);
  return out;
}

function walk(dir: string, skip: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (skip(e.name)) return [];
    const p = join(dir, e.name);
    return e.isDirectory() ? walk(p, skip) : [p];
  });
}

const NOBODY = 65534;

// How each app reports its HTTP port (the one serving /readyz) once it listens on port 0.
const HTTP_PORT_LOG = /"httpPort":(\d+)/;
const apps = [
  {
    target: 'sock-edge',
    pkg: '@wasock/sock-edge',
    main: 'apps/sock-edge/src/main.ts',
    args: [],
    port: HTTP_PORT_LOG,
  },
  {
    target: 'session-worker',
    pkg: '@wasock/session-worker',
    main: 'apps/session-worker/src/main.ts',
    args: [],
    port: HTTP_PORT_LOG,
  },
  { target: 'admin', pkg: '@wasock/admin', main: 'apps/admin/src/main.ts', args: [], port: HTTP_PORT_LOG },
  {
    target: 'wa-sim',
    pkg: '@wasock/wa-sim',
    main: 'packages/wa-sim/src/main.ts',
    args: ['--port', '0', '--control-port', '0'],
    port: /wa-sim control\s+http:\/\/[^:]+:(\d+)/,
  },
];

describe('image contents (the Dockerfile stages replayed without Docker)', () => {
  let scratch: string;
  let files: string[];
  let redisUrl: string;
  let redis: RedisServer;
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'wasock-image-'));
    // Readable by the unprivileged user the apps run as below.
    chmodSync(scratch, 0o755);
    files = contextFiles();
    // A Redis of its own: a session worker started on the run's shared Redis would claim other
    // tests' sessions (and run unrecorded ones on the default multi-device connector).
    redis = await RedisServer.start();
    redisUrl = redis.url;
  });
  afterAll(async () => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    await redis?.dispose();
  });

  for (const { target, pkg, main, args, port } of apps) {
    it.skipIf(!existsSync(join(repoRoot, main)))(
      `${target}: production dependencies only, no tests, and the app gets ready as a user who can write only its media folder`,
      async () => {
        const out = buildImageTree(target, pkg, scratch, files);
        const store = readdirSync(join(out, 'node_modules', '.pnpm'));
        for (const dev of ['vitest', 'typescript', 'testcontainers', '@biomejs', 'turbo', 'fast-check']) {
          expect(
            store.filter((d) => d.startsWith(`${dev.replace('/', '+')}@`)),
            dev,
          ).toEqual([]);
        }
        const sources = walk(out, (n) => n === 'node_modules');
        expect(sources.filter((f) => f.endsWith('.test.ts'))).toEqual([]);
        expect(existsSync(join(out, 'test')), 'no e2e tests').toBe(false);
        expect(existsSync(join(out, main))).toBe(true);

        const mediaDir = join(scratch, `${target}-media`);
        mkdirSync(mediaDir);
        // As in the pods: an unprivileged user that owns nothing but the media volume (and /tmp,
        // an emptyDir there), so an app writing anywhere else fails here as it would under
        // readOnlyRootFilesystem. Only root can switch users; others run as themselves.
        const asRoot = process.getuid?.() === 0;
        if (asRoot) chownSync(mediaDir, NOBODY, NOBODY);
        const command = [process.execPath, join(out, main), ...args];
        const proc = new AppProcess(
          asRoot ? 'setpriv' : command[0]!,
          asRoot
            ? [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', ...command]
            : command.slice(1),
          {
            cwd: out,
            env: {
              HOME: '/nonexistent',
              NODE_ENV: 'production',
              REDIS_URL: redisUrl,
              HTTP_PORT: '0',
              EDGE_PORT: '0',
              CREDS_KEY: testCredsKey(),
              MEDIA_DIR: mediaDir,
              ADMIN_TOKEN: 'image-contents-test-token',
              LOG_LEVEL: 'info',
            },
          },
        );
        try {
          const m = await proc.waitForOutput(port, 20_000);
          const ready = await waitFor(
            async () => {
              const res = await fetch(`http://127.0.0.1:${m[1]}/readyz`).catch(() => undefined);
              return res?.status === 200 ? res : null;
            },
            { timeoutMs: 15_000, what: `${target} /readyz` },
          );
          expect(ready.status).toBe(200);
        } finally {
          await proc.stop();
        }
      },
      120_000,
    );
  }
});
