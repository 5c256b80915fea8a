/**
 * Validation of a Helm chart template without rendering it: the masked text (mask.ts) gets typed
 * placeholders, then the normal checks run on it, and findings that only the unknown parts could
 * cause are dropped. What is left is about the literal YAML of the template, at its own positions.
 */
import { isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { Finding, Range } from '../diagnostics';
import type { Path } from '../model/locate';
import { entries, nodeAtPath } from '../model/pathAt';
import { identifyResource } from '../model/resource';
import { childSchema, documentSchema } from '../schema/catalog';
import type { JSONSchema } from '../schema/types';
import { maskTemplate, type MaskedTemplate, type MaskSpan } from './mask';

/** What a template's masking left unchecked (for the file's notice). */
export interface TemplateSummary {
  actions: number;
  /** Values (or parts of values, keys) that come from actions. */
  values: number;
  /** include / toYaml / template blocks whose output is unknown. */
  blocks: number;
  /** Lines of else branches and define bodies. */
  skippedLines: number;
  /** True when the masked text still is not valid YAML: the document was not validated. */
  unparsed: boolean;
  /** Document-relative range of the first action. */
  firstAction: Range;
}

/** A prepared template: the text the checks read, and what was masked. */
export interface PreparedTemplate {
  masked: MaskedTemplate;
  text: string;
  /** Paths whose content is partly unknown: an opaque block or a templated mapping/list lands there. */
  openPaths: Path[];
}

const PARSE_OPTIONS = { uniqueKeys: false, strict: false, logLevel: 'silent' } as const;

function parse(text: string): Document {
  return parseDocument(text, PARSE_OPTIONS);
}

function schemaOf(doc: Document): JSONSchema | undefined {
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  const r = identifyResource(data);
  return r ? documentSchema(r.group, r.kind, r.version) : undefined;
}

function schemaAtPath(root: JSONSchema | undefined, path: Path): JSONSchema | undefined {
  let s = root;
  for (const step of path) {
    if (!s) return undefined;
    s = childSchema(s, step);
  }
  return s;
}

/** The placeholder a whole-value action gets for a field of this schema type (undefined: keep `xxx`). */
function typedFiller(schema: JSONSchema | undefined): string | undefined {
  if (!schema || schema['x-kubernetes-int-or-string']) return undefined;
  switch (schema.type) {
    case 'integer':
    case 'number':
      return '1';
    case 'boolean':
      return 'true';
    case 'object':
      return '{}';
    case 'array':
      return '[]';
    default:
      return undefined;
  }
}

function replaceSpan(chars: string[], span: MaskSpan, filler: string): void {
  for (let i = span.start; i < span.end; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = ' ';
  for (let i = 0; i < filler.length; i++) chars[span.start + i] = filler[i];
}

/** The path of the mapping or list an opaque block's output would land in. */
function blockParent(doc: Document, text: string, line: number, indent: number): Path {
  const lines = text.split('\n');
  let lineStart = lines.slice(0, line).reduce((n, s) => n + s.length + 1, 0);
  for (let l = line - 1; l >= 0; l--) {
    const raw = lines[l];
    lineStart -= raw.length + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed === '---') continue;
    const col = raw.length - raw.trimStart().length;
    const opensBlock = /:\s*(#.*)?$/.test(trimmed) && !trimmed.startsWith('-');
    if (col > indent || (col === indent && !opensBlock)) continue;
    // The innermost entry starting on that line: a `key:` opening a block is the parent; a `key: value` is a sibling.
    let found: { path: Path; scalar: boolean } | undefined;
    for (const e of entries(doc)) {
      const s = e.key?.range?.[0] ?? e.value?.range?.[0];
      if (s === undefined || s < lineStart || s > lineStart + raw.length) continue;
      if (!found || e.path.length > found.path.length) found = { path: e.path, scalar: isScalar(e.value) && e.value.value !== null };
    }
    if (!found) return [];
    return found.scalar ? found.path.slice(0, -1) : found.path;
  }
  return [];
}

/**
 * What stands in for an opaque block's output, so that the mapping or list it writes into is not
 * empty to the checks (an empty matchLabels or rules list means something else): one entry of
 * the expected shape, itself a masked value (nothing is reported on it).
 */
function sentinelFor(schema: JSONSchema | undefined, node: unknown, line: number): string {
  const key = `x${line}`;
  if (schema?.type === 'array' || isSeq(node)) {
    const item = schema?.items;
    return !item || item.type === 'object' ? '- {}' : item.type === 'array' ? '- []' : '- xxxx';
  }
  const child = schema ? childSchema(schema, key) : undefined;
  return child?.type === 'object' ? `${key}: {}` : child?.type === 'array' ? `${key}: []` : `${key}: xxxx`;
}

/**
 * Masks a template and gives each whole-value action a placeholder of the type its field
 * expects, so that an unknown port stays an integer and an unknown selector a mapping; an opaque
 * block gets one entry of the shape its parent expects. Returns undefined for a text without Helm actions.
 */
export function prepareTemplate(text: string): PreparedTemplate | undefined {
  const masked = maskTemplate(text);
  if (!masked) return undefined;
  const first = parse(masked.text);
  const root = schemaOf(first);
  const chars = masked.text.split('');
  const openPaths: Path[] = [];
  const values: MaskSpan[] = [...masked.values];
  const byStart = new Map<number, Path>();
  for (const e of entries(first)) {
    const v = e.value;
    if (v && isScalar(v) && v.type === 'PLAIN' && v.range) byStart.set(v.range[0], e.path);
  }
  for (const span of masked.values) {
    const path = byStart.get(span.start);
    if (!path) continue;
    const node = nodeAtPath(first, path);
    if (!isScalar(node) || !node.range || node.range[1] !== span.end) continue;
    const filler = typedFiller(schemaAtPath(root, path));
    if (!filler) continue;
    replaceSpan(chars, span, filler);
    if (filler === '{}' || filler === '[]') openPaths.push(path);
  }
  const starts = lineStartsOf(masked.text);
  for (const b of masked.blocks) {
    const parent = blockParent(first, masked.text, b.line, b.indent);
    openPaths.push(parent);
    if (parent.length === 0) continue;
    const sentinel = sentinelFor(schemaAtPath(root, parent), nodeAtPath(first, parent), b.line);
    const at = starts[b.line] + b.indent;
    const lineEnd = b.line + 1 < starts.length ? starts[b.line + 1] - 1 : masked.text.length;
    if (at + sentinel.length > lineEnd) continue;
    for (let i = 0; i < sentinel.length; i++) chars[at + i] = sentinel[i];
    values.push({ start: at, end: at + sentinel.length });
  }
  return { masked: { ...masked, values }, text: chars.join(''), openPaths };
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Codes about a literal value itself: an unknown sibling cannot cause them, so they are kept next to opaque blocks. */
const VALUE_CODES = new Set([
  'schema-type',
  'schema-enum',
  'schema-pattern',
  'schema-format',
  'schema-min-length',
  'schema-max-length',
  'schema-minimum',
  'schema-maximum',
  'schema-unknown-field',
  'schema-ambiguous-scalar',
  'schema-duplicate-item',
  'removed-api',
  'api-version-not-served',
  'api-version-deprecated',
  'unknown-kind',
]);

function overlaps(f: Finding, startOffset: number, endOffset: number, offsetAt: (line: number, character: number) => number): boolean {
  const s = offsetAt(f.range.start.line, f.range.start.character);
  const e = offsetAt(f.range.end.line, f.range.end.character);
  return s < endOffset && Math.max(e, s + 1) > startOffset;
}

export interface TemplateFilterInput {
  prepared: PreparedTemplate;
  /** The parsed masked document. */
  doc: Document;
  /** The original template text (for lines that hold actions). */
  original: string;
  offsetAt(line: number, character: number): number;
}

/** Lines on which a path's entry and its direct children start (where "missing" and "conflict" findings about it go). */
function aggregateLines(input: TemplateFilterInput, path: Path, lineOf: (offset: number) => number): Set<number> {
  const lines = new Set<number>();
  if (path.length === 0) {
    const root = input.doc.contents?.range;
    if (root) lines.add(lineOf(root[0]));
  }
  for (const e of entries(input.doc)) {
    const start = e.key?.range?.[0] ?? e.value?.range?.[0];
    if (start === undefined) continue;
    const same = e.path.length === path.length && e.path.every((s, i) => String(s) === String(path[i]));
    const child = e.path.length === path.length + 1 && path.every((s, i) => String(s) === String(e.path[i]));
    if (same || child) lines.add(lineOf(start));
  }
  return lines;
}

/**
 * Drops the findings a template's unknown parts could cause: YAML errors on lines with actions,
 * anything on a masked value, and "missing / conflicting / rule" findings on a mapping an opaque
 * block writes into. Findings about literal values stay.
 */
export function filterTemplateFindings(findings: readonly Finding[], input: TemplateFilterInput, lineOf: (offset: number) => number): Finding[] {
  const { prepared, original } = input;
  const actionLines = new Set<number>();
  for (const span of prepared.masked.values) for (let l = lineOf(span.start); l <= lineOf(span.end); l++) actionLines.add(l);
  let idx = original.indexOf('{{');
  while (idx !== -1) {
    actionLines.add(lineOf(idx));
    idx = original.indexOf('{{', idx + 2);
  }
  const open = new Set<number>();
  for (const p of prepared.openPaths) for (const l of aggregateLines(input, p, lineOf)) open.add(l);
  return findings.filter((f) => {
    if (f.code.startsWith('yaml-')) return !actionLines.has(f.range.start.line);
    if (prepared.masked.values.some((s) => overlaps(f, s.start, s.end, input.offsetAt))) return false;
    if (!VALUE_CODES.has(f.code) && open.has(f.range.start.line)) return false;
    return true;
  });
}

/** True when a path's value in the masked document touches a masked action (its value is unknown). */
export function isTemplated(prepared: PreparedTemplate, doc: Document, path: Path): boolean {
  const node = nodeAtPath(doc, path);
  const r = node?.range;
  if (!r) return false;
  return prepared.masked.values.some((s) => s.start < r[1] && s.end > r[0]);
}
