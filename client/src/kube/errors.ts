/**
 * Turns a failed kubectl run into an actionable explanation: kubectl missing, cluster
 * unreachable, authentication failure, unknown kind (Istio CRDs missing or a removed API),
 * admission webhook denials (mapped back to the document they name) and server-side apply
 * conflicts (which fields, which managers). No `vscode` import.
 */
import type { RunResult } from './kubectl';
import type { ManifestDoc } from './manifests';

export type FailureKind =
  | 'kubectl-missing'
  | 'kubectl-not-executable'
  | 'cancelled'
  | 'timeout'
  | 'unreachable'
  | 'auth'
  | 'no-kind'
  | 'webhook-denied'
  | 'conflict'
  | 'forbidden'
  | 'failed';

export interface Denial {
  webhook: string;
  /** What the webhook said, after "denied the request: ". */
  reason: string;
  /** The document it was about, when kubectl's output names it. */
  doc?: ManifestDoc;
}

export interface Conflict {
  manager: string;
  field: string;
}

export interface Failure {
  kind: FailureKind;
  message: string;
  denials: Denial[];
  conflicts: Conflict[];
  /** For no-kind: the apiVersion belongs to an Istio API that was removed (convert it). */
  removedApi?: boolean;
}

export interface FailureContext {
  context: string;
  server: string;
  kubectlPath: string;
  timeoutMs: number;
  /** The documents sent, and the file each was written to (see operations.ts). */
  docs: ManifestDoc[];
  files: string[];
}

/** Istio API groups that no Istio release still serves. */
export const REMOVED_ISTIO_GROUPS: readonly string[] = ['authentication.istio.io', 'rbac.istio.io', 'config.istio.io', 'policy.istio.io'];

const UNREACHABLE = /connection refused|no such host|i\/o timeout|network is unreachable|no route to host|TLS handshake timeout|Unable to connect to the server|dial tcp/i;
const AUTH = /getting credentials|exec plugin|executable \S+ not found|Unauthorized|You must be logged in|provide credentials|invalid bearer token|token has expired/i;

function firstLine(text: string, re: RegExp): string | undefined {
  return text.split('\n').find((l) => re.test(l))?.trim();
}

/** `error when creating "FILE"`, `for: "FILE"`: the file an error block names. */
function fileNamed(block: string): string | undefined {
  return /(?:error when (?:creating|patching|applying|replacing|retrieving current configuration of)|for:) "([^"]+)"/.exec(block)?.[1];
}

/** Splits stderr into error blocks: each starts at a line beginning with "Error from server" or "error:". */
function errorBlocks(stderr: string): string[] {
  const blocks: string[] = [];
  for (const line of stderr.split('\n')) {
    if (/^(Error from server|error:)/.test(line) || blocks.length === 0) blocks.push(line);
    else blocks[blocks.length - 1] += `\n${line}`;
  }
  return blocks.filter((b) => b.trim() !== '');
}

/** The documents kubectl reported as done on stdout (`kind.group/name created`, ...). */
function succeededDocs(stdout: string, docs: ManifestDoc[]): Set<ManifestDoc> {
  const done = new Set<ManifestDoc>();
  for (const m of stdout.matchAll(/^([a-z0-9-]+)(?:\.([a-z0-9.-]+))?\/(\S+) (?:created|configured|unchanged|serverside-applied)/gm)) {
    const [, kind, group = '', name] = m;
    const doc = docs.find((d) => !done.has(d) && d.kind.toLowerCase() === kind && d.name === name && (d.apiVersion.includes('/') ? d.apiVersion.split('/')[0] : '') === group);
    if (doc) done.add(doc);
  }
  return done;
}

/**
 * Admission webhook denials, each mapped to its document: by the file kubectl names (one file
 * per document), else by `Name: "x", Namespace: "y"`, else, in order, to the documents that
 * kubectl did not report as done (kubectl handles documents in order).
 */
export function parseDenials(stderr: string, stdout: string, docs: ManifestDoc[], files: string[]): Denial[] {
  const denials: Denial[] = [];
  const done = succeededDocs(stdout, docs);
  const unclaimed = (): ManifestDoc[] => docs.filter((d) => !done.has(d));
  for (const block of errorBlocks(stderr)) {
    const m = /admission webhook "([^"]+)" denied the request: ?(.*)/.exec(block);
    if (!m) continue;
    const file = fileNamed(block);
    const byFile = file !== undefined && files.indexOf(file) >= 0 ? docs[files.indexOf(file)] : undefined;
    const named = /Name: "([^"]+)", Namespace: "([^"]*)"/.exec(block);
    const byName = named ? docs.find((d) => d.name === named[1] && (d.namespace === undefined || d.namespace === named[2])) : undefined;
    const doc = byFile ?? byName ?? unclaimed()[0];
    if (doc) done.add(doc);
    denials.push({ webhook: m[1], reason: m[2].trim(), doc });
  }
  return denials;
}

