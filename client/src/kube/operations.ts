/**
 * Apply, server-side dry run and the two sides of a diff, on an explicit target: the
 * confirmed context is always passed as --context. Each document is written to its own
 * temporary file, so kubectl's errors (which name the file) map back to the document, and
 * documents without metadata.namespace get the extension's namespace in that copy (kubectl
 * refuses --namespace when a document names another one). No `vscode` import.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments, parseDocument, stringify } from 'yaml';
import { explainFailure, type Failure } from './errors';
import { runKubectl, type KubectlSettings, type RunResult } from './kubectl';
import type { ManifestDoc } from './manifests';
import type { Target } from './safety';

export const FIELD_MANAGER = 'istio-security';

/** Kinds that have no namespace: their copies get none. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'Node',
]);

export interface ApplyMode {
  /** --dry-run=server: the API server and its admission webhooks (Istio's validation) run, nothing is stored. */
  dryRun?: boolean;
  /** --server-side --field-manager=istio-security. */
  serverSide?: boolean;
  /** --force-conflicts (server-side only): take over fields other managers own. */
  forceConflicts?: boolean;
  /** -o yaml: print the resulting objects. */
  outputYaml?: boolean;
}

export interface ClusterRun {
  target: Target;
  docs: ManifestDoc[];
  settings: KubectlSettings;
  signal?: AbortSignal;
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
  env?: NodeJS.ProcessEnv;
}

export interface RunOutcome {
  result: RunResult;
  failure?: Failure;
}

export function applyArgs(context: string, files: string[], mode: ApplyMode): string[] {
  return [
    'apply',
    '--context',
    context,
    ...(mode.dryRun ? ['--dry-run=server'] : []),
    ...(mode.serverSide ? ['--server-side', `--field-manager=${FIELD_MANAGER}`] : []),
    ...(mode.serverSide && mode.forceConflicts ? ['--force-conflicts'] : []),
    ...(mode.outputYaml ? ['-o', 'yaml'] : []),
    ...files.flatMap((f) => ['-f', f]),
  ];
}

export function getArgs(context: string, files: string[]): string[] {
  return ['get', '--context', context, '--ignore-not-found', '-o', 'yaml', ...files.flatMap((f) => ['-f', f])];
}

/** The document's text as kubectl gets it: with the target namespace when it names none. */
export function docForCluster(doc: ManifestDoc, namespace: string): string {
  if (doc.namespace || CLUSTER_SCOPED.has(doc.kind)) return doc.text.endsWith('\n') ? doc.text : `${doc.text}\n`;
  const d = parseDocument(doc.text);
  d.setIn(['metadata', 'namespace'], namespace);
  return d.toString();
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60) || 'doc';
}

/** Writes one file per document into a fresh temporary folder; call the returned cleanup. */
async function withDocFiles<T>(docs: ManifestDoc[], namespace: string, fn: (files: string[]) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'istio-sec-apply-'));
  try {
    const files = docs.map((d, i) => path.join(dir, `${String(i + 1).padStart(3, '0')}-${safeName(d.kind)}-${safeName(d.name)}.yaml`));
    await Promise.all(docs.map((d, i) => writeFile(files[i], docForCluster(d, namespace), 'utf8')));
    return await fn(files);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function run(r: ClusterRun, argsFor: (files: string[]) => string[]): Promise<RunOutcome> {
  return withDocFiles(r.docs, r.target.namespace, async (files) => {
    const result = await runKubectl({ settings: r.settings, args: argsFor(files), signal: r.signal, onOutput: r.onOutput, env: r.env });
    const failure = explainFailure(result, {
      context: r.target.context,
      server: r.target.server,
      kubectlPath: r.settings.path,
      timeoutMs: r.settings.timeoutMs,
      docs: r.docs,
      files,
    });
    return { result, failure };
  });
}

/** kubectl apply (or its server-side dry run) of the documents on the target context. */
export function applyDocs(r: ClusterRun, mode: ApplyMode): Promise<RunOutcome> {
  return run(r, (files) => applyArgs(r.target.context, files, mode));
}

/** Metadata the server adds, which a diff should not show. */
const SERVER_FIELDS = ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink'];
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The objects of kubectl's -o yaml output: one object, a List, or several documents. */
export function objectsOf(yamlText: string): Obj[] {
  return parseAllDocuments(yamlText)
    .flatMap((d) => {
      const js = d.toJS() as unknown;
      if (!isObj(js)) return [];
      return js.kind === 'List' && Array.isArray(js.items) ? (js.items as unknown[]) : [js];
    })
    .filter(isObj);
}

/** An object without the server's bookkeeping (managedFields, resourceVersion, status, ...). */
export function withoutServerFields(o: Obj): Obj {
  const meta = isObj(o.metadata) ? { ...o.metadata } : {};
  for (const f of SERVER_FIELDS) delete meta[f];
  if (isObj(meta.annotations)) {
    const annotations = { ...meta.annotations };
    delete annotations[LAST_APPLIED];
    if (Object.keys(annotations).length === 0) delete meta.annotations;
    else meta.annotations = annotations;
  }
  const out: Obj = { ...o, metadata: meta };
  delete out.status;
  return out;
}

function keyOf(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

export interface DiffSides {
  /** The live objects, in document order (a comment for those not in the cluster). */
  live: string;
  /** What apply would make of them (server-side dry run), in the same order. */
  result: string;
  failure?: Failure;
}

/** Renders, per document, the matching object of `objects` (or a comment when there is none). */
function render(docs: ManifestDoc[], namespace: string, objects: Obj[], missing: string): string {
  const byKey = new Map(objects.map((o) => {
    const m = (isObj(o.metadata) ? o.metadata : {}) as Obj;
    return [keyOf(String(o.kind), m.namespace as string | undefined, String(m.name)), o] as const;
  }));
  return docs
    .map((d) => {
      const ns = CLUSTER_SCOPED.has(d.kind) ? undefined : (d.namespace ?? namespace);
      const o = byKey.get(keyOf(d.kind, ns, d.name));
      return o ? stringify(withoutServerFields(o)) : `# ${d.kind} ${ns ? `${ns}/` : ''}${d.name}: ${missing}\n`;
    })
    .join('---\n');
}

/**
 * Both sides of a diff: `kubectl get -o yaml` for the live objects and
 * `kubectl apply --dry-run=server -o yaml` for what apply would produce.
 */
export async function diffSides(r: ClusterRun, mode: Pick<ApplyMode, 'serverSide'> = {}): Promise<DiffSides> {
  const live = await run(r, (files) => getArgs(r.target.context, files));
  if (live.failure) return { live: '', result: '', failure: live.failure };
  const result = await applyDocs(r, { ...mode, dryRun: true, outputYaml: true });
  if (result.failure) return { live: '', result: '', failure: result.failure };
  return {
    live: render(r.docs, r.target.namespace, objectsOf(live.result.stdout), 'not in the cluster'),
    result: render(r.docs, r.target.namespace, objectsOf(result.result.stdout), 'not returned by the dry run'),
  };
}
