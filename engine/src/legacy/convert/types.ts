import type { Range } from '../../diagnostics';
import type { Path } from '../../model/locate';
import type { ParsedDoc } from '../../model/parse';

/** Something the user must know about a conversion: a guess to confirm or a field that could not be expressed. */
export interface MigrationNote {
  severity: 'information' | 'warning';
  /** Stable kebab-case code, e.g. `migrate-guessed-selector`. */
  code: string;
  message: string;
  /** Where in the input text the note's source is (file-absolute, 0-based). */
  range: Range;
}

/** A YAML comment to attach before the key at `path` of a generated document. */
export interface KeyComment {
  path: Path;
  text: string;
}

/** One generated Kubernetes document, as plain data plus comments. */
export interface GeneratedDoc {
  object: Record<string, unknown>;
  /** Comment lines written above the document (without `#`). */
  header: string[];
  comments: KeyComment[];
}

/** A legacy document identified for conversion. */
export interface LegacyDoc {
  doc: ParsedDoc;
  kind: string;
  name: string;
  /** metadata.namespace as written (undefined when absent). */
  namespace: string | undefined;
  spec: Record<string, unknown>;
}

/** What converters may know about the rest of the file, and how they report notes. */
export interface ConvertContext {
  rootNamespace: string;
  defaultNamespace: string;
  /** ServiceRoles of the file by `<namespace>/<name>` (namespace defaulted). */
  roles: ReadonlyMap<string, LegacyDoc>;
  /** Namespaces where a legacy authentication Policy set `principalBinding: USE_ORIGIN` (root namespace for MeshPolicy). */
  originBound: ReadonlySet<string>;
  note(doc: ParsedDoc, path: Path, code: string, severity: MigrationNote['severity'], message: string): void;
}

/** The conversion of one legacy document; `docs` empty means "nothing to generate" (explained by `header`). */
export interface Conversion {
  docs: GeneratedDoc[];
  /** Comment lines written when no document is generated. */
  explanation: string[];
}

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

export function stringList(v: unknown): string[] {
  return asArray(v)
    .map(asString)
    .filter((s): s is string => s !== undefined);
}

/** Kubernetes object skeleton: apiVersion, kind, metadata (namespace only when known). */
export function k8sObject(kind: string, name: string, namespace: string | undefined, spec: Record<string, unknown>, annotations?: Record<string, string>): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name };
  if (namespace !== undefined) metadata.namespace = namespace;
  if (annotations) metadata.annotations = annotations;
  return { apiVersion: 'security.istio.io/v1', kind, metadata, spec };
}

/** Lowercase DNS-1123 label/subdomain fragment from arbitrary text. */
export function dnsName(...parts: string[]): string {
  const s = parts
    .filter((p) => p !== '')
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return (s || 'converted').slice(0, 253).replace(/[-.]+$/, '');
}

/** Drops undefined and empty-list/empty-object entries so generated specs stay minimal. */
export function compact(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (asRecord(v) && Object.keys(v as object).length === 0) continue;
    out[k] = v;
  }
  return out;
}

/** Istio dry-run annotation: the replacement of RBAC's PERMISSIVE enforcement mode. */
export const DRY_RUN_ANNOTATION = { 'istio.io/dry-run': 'true' } as const;
