// Renders every Kubernetes overlay (deploy/k8s/overlays/*) with `kubectl kustomize` and checks it
// offline: each object against the Kubernetes API schemas (kubernetes-models), then what this
// stack promises of its manifests (deploy/manifest-rules.ts). Prints every problem and exits 1 if
// there is any. Run by .ci/run: `npx tsx deploy/check-manifests.ts`.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { checkOverlay, type KubernetesObject } from './manifest-rules.js';

const DEPLOY_DIR = import.meta.dirname;
const REPO_ROOT = join(DEPLOY_DIR, '..');
const OVERLAYS_DIR = join(DEPLOY_DIR, 'k8s', 'overlays');

type Model = new (data: unknown) => { validate(): void };

function render(overlay: string): KubernetesObject[] {
  const output = execFileSync('kubectl', ['kustomize', join(OVERLAYS_DIR, overlay)], {
    encoding: 'utf8',
    // kustomize v5 warns about the v2 spellings the manifests keep on purpose (`bases`, `patchesStrategicMerge`).
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return parseAllDocuments(output).map((document) => withoutLineBreaksInData(document.toJS() as KubernetesObject));
}

/**
 * kubectl wraps a Secret's long base64 values over several lines, which the API server's decoder
 * skips and the schema's "byte" format does not: the lines are joined before validation.
 */
function withoutLineBreaksInData(object: KubernetesObject): KubernetesObject {
  if (object.kind !== 'Secret' || !object.data) return object;
  return {
    ...object,
    data: Object.fromEntries(Object.entries(object.data).map(([key, value]) => [key, value.replace(/\s+/g, '')])),
  };
}

/** The kubernetes-models class of an object: apps/v1 Deployment -> kubernetes-models/apps/v1/Deployment. */
async function modelOf(object: KubernetesObject): Promise<Model | null> {
  const path = `kubernetes-models/${object.apiVersion}/${object.kind}`;
  try {
    const module = (await import(path)) as Record<string, Model | undefined>;
    return module[object.kind] ?? null;
  } catch {
    return null;
  }
}

async function validateAgainstSchema(object: KubernetesObject): Promise<string | null> {
  const Model = await modelOf(object);
  if (!Model) return `no Kubernetes API schema for ${object.apiVersion} ${object.kind}`;
  try {
    new Model(object).validate();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function checkRenderedOverlay(overlay: string): Promise<string[]> {
  let objects: KubernetesObject[];
  try {
    objects = render(overlay);
  } catch (error) {
    return [`kubectl kustomize failed: ${error instanceof Error ? error.message : String(error)}`];
  }
  const problems: string[] = [];
  for (const object of objects) {
    const problem = await validateAgainstSchema(object);
    if (problem) problems.push(`${object.kind}/${object.metadata?.name ?? '?'}: ${problem}`);
  }
  problems.push(...checkOverlay(objects));
  process.stdout.write(`${overlay}: ${objects.length} objects rendered\n`);
  return problems;
}

const problems: string[] = [];
const copy = readFileSync(join(DEPLOY_DIR, 'k8s', 'base', 'supergraph.graphql'), 'utf8');
if (copy !== readFileSync(join(REPO_ROOT, 'supergraph.graphql'), 'utf8')) {
  problems.push('base: deploy/k8s/base/supergraph.graphql differs from supergraph.graphql: run npm run compose');
}
for (const overlay of readdirSync(OVERLAYS_DIR)) {
  problems.push(...(await checkRenderedOverlay(overlay)).map((problem) => `${overlay}: ${problem}`));
}
if (problems.length > 0) {
  process.stderr.write(`Kubernetes manifests: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write('Kubernetes manifests: every overlay renders and validates\n');
