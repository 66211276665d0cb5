import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

export const ROOT = path.resolve(__dirname, '../..');
export const CHART = path.join(ROOT, 'charts/testmancer');
export const NAMESPACE = 'testmancer';
export const RELEASE = 'testmancer';

const run = promisify(execFile);

/** The helm that `make tools` builds (v3.22.0); the tests fail, not skip, without it. */
export function helmBinary(): string {
  const helm = path.join(ROOT, '.tools', 'helm');
  if (!existsSync(helm)) throw new Error(`${helm} is missing: run \`make tools\` (it builds helm v3.22.0)`);
  return helm;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  [key: string]: any;
}

export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]!.message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((object): object is K8sObject => object !== null && typeof object === 'object');
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function helm(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<HelmResult> {
  try {
    const { stdout, stderr } = await run(helmBinary(), args, { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failure.code === 'number' ? failure.code : 1,
      stdout: failure.stdout ?? '',
      stderr: failure.stderr ?? String(error),
    };
  }
}

/** `helm template` of the chart with these values files (relative to the chart) and extra arguments. */
export async function render(valuesFiles: string[], extra: string[] = []): Promise<K8sObject[]> {
  const result = await helm([
    'template',
    RELEASE,
    CHART,
    '--namespace',
    NAMESPACE,
    ...valuesFiles.flatMap((file) => ['--values', path.join(CHART, file)]),
    ...extra,
  ]);
  if (result.code !== 0) throw new Error(`helm template failed: ${result.stderr}`);
  return parseObjects(result.stdout);
}

export interface Validation {
  kind: string;
  name: string;
  error: string | null;
}

/** Validates objects with the kubernetes-models schemas (core, Argo Rollouts, Prometheus Operator, cert-manager). */
export function validateObjects(objects: K8sObject[]): Validation[] {
  const result = spawnSync(process.execPath, [path.join(__dirname, 'validate-objects.mjs')], {
    cwd: ROOT,
    input: JSON.stringify(objects),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`validate-objects failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Validation[];
}

export function byKind(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter((object) => object.kind === kind);
}

export function named(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

/** The pod template of a workload (Deployment, Rollout, StatefulSet, Job). */
export function podSpec(object: K8sObject): any {
  return object.spec.template.spec;
}

export const BACKEND = ['gateway', 'content', 'quiz', 'gems', 'media'] as const;
