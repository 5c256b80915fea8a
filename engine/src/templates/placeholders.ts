/**
 * Tutorial and envsubst placeholders (`{YOUR_DOMAIN}`, `{{ your_ui_hostname }}`,
 * `<your_cluster_url>`, `${VAR}`, `$VAR`, `YOUR_…`, `REPLACE_ME`): one `placeholder-value` finding
 * per value instead of the type, pattern, CEL and rule errors the placeholder itself causes.
 * Its severity is what Kubernetes would do with the value as written: the highest severity of the
 * findings it replaces (an unquoted `{YOUR_DOMAIN}` is a YAML mapping where a string is expected:
 * rejected, an error), information when the placeholder is a string nothing rejects.
 */
import { isCollection, isScalar, type Node } from 'yaml';
import { SEVERITY_ORDER, type Finding, type Range, type Severity } from '../diagnostics';
import type { Path } from '../model/locate';
import type { ParsedDoc } from '../model/parse';
import { entries } from '../model/pathAt';
import { REMOVED_ISTIO_GROUPS } from '../model/resource';

/** Placeholder syntaxes inside a string (the first capture group is the placeholder). */
const IN_STRING: readonly RegExp[] = [
  /(\{\{\s*[A-Za-z_][A-Za-z0-9_.\- ]*?\s*\}\})/, // {{ your_ui_hostname }} (outside Helm templates)
  /(\{(?:[A-Z][A-Z0-9_]*|[A-Za-z0-9_]*[Yy][Oo][Uu][Rr][_-][A-Za-z0-9_-]*)\})/, // {YOUR_DOMAIN}, {your-domain}
  /(?:^|[^?A-Za-z0-9<])(<[A-Za-z][A-Za-z0-9_.\-]*>)/, // <your_cluster_url>, <cluster.example>
  /(\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:?\-=+][^}]*)?\})/, // ${VAR}, ${VAR:-default}
  /(?:^|[^$\\A-Za-z0-9])(\$[A-Z_][A-Z0-9_]{2,})\b/, // $VAR (upper case, envsubst style)
  /\b((?:YOUR|Your|your)[_-][A-Za-z0-9_-]+)/, // YOUR_API_KEY, your-namespace
  /\b((?:REPLACE|CHANGE)[_-]?ME|(?:replace|change)[_-]?me|TO[_-]BE[_-]REPLACED)\b/, // REPLACE_ME, changeme
];

/** The placeholder in a string, if any. */
export function placeholderIn(s: string): string | undefined {
  for (const re of IN_STRING) {
    const m = re.exec(s);
    if (m) return m[1];
  }
  return undefined;
}

/** True when a string holds a placeholder (or a template action): such a URL is never fetched. */
export function isPlaceholderText(s: string): boolean {
  return s.includes('{{') || placeholderIn(s) !== undefined;
}

