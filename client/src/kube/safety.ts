/**
 * The safety decisions of applying to a cluster, as pure functions: which documents are
 * refused because of error diagnostics, whether a context is protected, what the
 * confirmation says, and that the context confirmed is still the one kubectl will use.
 * No `vscode` import.
 */
import type { KubeContext } from './kubeconfig';
import { describeDoc, namespacesOf, type ManifestDoc } from './manifests';

/** Where an error diagnostic is: its file and line. */
export interface ErrorMark {
  source: string;
  line: number;
  code?: string;
  message: string;
}

export type ApplyDecision =
  | { kind: 'proceed' }
  /** Documents with errors: the user must explicitly choose "Apply anyway". */
  | { kind: 'needs-override'; blocked: Array<{ doc: ManifestDoc; errors: ErrorMark[] }> };

/** Refuses documents that hold error diagnostics, unless the user already overrode that. */
export function decideApply(docs: ManifestDoc[], errors: ErrorMark[], overridden: boolean): ApplyDecision {
  const blocked = docs
    .map((doc) => ({ doc, errors: errors.filter((e) => e.source === doc.source && e.line >= doc.span.start.line && e.line <= doc.span.end.line) }))
    .filter((b) => b.errors.length > 0);
  if (blocked.length === 0 || overridden) return { kind: 'proceed' };
  return { kind: 'needs-override', blocked };
}

/** The override question's text: which documents have which errors. */
export function overrideDetail(blocked: Array<{ doc: ManifestDoc; errors: ErrorMark[] }>, defaultNamespace: string): string {
  return blocked
    .map(({ doc, errors }) => `${describeDoc(doc, defaultNamespace)}: ${errors.length} error${errors.length === 1 ? '' : 's'} (${errors.map((e) => `line ${e.line + 1}${e.code ? ` ${e.code}` : ''}`).join(', ')})`)
    .join('\n');
}

/** Glob-like match: `*` any run of characters, `?` one character, case-insensitive, whole name. */
export function globMatch(pattern: string, name: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(name);
}

export function isProtectedContext(context: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => globMatch(p, context));
}

/** The validateInput of the "type the context name" box: undefined when it matches exactly. */
export function validateTypedContext(expected: string, typed: string): string | undefined {
  return typed === expected ? undefined : `Type "${expected}" exactly to apply to this protected context.`;
}

export interface Target {
  context: string;
  /** The cluster's server URL (as the kubeconfig says). */
  server: string;
  /** The namespace for documents without metadata.namespace. */
  namespace: string;
}

export type ClusterAction = 'apply' | 'server-side apply' | 'server-side dry run';

/** The modal's message and detail: context, cluster, namespaces and every resource. */
export function confirmation(action: ClusterAction, target: Target, docs: ManifestDoc[]): { message: string; detail: string } {
  const n = docs.length;
  const message = `${action === 'apply' ? 'Apply' : action === 'server-side apply' ? 'Server-side apply' : 'Dry-run'} ${n} resource${n === 1 ? '' : 's'} to context "${target.context}"?`;
  const detail = [
    `Context: ${target.context}`,
    `Cluster: ${target.server || '(unknown server)'}`,
    `Namespace${namespacesOf(docs, target.namespace).length === 1 ? '' : 's'}: ${namespacesOf(docs, target.namespace).join(', ')}`,
    '',
    'Resources:',
    ...docs.map((d) => `  ${describeDoc(d, target.namespace)}`),
  ].join('\n');
  return { message, detail };
}

/**
 * Checks, just before running kubectl, that the confirmed context still exists and still
 * points at the confirmed server: a kubeconfig edit after the confirmation must not
 * redirect the apply. Returns a message when it changed.
 */
export function targetChanged(confirmed: Target, now: KubeContext | undefined): string | undefined {
  if (!now) return `Context "${confirmed.context}" is no longer in the kubeconfig; nothing was applied.`;
  if ((now.server ?? '') !== confirmed.server) {
    return `Context "${confirmed.context}" now points at ${now.server ?? '(no server)'} instead of the confirmed ${confirmed.server}; nothing was applied. Run the command again to confirm the new cluster.`;
  }
  return undefined;
}
