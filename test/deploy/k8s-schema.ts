import { join } from 'node:path';
import * as prometheusOperator from '@kubernetes-models/prometheus-operator';
import * as kubernetes from 'kubernetes-models';
import ts from 'typescript';
import type { K8sObject } from './kustomize.ts';

interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data: unknown): { validate(): void };
}

/** apiVersion/kind → the model class that carries the object's JSON schema. */
const models = new Map<string, ModelClass>();
function collect(ns: object, depth: number): void {
  for (const value of Object.values(ns)) {
    if (
      typeof value === 'function' &&
      typeof value.apiVersion === 'string' &&
      typeof value.kind === 'string'
    ) {
      models.set(`${value.apiVersion}/${value.kind}`, value as ModelClass);
    } else if (value && typeof value === 'object' && depth < 3) {
      collect(value, depth + 1);
    }
  }
}
collect(kubernetes, 0);
collect(prometheusOperator, 0);

// The models keep API versions that current clusters no longer serve; an object in one of them
// validates here and is refused by the API server.
const REMOVED_API_VERSIONS = new Set([
  'extensions/v1beta1',
  'apps/v1beta1',
  'apps/v1beta2',
  'policy/v1beta1',
  'autoscaling/v2beta1',
  'autoscaling/v2beta2',
  'networking.k8s.io/v1beta1',
  'batch/v1beta1',
]);

const id = (o: K8sObject) => `${o.kind}/${o.metadata?.name ?? '?'}`;

/**
 * Validates objects against the Kubernetes (and Prometheus Operator CRD) JSON schemas of the
 * kubernetes-models packages. Returns one message per problem; empty when all are valid.
 */
export function schemaErrors(objects: K8sObject[]): string[] {
  const errors: string[] = [];
  for (const o of objects) {
    if (REMOVED_API_VERSIONS.has(o.apiVersion)) {
      errors.push(`${id(o)}: apiVersion ${o.apiVersion} is no longer served by Kubernetes`);
      continue;
    }
    const Model = models.get(`${o.apiVersion}/${o.kind}`);
    if (!Model) {
      errors.push(`${id(o)}: no schema for ${o.apiVersion} ${o.kind}`);
      continue;
    }
    try {
      new Model(o).validate();
    } catch (err) {
      errors.push(`${id(o)}: ${(err as Error).message}`);
    }
  }
  return errors;
}

let previousProgram: ts.Program | undefined;

/**
 * The JSON schemas accept unknown fields (Kubernetes' OpenAPI has no additionalProperties: false),
 * but the API server rejects them under strict field validation, kubectl's default. The models'
 * TypeScript interfaces list every field, so each object is type-checked as an object literal of
 * its interface: excess property checks report unknown or misplaced fields, at any depth.
 */
export function unknownFieldErrors(objects: K8sObject[]): string[] {
  const known = objects.filter((o) => models.has(`${o.apiVersion}/${o.kind}`));
  const lines = known.map((o, i) => {
    const pkg = o.apiVersion.startsWith('monitoring.coreos.com/')
      ? '@kubernetes-models/prometheus-operator'
      : 'kubernetes-models';
    return `export const o${i}: import(${JSON.stringify(`${pkg}/${o.apiVersion}/${o.kind}`)}).I${o.kind} = ${JSON.stringify(o)};`;
  });
  const source = lines.join('\n');
  // A file that exists only in memory, next to this one so the packages resolve from test/.
  const fileName = join(import.meta.dirname, '__manifests__.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    name === fileName ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, ...rest);
  host.fileExists = (name) => name === fileName || fileExists(name);
  // Reusing the previous program skips re-reading the models' declarations on every call.
  const program = ts.createProgram([fileName], options, host, previousProgram);
  previousProgram = program;
  const file = program.getSourceFile(fileName)!;
  return ts.getPreEmitDiagnostics(program, file).map((d) => {
    const line = d.start === undefined ? -1 : file.getLineAndCharacterOfPosition(d.start).line;
    const where = known[line] ? id(known[line]) : fileName;
    const near = d.start === undefined ? '' : ` (at ${source.slice(d.start, d.start + 60)}…)`;
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}${near}`;
  });
}
