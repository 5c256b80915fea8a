import { isGatewayApiGroup, isHandledGroup } from '../model/resource';
import { ATTRIBUTES } from '../rules/authorizationPolicy';
import { allKinds, findKind, schemaAt, type KindInfo } from '../schema/catalog';
import type { JSONSchema } from '../schema/types';
import type { WorkspaceIndex } from '../workspace/index';
import { GATEWAY } from '../workspace/gatewayApi/model';
import { stringsAt } from '../workspace/refs';
import { cursorContext, type CursorContext } from './cursor';

/**
 * Completion for Istio documents, from the CRD schemas and Istio's semantics. Works on one
 * document's text (the one under the cursor) and the workspace index: never the whole file.
 */

export type CompletionKind = 'field' | 'value' | 'enum' | 'kind' | 'reference' | 'attribute';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** VS Code snippet syntax when `snippet` is true. */
  insertText: string;
  snippet: boolean;
  sortText: string;
  /** Document-relative range the insertion replaces (the typed prefix). */
  replace: { line: number; start: number; end: number };
}

/** The document's apiVersion and kind, read from its top-level lines (works on half-typed text). */
export function documentKind(text: string): { info?: KindInfo; version?: string; apiVersion?: string; kind?: string } {
  const apiVersion = /^apiVersion:[ \t]*["']?([^"'\s#]+)/m.exec(text)?.[1];
  const kind = /^kind:[ \t]*["']?([^"'\s#]+)/m.exec(text)?.[1];
  if (!apiVersion) return { kind };
  const slash = apiVersion.indexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  const version = slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
  const info = kind ? findKind(group, kind) : undefined;
  return { info, version: info?.servedVersions.includes(version) ? version : info?.preferredVersion, apiVersion, kind };
}

function typeLabel(s: JSONSchema): string {
  if (s['x-kubernetes-int-or-string']) return 'integer or string';
  if (s.type === 'array') return `list of ${s.items ? typeLabel(s.items) : 'values'}`;
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object' && !s.properties) return `map of ${typeLabel(s.additionalProperties)}`;
  return s.type ?? 'value';
}

function firstSentence(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const t = text.trim().split('\n')[0];
  return t.length > 160 ? `${t.slice(0, 157)}...` : t;
}

/** The inserted skeleton for a key: right value shape, tab stops, enum choices. */
function keySnippet(key: string, s: JSONSchema): string {
  const esc = (v: string) => v.replace(/[$}\\|,]/g, (c) => `\\${c}`);
  if (s.type === 'object') return `${key}:\n  $0`;
  if (s.type === 'array') return s.items?.type === 'object' ? `${key}:\n- $0` : `${key}:\n- \${1}`;
  if (s.enum?.length) return `${key}: \${1|${s.enum.map((v) => esc(String(v))).join(',')}|}`;
  if (s.type === 'boolean') return `${key}: \${1|true,false|}`;
  return `${key}: $1`;
}

function replaceRange(ctx: CursorContext, line: number, character: number) {
  return { line, start: ctx.prefixStart, end: character };
}

/** Kinds offered for a new document: Istio's and the Gateway API's (every kind with a schema). */
function documentKinds(): KindInfo[] {
  return allKinds().filter((k) => isHandledGroup(k.group));
}

/** Completion order of new-document kinds: Istio security and networking, then the Gateway API, then the rest. */
function kindRank(group: string): string {
  if (group === 'security.istio.io' || group === 'networking.istio.io') return '0';
  return isGatewayApiGroup(group) ? '1' : '2';
}

function kindPairs(ctx: CursorContext, line: number, character: number): CompletionEntry[] {
  return documentKinds().map((k, i) => {
    // Cluster-scoped kinds (GatewayClass) have no namespace.
    const metadata = k.file.scope === 'Cluster' ? 'metadata:\n  name: ${1:name}' : 'metadata:\n  name: ${1:name}\n  namespace: ${2:default}';
    return {
      label: `${k.kind} (${k.group}/${k.preferredVersion})`,
      kind: 'kind' as const,
      detail: `${k.group}/${k.preferredVersion}`,
      documentation: `A new ${k.kind} document.`,
      insertText: `apiVersion: ${k.group}/${k.preferredVersion}\nkind: ${k.kind}\n${metadata}\nspec:\n  $0`,
      snippet: true,
      sortText: `${kindRank(k.group)}${String(i).padStart(3, '0')}`,
      replace: replaceRange(ctx, line, character),
    };
  });
}

function valueEntries(values: Array<{ label: string; detail?: string; documentation?: string; kind?: CompletionKind }>, ctx: CursorContext, line: number, character: number): CompletionEntry[] {
  return values.map((v, i) => ({
    label: v.label,
    kind: v.kind ?? 'value',
    detail: v.detail,
    documentation: v.documentation,
    insertText: v.label,
    snippet: false,
    sortText: String(i).padStart(4, '0'),
    replace: replaceRange(ctx, line, character),
  }));
}

/** Gateway references for `gateways:`: `name` in the same namespace, `ns/name` elsewhere, and `mesh`. */
function gatewayRefs(index: WorkspaceIndex | undefined, namespace: string): Array<{ label: string; detail?: string; kind: CompletionKind }> {
  const out = [{ label: 'mesh', detail: 'every sidecar of the mesh', kind: 'reference' as CompletionKind }];
  for (const g of index?.ofKind('Gateway') ?? []) {
    out.push({ label: g.namespace === namespace ? (g.resource.name ?? '') : `${g.namespace}/${g.resource.name}`, detail: `Gateway ${g.namespace}/${g.resource.name}`, kind: 'reference' });
  }
  return out.filter((g) => g.label);
}

/**
 * The `kind:` written in the list item around `line` (the lines from its `- ` marker to the next
 * line indented at most as far), or undefined. Works on half-typed text.
 */
function itemKind(text: string, line: number): string | undefined {
  const lines = text.split('\n');
  let start = line;
  while (start > 0 && !/^\s*- /.test(lines[start])) start--;
  const dash = lines[start].indexOf('-');
  for (let i = start; i < lines.length; i++) {
    if (i > start && lines[i].trim() !== '' && lines[i].length - lines[i].trimStart().length <= dash) break;
    const m = /^[\s-]*kind:[ \t]*["']?([A-Za-z]+)/.exec(lines[i]);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Gateway API Gateways for a parentRefs/targetRefs `name`: those of the document's namespace first;
 * a policy's targetRefs can only name its own namespace's.
 */
function gatewayApiGateways(index: WorkspaceIndex | undefined, namespace: string, sameNamespaceOnly: boolean): Array<{ label: string; detail: string; kind: CompletionKind }> {
  const gws = (index?.ofKind(GATEWAY) ?? []).filter((g) => g.resource.name && (!sameNamespaceOnly || g.namespace === namespace));
  return [...gws]
    .sort((a, b) => Number(b.namespace === namespace) - Number(a.namespace === namespace) || (a.resource.name ?? '').localeCompare(b.resource.name ?? ''))
    .map((g) => ({ label: g.resource.name as string, detail: g.namespace === namespace ? `Gateway ${g.namespace}/${g.resource.name}` : `Gateway ${g.namespace}/${g.resource.name} (set namespace: ${g.namespace})`, kind: 'reference' as const }));
}

/** Service hosts seen in the workspace (DestinationRule hosts, ServiceEntry hosts, VirtualService hosts). */
function knownHosts(index: WorkspaceIndex | undefined): string[] {
  const hosts = new Set<string>();
  for (const r of index?.resources() ?? []) {
    const spec = r.resource.spec;
    if (r.resource.kind === 'DestinationRule' && typeof spec.host === 'string') hosts.add(spec.host);
    if (r.resource.kind === 'ServiceEntry' || r.resource.kind === 'VirtualService') for (const h of stringsAt(spec.hosts)) if (!h.includes('*')) hosts.add(h);
  }
  return [...hosts].sort();
}

function knownNamespaces(index: WorkspaceIndex | undefined): string[] {
  return [...new Set((index?.resources() ?? []).map((r) => r.namespace))].sort();
}

/** Claim names to offer after `request.auth.claims[`: common ones and those used in the workspace. */
function knownClaims(index: WorkspaceIndex | undefined): string[] {
  const claims = new Set(['iss', 'sub', 'aud', 'azp', 'groups', 'scope', 'permissions', 'roles', 'email']);
  for (const ap of index?.ofKind('AuthorizationPolicy') ?? []) {
    const text = JSON.stringify(ap.resource.spec.rules ?? []);
    for (const m of text.matchAll(/request\.auth\.claims\[([^\]]+)\]/g)) claims.add(m[1]);
  }
  return [...claims];
}

function whenKeys(ctx: CursorContext, line: number, character: number, index: WorkspaceIndex | undefined): CompletionEntry[] {
  const claimPrefix = /^request\.auth\.claims\[([^\]]*)$/.exec(ctx.prefix);
  if (claimPrefix) {
    return knownClaims(index).map((c, i) => ({
      label: `request.auth.claims[${c}]`,
      kind: 'attribute' as const,
      detail: 'JWT claim',
      insertText: `request.auth.claims[${c}]`,
      snippet: false,
      sortText: String(i).padStart(4, '0'),
      replace: replaceRange(ctx, line, character),
    }));
  }
  return ATTRIBUTES.map((a, i) => ({
    label: a.map ? `${a.key}[]` : a.key,
    kind: 'attribute' as const,
    detail: `when key, e.g. ${a.example}`,
    documentation: `Condition key of an AuthorizationPolicy rule. Example value: ${a.example}`,
    insertText: a.map ? `${a.key}[\${1}]` : a.key,
    snippet: a.map === true,
    sortText: String(i).padStart(4, '0'),
    replace: replaceRange(ctx, line, character),
  }));
}

export interface CompleteOptions {
  index?: WorkspaceIndex;
  defaultNamespace?: string;
}

/** Completion at (line, character) of one document's text (document-relative positions). */
export function complete(text: string, line: number, character: number, opts: CompleteOptions = {}, at?: CursorContext): CompletionEntry[] {
  const ctx = at ?? cursorContext(text, line, character);
  const doc = documentKind(text);
  const namespace = /^ {2}namespace:[ \t]*["']?([^"'\s#]+)/m.exec(text)?.[1] ?? opts.defaultNamespace ?? 'default';

  if (ctx.path.length === 0 && ctx.mode === 'key' && !doc.apiVersion && !doc.kind) return kindPairs(ctx, line, character);
  if (ctx.path.length === 0 && ctx.mode === 'value' && ctx.key === 'apiVersion') {
    const kinds = doc.kind ? allKinds().filter((k) => k.kind === doc.kind) : documentKinds();
    const versions = kinds.flatMap((k) => k.servedVersions.map((v) => ({ label: `${k.group}/${v}`, detail: v === k.preferredVersion ? 'current' : 'served' })));
    return valueEntries([...new Map(versions.map((v) => [v.label, v])).values()], ctx, line, character);
  }
  if (ctx.path.length === 0 && ctx.mode === 'value' && ctx.key === 'kind') {
    const group = doc.apiVersion?.split('/')[0];
    return valueEntries(allKinds().filter((k) => !group || k.group === group).map((k) => ({ label: k.kind, detail: k.group, kind: 'kind' as const })), ctx, line, character);
  }
  if (!doc.info || !doc.version) return [];

  // `- ` in a list of scalars (gateways, hosts...) is a value, not a new mapping.
  if (ctx.mode === 'key' && typeof ctx.path[ctx.path.length - 1] === 'number') {
    const item = schemaAt(doc.info, doc.version, ctx.path);
    if (item && item.type !== 'object') return complete(text, line, character, opts, { ...ctx, mode: 'sequence-value', path: ctx.path.slice(0, -1) });
  }
  // Values with Istio semantics first.
  const last = ctx.path[ctx.path.length - 1];
  if (ctx.mode === 'sequence-value' && last === 'gateways') return valueEntries(gatewayRefs(opts.index, namespace), ctx, line, character);
  if (ctx.mode === 'value' && ctx.key === 'key' && ctx.path.includes('when')) return whenKeys(ctx, line, character, opts.index);
  const refList = typeof last === 'number' ? ctx.path[ctx.path.length - 2] : undefined;
  if (ctx.mode === 'value' && ctx.key === 'name' && (refList === 'parentRefs' || refList === 'targetRefs') && (itemKind(text, line) ?? 'Gateway') === 'Gateway') {
    return valueEntries(gatewayApiGateways(opts.index, namespace, refList !== 'parentRefs'), ctx, line, character);
  }
  if (ctx.mode === 'value' && ctx.key === 'host' && ctx.path.includes('destination')) return valueEntries(knownHosts(opts.index).map((h) => ({ label: h, kind: 'reference' as const })), ctx, line, character);
  if (ctx.mode === 'value' && ctx.key === 'namespace') return valueEntries(knownNamespaces(opts.index).map((n) => ({ label: n, kind: 'reference' as const })), ctx, line, character);
  if (ctx.mode === 'sequence-value' && last === 'namespaces') return valueEntries(knownNamespaces(opts.index).map((n) => ({ label: n, kind: 'reference' as const })), ctx, line, character);

  if (ctx.mode === 'value' || ctx.mode === 'sequence-value') {
    const path = ctx.mode === 'value' ? [...ctx.path, ctx.key as string] : [...ctx.path, 0];
    const s = schemaAt(doc.info, doc.version, path);
    if (s?.enum?.length) return valueEntries(s.enum.map((v) => ({ label: String(v), detail: typeLabel(s), documentation: s.description, kind: 'enum' as const })), ctx, line, character);
    if (s?.type === 'boolean') return valueEntries([{ label: 'true' }, { label: 'false' }], ctx, line, character);
    return [];
  }

  // Keys of the mapping at the cursor.
  const schema = schemaAt(doc.info, doc.version, ctx.path);
  if (!schema?.properties) return [];
  const present = new Set(ctx.siblings);
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties)
    .filter(([key]) => !present.has(key) && key !== 'status')
    .map(([key, s]) => ({
      label: key,
      kind: 'field' as const,
      detail: `${typeLabel(s)}${required.has(key) ? ' (required)' : ''}`,
      documentation: s.description,
      insertText: keySnippet(key, s),
      snippet: true,
      sortText: `${required.has(key) ? '0' : '1'}${key}`,
      replace: replaceRange(ctx, line, character),
    }));
}

export { firstSentence, typeLabel };