/** Where an unquoted `{NAME}` / `{{ name }}` may start, anywhere in a text (the prefilter). */
const STRUCTURAL_IN_TEXT = /\{\{?\s*[A-Za-z_]/;

/** Placeholders are short one-line values: longer strings (scripts, certificates, Lua) are not read. */
const MAX_SCALAR = 512;

/** Unquoted `{NAME}` or `{{ name }}`: YAML reads a (nested) flow mapping. */
const STRUCTURAL = /^\{\{?\s*[A-Za-z_][A-Za-z0-9_.\- ]*\s*\}\}?$/;

export interface Placeholder {
  path: Path;
  /** The placeholder as written (e.g. `{YOUR_DOMAIN}`). */
  text: string;
  /** True when YAML reads it as a mapping, not a string (unquoted braces). */
  structural: boolean;
  /** Document-relative range of the whole value. */
  range: Range;
  /** Offsets of the value, and of its key when it is a mapping entry's value. */
  start: number;
  end: number;
  keyRange?: Range;
}

function rangeOf(doc: ParsedDoc, node: Node): [number, number] | undefined {
  const r = node.range;
  return r ? [r[0], r[1]] : undefined;
}

/** Every value of the document that is, or holds, a placeholder. */
export function findPlaceholders(doc: ParsedDoc): Placeholder[] {
  // Most documents hold no placeholder: one scan of the text saves walking every value.
  if (!doc.resource || (!STRUCTURAL_IN_TEXT.test(doc.text) && placeholderIn(doc.text) === undefined)) return [];
  const out: Placeholder[] = [];
  const inside: Array<[number, number]> = [];
  for (const e of entries(doc.yaml)) {
    const v = e.value;
    if (!v) continue;
    const r = rangeOf(doc, v);
    if (!r || inside.some(([s, t]) => r[0] >= s && r[1] <= t)) continue;
    let text: string | undefined;
    let structural = false;
    if (isCollection(v) && v.flow) {
      const src = doc.text.slice(r[0], r[1]).trim();
      if (STRUCTURAL.test(src)) {
        text = src;
        structural = true;
      }
    } else if (isScalar(v) && typeof v.value === 'string' && v.value.length <= MAX_SCALAR && !v.value.includes('\n')) {
      text = placeholderIn(v.value);
    }
    if (text === undefined) continue;
    inside.push(r);
    const keyRange = e.key?.range ? doc.lines.range(e.key.range[0], e.key.range[1]) : undefined;
    out.push({ path: e.path, text, structural, range: doc.lines.range(r[0], r[1]), start: r[0], end: r[1], keyRange });
  }
  return out;
}

function within(inner: Range, outer: Range): boolean {
  const before = (a: Range['start'], b: Range['start']): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** Codes the placeholder itself causes (anything on its value; type-like codes on its key). */
function causedBy(p: Placeholder, f: Finding): boolean {
  if (f.code.startsWith('yaml-') || f.code === 'placeholder-value') return false;
  if (within(f.range, p.range)) return true;
  return p.keyRange !== undefined && sameRange(f.range, p.keyRange) && f.code !== 'schema-unknown-field';
}

function display(path: Path): string {
  return path.reduce<string>((s, step) => (typeof step === 'number' ? `${s}[${step}]` : s ? `${s}.${step}` : step), '');
}

function message(p: Placeholder, replaced: readonly Finding[], severity: Severity, removedApi: boolean): string {
  const where = display(p.path);
  const head = `${where}: ${JSON.stringify(p.text)} is a placeholder; replace it with the real value before applying.`;
  if (removedApi) return head;
  if (p.structural) {
    const verdict = replaced.some((f) => f.code === 'schema-type') ? ' Kubernetes rejects it as written: unquoted braces are a YAML mapping, not a string.' : ' Unquoted braces are a YAML mapping, not a string.';
    return head + verdict;
  }
  if (severity === 'information') return `${head} As written it is a valid string, so nothing else reports it.`;
  const worst = replaced.filter((f) => f.severity === severity);
  const by = worst.some((f) => f.code === 'schema-cel') ? 'a validation rule of the CRD' : worst.some((f) => f.code.startsWith('schema-') || f.code.startsWith('metadata-')) ? 'the CRD schema' : "istiod's validation";
  return `${head} As written it would be ${severity === 'error' ? 'rejected' : 'warned about'} by ${by}.`;
}

/**
 * Replaces, for each placeholder value, the findings it causes with one `placeholder-value`
 * finding whose severity is the highest of those it replaces (information when none).
 */
export function applyPlaceholders(doc: ParsedDoc, findings: readonly Finding[]): Finding[] {
  const placeholders = findPlaceholders(doc);
  if (placeholders.length === 0) return [...findings];
  const removed = doc.resource !== undefined && REMOVED_ISTIO_GROUPS.has(doc.resource.group);
  const kept: Finding[] = [];
  const replaced = new Map<Placeholder, Finding[]>();
  for (const f of findings) {
    const p = placeholders.find((c) => causedBy(c, f));
    if (!p) kept.push(f);
    else replaced.set(p, [...(replaced.get(p) ?? []), f]);
  }
  for (const p of placeholders) {
    const mine = replaced.get(p) ?? [];
    const severity = mine.reduce<Severity>((s, f) => (SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[s] ? f.severity : s), 'information');
    kept.push({ code: 'placeholder-value', severity, message: message(p, mine, severity, removed), range: p.range });
  }
  return kept;
}