/** Server-side apply conflicts: `conflict with "M" using V: .f` and `conflicts with "M":\n- .f\n- .g`. */
export function parseConflicts(stderr: string): Conflict[] {
  const out: Conflict[] = [];
  let manager: string | undefined;
  for (const line of stderr.split('\n')) {
    const head = /conflicts? with "([^"]+)"(?: using [^:\n]+)?:\s*(\S*)/.exec(line);
    if (head) {
      manager = head[1];
      if (head[2]) out.push({ manager, field: head[2] });
      continue;
    }
    const item = /^\s*-\s+(\.\S+)/.exec(line);
    if (item && manager) out.push({ manager, field: item[1] });
    else manager = undefined;
  }
  return out;
}

function describe(doc: ManifestDoc | undefined): string {
  return doc ? `${doc.kind} ${doc.namespace ? `${doc.namespace}/` : ''}${doc.name}` : 'a resource';
}

/** Undefined when kubectl succeeded; otherwise what went wrong and what to do about it. */
export function explainFailure(r: RunResult, c: FailureContext): Failure | undefined {
  const base = { denials: [] as Denial[], conflicts: [] as Conflict[] };
  if (r.spawnError) {
    if (r.spawnError.code === 'ENOENT') {
      return { ...base, kind: 'kubectl-missing', message: `kubectl was not found ("${c.kubectlPath}"). Install kubectl (https://kubernetes.io/docs/tasks/tools/) or set istioSecurity.kubectl.path to its full path.` };
    }
    return { ...base, kind: 'kubectl-not-executable', message: `kubectl ("${c.kubectlPath}") could not be started: ${r.spawnError.message}. Check istioSecurity.kubectl.path.` };
  }
  if (r.cancelled) return { ...base, kind: 'cancelled', message: 'Cancelled: kubectl was stopped. Resources it had already sent to the cluster may have been changed.' };
  if (r.timedOut) {
    return { ...base, kind: 'timeout', message: `kubectl did not finish within ${Math.round(c.timeoutMs / 1000)} s (istioSecurity.kubectl.timeoutSeconds) and was stopped. Resources it had already sent may have been changed.` };
  }
  if (r.exitCode === 0) return undefined;
  const err = r.stderr;
  const denials = parseDenials(err, r.stdout, c.docs, c.files);
  if (denials.length > 0) {
    const message = denials.map((d) => `Admission webhook "${d.webhook}" denied ${describe(d.doc)}: ${d.reason}`).join('\n');
    return { ...base, denials, kind: 'webhook-denied', message };
  }
  const conflicts = parseConflicts(err);
  if (conflicts.length > 0) {
    const fields = conflicts.map((x) => `${x.field} (managed by "${x.manager}")`).join(', ');
    return {
      ...base,
      conflicts,
      kind: 'conflict',
      message: `Server-side apply conflicts: ${fields}. Another field manager owns these fields; apply with --force-conflicts to take them over, or remove them from the manifest.`,
    };
  }
  const noKind = /no matches for kind "([^"]+)" in version "([^"]+)"/.exec(err);
  if (noKind) {
    const [, kind, version] = noKind;
    const removed = REMOVED_ISTIO_GROUPS.includes(version.split('/')[0]);
    const message = removed
      ? `The cluster does not serve ${kind} in ${version}: Istio removed this API. Convert the document with "Istio: Convert removed APIs" (istioSecurity.convertRemovedApis).`
      : `The cluster does not serve ${kind} in ${version}: Istio's CRDs are not installed in context "${c.context}" (istioctl install), or this version is not served there.`;
    return { ...base, kind: 'no-kind', message, removedApi: removed };
  }
  if (AUTH.test(err)) {
    return { ...base, kind: 'auth', message: `Authentication to context "${c.context}" failed: ${firstLine(err, AUTH)}. Log in again (refresh your cloud CLI credentials) or fix the user's exec plugin in the kubeconfig.` };
  }
  if (UNREACHABLE.test(err)) {
    return { ...base, kind: 'unreachable', message: `The cluster of context "${c.context}" (${c.server}) is unreachable: ${firstLine(err, UNREACHABLE)}. Check that it is running and reachable (VPN, proxy), or select another context.` };
  }
  if (/\(Forbidden\)|is forbidden/.test(err)) {
    return { ...base, kind: 'forbidden', message: `Context "${c.context}" is not allowed to do this: ${firstLine(err, /forbidden/i)}.` };
  }
  const last = err.trim().split('\n').filter((l) => l.trim()).slice(-1)[0] ?? `exit code ${r.exitCode}`;
  return { ...base, kind: 'failed', message: `kubectl failed: ${last}` };
}
