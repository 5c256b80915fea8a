/**
 * Conversion of removed Istio APIs (authentication.istio.io, rbac.istio.io) to today's
 * security.istio.io/v1 resources. Pure: text in, text and notes out.
 *
 * - `migrateText` converts a whole multi-document file: non-legacy documents, comments around
 *   documents and `---` separators stay byte-identical; ServiceRoles are converted together with
 *   the ServiceRoleBindings that reference them (the role document disappears into the policies).
 * - `convertSingleDocument` converts what one document alone allows (the quick fix of `removed-api`).
 */
import type { Range, TextEdit } from '../diagnostics';
import type { Path } from '../model/locate';
import { parseDoc, type ParsedDoc } from '../model/parse';
import { isBlankSegment, splitDocuments, type Segment } from '../model/split';
import { DEFAULT_SETTINGS } from '../rules/rule';
import { removedMessage } from './catalog';
import { convertAuthnPolicy } from './convert/authn';
import { convertBinding, convertRbacConfig, referencedRole, roleConsumedExplanation, roleKey } from './convert/rbac';
import { asString, type Conversion, type ConvertContext, type LegacyDoc, type MigrationNote } from './convert/types';
import { commentLines, partsOf, renderDocs, replaceBody } from './emit';

export type { MigrationNote } from './convert/types';

export interface MigrateOptions {
  /** Namespace assumed for documents without metadata.namespace (pairs roles with bindings). */
  defaultNamespace?: string;
  /** Istio's root namespace: MeshPolicy and mesh-wide RBAC convert there. */
  rootNamespace?: string;
}

export interface MigrationResult {
  text: string;
  notes: MigrationNote[];
}

/** A conversion that would only delete the document is no conversion. */
function usable(conv: Conversion | undefined): Conversion | undefined {
  return conv && (conv.docs.length > 0 || conv.explanation.length > 0) ? conv : undefined;
}

type Converter = (src: LegacyDoc, ctx: ConvertContext) => Conversion | undefined;

const CONVERTERS: Record<string, Converter> = {
  'authentication.istio.io/Policy': convertAuthnPolicy,
  'authentication.istio.io/MeshPolicy': convertAuthnPolicy,
  'rbac.istio.io/ServiceRoleBinding': convertBinding,
  'rbac.istio.io/RbacConfig': convertRbacConfig,
  'rbac.istio.io/ClusterRbacConfig': convertRbacConfig,
};

const CONVERTIBLE_GROUPS = new Set(['authentication.istio.io', 'rbac.istio.io']);

function legacyOf(doc: ParsedDoc): LegacyDoc | undefined {
  const r = doc.resource;
  if (!r || !CONVERTIBLE_GROUPS.has(r.group) || doc.yaml.errors.length > 0) return undefined;
  return { doc, kind: r.kind, name: r.name ?? r.kind.toLowerCase(), namespace: r.namespace, spec: r.spec };
}

function shift(r: Range, lines: number): Range {
  return { start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } };
}

/** Builds a conversion context whose notes land in `notes`, positioned by each document's first line. */
function makeContext(opts: MigrateOptions, roles: Map<string, LegacyDoc>, originBound: Set<string>, lineOf: Map<ParsedDoc, number>, notes: MigrationNote[]): ConvertContext {
  return {
    rootNamespace: opts.rootNamespace ?? DEFAULT_SETTINGS.rootNamespace,
    defaultNamespace: opts.defaultNamespace ?? DEFAULT_SETTINGS.defaultNamespace,
    roles,
    originBound,
    note(doc: ParsedDoc, path: Path, code: string, severity: MigrationNote['severity'], message: string) {
      notes.push({ code, severity, message, range: shift(doc.rangeOf(path, 'value'), lineOf.get(doc) ?? 0) });
    },
  };
}

/** Namespaces whose principal was the JWT one (principalBinding USE_ORIGIN). */
function originBoundNamespaces(docs: LegacyDoc[], ctx: Pick<ConvertContext, 'rootNamespace' | 'defaultNamespace'>): Set<string> {
  const out = new Set<string>();
  for (const d of docs) {
    if (d.kind !== 'Policy' && d.kind !== 'MeshPolicy') continue;
    if (asString(d.spec.principalBinding ?? d.spec.principal_binding) !== 'USE_ORIGIN') continue;
    out.add(d.kind === 'MeshPolicy' ? ctx.rootNamespace : (d.namespace ?? ctx.defaultNamespace));
  }
  return out;
}

/** Text generated for a conversion (documents separated by `---`, or an explanation comment). */
function renderConversion(conv: Conversion, source: ParsedDoc): string {
  if (conv.docs.length === 0) return commentLines(conv.explanation);
  return renderDocs(conv.docs, source);
}

/** Removed-API documents left as they are: Mixer kinds, or documents with YAML errors. */
function noteUnconverted(e: Entry, ctx: ConvertContext): void {
  const r = e.doc?.resource;
  if (!r || e.legacy || (r.group !== 'config.istio.io' && !CONVERTIBLE_GROUPS.has(r.group))) return;
  const why = CONVERTIBLE_GROUPS.has(r.group) ? `${r.apiVersion} ${r.kind}: not converted (the document has YAML errors).` : `Not converted: ${removedMessage(r.apiVersion, r.group, r.kind)}`;
  ctx.note(e.doc!, ['apiVersion'], 'migrate-not-converted', 'warning', why);
}

interface Entry {
  segment: Segment;
  doc?: ParsedDoc;
  legacy?: LegacyDoc;
}

function parseEntries(text: string): Entry[] {
  return splitDocuments(text).map((segment) => {
    if (isBlankSegment(segment.text)) return { segment };
    const doc = parseDoc(segment.text);
    return { segment, doc, legacy: legacyOf(doc) };
  });
}

function compareNotes(a: MigrationNote, b: MigrationNote): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code);
}

export function migrateText(text: string, opts: MigrateOptions = {}): MigrationResult {
  const entries = parseEntries(text);
  const notes: MigrationNote[] = [];
  const lineOf = new Map<ParsedDoc, number>();
  for (const e of entries) if (e.doc) lineOf.set(e.doc, e.segment.startLine);
  const legacy = entries.map((e) => e.legacy).filter((l): l is LegacyDoc => l !== undefined);
  const roles = new Map<string, LegacyDoc>();
  const base = { rootNamespace: opts.rootNamespace ?? DEFAULT_SETTINGS.rootNamespace, defaultNamespace: opts.defaultNamespace ?? DEFAULT_SETTINGS.defaultNamespace };
  for (const l of legacy) if (l.kind === 'ServiceRole') roles.set(roleKey(l.namespace, l.name, base), l);
  const ctx = makeContext(opts, roles, originBoundNamespaces(legacy, base), lineOf, notes);

  // Bindings first: they decide which roles are consumed.
  const converted = new Map<Entry, Conversion | undefined>();
  const consumers = new Map<LegacyDoc, LegacyDoc[]>();
  for (const e of entries) {
    const l = e.legacy;
    if (!l) continue;
    const conv = usable(CONVERTERS[`${e.doc!.resource!.group}/${l.kind}`]?.(l, ctx));
    converted.set(e, conv);
    const roleName = l.kind === 'ServiceRoleBinding' && conv ? referencedRole(l) : undefined;
    const role = roleName ? roles.get(roleKey(l.namespace, roleName, ctx)) : undefined;
    if (role && !Array.isArray(l.spec.actions)) consumers.set(role, [...(consumers.get(role) ?? []), l]);
  }
  // A consumed role's own comments move above the policies of its first binding.
  const extraLead = new Map<LegacyDoc, string>();
  for (const [role, bindings] of consumers) {
    const p = partsOf(role.doc.text);
    const explanation = commentLines(roleConsumedExplanation(role, bindings.map((b) => b.name)));
    extraLead.set(bindings[0], (extraLead.get(bindings[0]) ?? '') + p.lead + explanation + p.trail);
  }

  let out = '';
  for (const e of entries) {
    const l = e.legacy;
    noteUnconverted(e, ctx);
    if (l?.kind === 'ServiceRole' && consumers.has(l)) continue;
    if (l?.kind === 'ServiceRole') {
      ctx.note(l.doc, ['metadata', 'name'], 'migrate-role-unused', 'warning', `ServiceRole ${l.name}: no ServiceRoleBinding in this file references it, so it was not converted (an AuthorizationPolicy needs the role's subjects too).`);
    }
    const conv = converted.get(e);
    out += l && conv ? replaceBody(e.segment.text, renderConversion(conv, l.doc), extraLead.get(l) ?? '') : e.segment.text;
  }
  // Removing a first document that had no `---` must not leave the file starting with one.
  if (!text.startsWith('---') && out.startsWith('---')) out = out.replace(/^---[^\n]*\n/, '');
  return { text: out, notes: notes.sort(compareNotes) };
}

/** The quick fix of one removed-API document: its replacement and the notes it raised (document-relative). */
export interface SingleConversion {
  title: string;
  edit: TextEdit;
  notes: MigrationNote[];
}

function titleOf(conv: Conversion): string {
  if (conv.docs.length === 0) return 'Replace with an explanation (nothing replaces RBAC mode OFF)';
  const kinds = [...new Set(conv.docs.map((d) => String(d.object.kind)))];
  return `Convert to ${kinds.join(' + ')}`;
}

export function convertSingleDocument(doc: ParsedDoc, opts: MigrateOptions = {}): SingleConversion | undefined {
  const l = legacyOf(doc);
  if (!l) return undefined;
  const convert = CONVERTERS[`${doc.resource!.group}/${l.kind}`];
  if (!convert) return undefined;
  const notes: MigrationNote[] = [];
  const base = { rootNamespace: opts.rootNamespace ?? DEFAULT_SETTINGS.rootNamespace, defaultNamespace: opts.defaultNamespace ?? DEFAULT_SETTINGS.defaultNamespace };
  const ctx = makeContext(opts, new Map(), originBoundNamespaces([l], base), new Map([[doc, 0]]), notes);
  const conv = usable(convert(l, ctx));
  if (!conv) return undefined;
  const marker = partsOf(doc.text).marker;
  const range = doc.lines.range(marker.length, doc.text.length);
  const newText = replaceBody(doc.text, renderConversion(conv, doc)).slice(marker.length);
  return { title: titleOf(conv), edit: { range, newText }, notes: notes.sort(compareNotes) };
}
