/**
 * Structural validation of one value against a CRD schema node, like the Kubernetes API server
 * with strict field validation: null pruning, unknown fields, types, formats, bounds, enums,
 * oneOf/anyOf/not, list-type set/map and defaults. CEL rules are collected here and run later
 * (the API server skips them when the object has type errors).
 */
import { isMap, isScalar, type Node } from 'yaml';
import type { Finding, Fix, Range, RelatedLocation } from '../diagnostics';
import { describeYamlValue, yaml11Reading } from '../model/goYaml';
import { locate, type Path } from '../model/locate';
import type { ParsedDoc } from '../model/parse';
import { childSchema } from './catalog';
import { describeSchema, explainNoForm, requiredFields, satisfies } from './combinators';
import { compiledPattern, formatProblem } from './formats';
import { didYouMean, orList, requoted } from './suggest';
import type { JSONSchema, ValidationRule } from './types';
import { acceptedTypes, isObject, jsonType, show, typeName, typeOk, type Obj } from './valueTypes';

export { isObject, jsonType } from './valueTypes';

/** A CEL rule set to run on a present node once the walk is done. */
export interface CelTask {
  path: Path;
  display: string;
  rules: ValidationRule[];
  value: unknown;
  /** The node's schema: CEL sees object properties under their escaped names (`__namespace__`). */
  schema: JSONSchema;
}

export interface WalkState {
  doc: ParsedDoc;
  out: Finding[];
  /** Type errors found so far: any of them makes the API server skip every CEL rule. */
  typeErrors: number;
  celTasks: CelTask[];
  /** How messages name the document root (e.g. the kind); default "The document". */
  rootLabel?: string;
  /**
   * Nodes over their maxItems / maxLength / maxProperties. CEL rules on them and above them are not
   * run: the API server's runtime cost limit is sized for data within those bounds, and an
   * unbounded list would make an O(n²) rule (`self.all(a, self.exists_one(b, ...))`) hang the editor.
   */
  oversized?: Path[];
}

function newObject(): Obj {
  return Object.create(null) as Obj;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

// ---------------------------------------------------------------------------------------------
// Ranges and findings.

function textOf(doc: ParsedDoc, r: Range): string {
  return doc.text.slice(doc.lines.offsetAt(r.start), doc.lines.offsetAt(r.end));
}

/**
 * Where a finding about a node goes: the key for mapping entries, the first line of a list item,
 * the kind value for the document root.
 */
export function anchorRange(doc: ParsedDoc, path: Path): Range {
  if (path.length === 0) return doc.rangeOf(['kind'], 'value');
  if (typeof path[path.length - 1] === 'string') return doc.rangeOf(path, 'key');
  const r = doc.rangeOf(path, 'value');
  if (r.end.line === r.start.line) return r;
  const lineEnd = doc.lines.offsetAt({ line: r.start.line + 1, character: 0 });
  const startOffset = doc.lines.offsetAt(r.start);
  const end = doc.text.slice(startOffset, lineEnd).replace(/\s+$/, '').length + startOffset;
  return doc.lines.range(startOffset, end);
}

/** Where a finding about a node's value goes: the scalar itself, else as anchorRange. */
export function nodeRange(doc: ParsedDoc, path: Path): Range {
  const loc = locate(doc.yaml, path);
  return loc.depth === path.length && isScalar(loc.node) ? doc.rangeOf(path, 'value') : anchorRange(doc, path);
}

function markOversized(st: WalkState, path: Path): void {
  (st.oversized ??= []).push(path);
}

function push(st: WalkState, code: string, message: string, range: Range, extra: Partial<Finding> = {}): void {
  st.out.push({ code, severity: 'error', message, range, ...extra });
}

function valueRange(st: WalkState, path: Path, v: unknown): Range {
  return isObject(v) || Array.isArray(v) ? anchorRange(st.doc, path) : st.doc.rangeOf(path, 'value');
}

function childDisplay(display: string, key: string | number, isMapValue: boolean): string {
  if (typeof key === 'number' || isMapValue) return `${display}[${key}]`;
  return display === '' ? key : `${display}.${key}`;
}

function quoteFix(text: string, range: Range): Fix {
  return { title: `Quote ${text}`, isPreferred: true, edits: [{ range, newText: JSON.stringify(text) }] };
}

// ---------------------------------------------------------------------------------------------
// YAML 1.1 vs 1.2: `[1.2.3.4, 001:db8::]`.

/**
 * Kubernetes parses YAML with go-yaml, where a colon in a flow collection ends a plain scalar only
 * when followed by a space: `[001:db8::]` is the string "001:db8::". YAML 1.2 parsers (this one,
 * yaml-language-server) read a one-key mapping `{"001:db8:": null}`. Returns the go-yaml string.
 */
function goYamlFlowScalar(doc: ParsedDoc, path: Path): string | undefined {
  const node = locate(doc.yaml, path).node as Node | null | undefined;
  if (!isMap(node) || !node.flow || node.items.length !== 1) return undefined;
  const { key, value } = node.items[0];
  if (!isScalar(key) || key.type !== 'PLAIN' || !key.range) return undefined;
  if (value !== null && !(isScalar(value) && value.value === null && (value.source ?? '') === '')) return undefined;
  const end = key.range[1];
  if (doc.text[end] !== ':' || /[\s]/.test(doc.text[end + 1] ?? ' ')) return undefined;
  return doc.text.slice(key.range[0], end + 1);
}

/**
 * The unquoted scalar at `path` when Kubernetes (YAML 1.1) reads it as another value than YAML 1.2
 * tools do: `on` is a boolean, `1_000` an integer for the API server.
 */
function yaml11Scalar(doc: ParsedDoc, path: Path): { source: string; kubernetes: unknown } | undefined {
  const node = locate(doc.yaml, path).node;
  const r = yaml11Reading(node);
  return r && isScalar(node) ? { source: String(node.source), kubernetes: r.kubernetes } : undefined;
}

// ---------------------------------------------------------------------------------------------
// The walk.

/** Validates `value` (present, possibly null) against `schema`; returns it pruned and defaulted. */
export function walkValue(st: WalkState, schema: JSONSchema, value: unknown, path: Path, display: string): unknown {
  let v = value;
  if (v === null && schema.nullable) return null;
  if (!typeOk(schema, v)) {
    const goString = acceptedTypes(schema)?.includes('string') && isObject(v) ? goYamlFlowScalar(st.doc, path) : undefined;
    if (goString === undefined) {
      st.typeErrors++;
      const range = valueRange(st, path, v);
      const scalar = typeof v === 'number' || typeof v === 'boolean';
      const quote = scalar && acceptedTypes(schema)?.includes('string') ? quoteFix(textOf(st.doc, range), range) : undefined;
      const yaml11 = quote ? yaml11Scalar(st.doc, path) : undefined;
      if (yaml11) {
        push(
          st,
          'schema-ambiguous-scalar',
          `${display}: expected ${typeName(schema)}, found ${jsonType(v)}: Kubernetes reads YAML 1.1, where unquoted ${yaml11.source} means ${describeYamlValue(yaml11.kubernetes)}. Quote it to make it a string.`,
          range,
          { fixes: [quote!] },
        );
        return v;
      }
      const found = scalar || typeof v === 'string' ? `${jsonType(v)} ${show(v)}` : jsonType(v);
      push(st, 'schema-type', `${display}: expected ${typeName(schema)}, found ${found}.${quote ? ' Quote it to make it a string.' : ''}`, range, {
        fixes: quote ? [quote] : undefined,
      });
      return v;
    }
    const range = st.doc.rangeOf(path, 'value');
    push(
      st,
      'schema-ambiguous-scalar',
      `${display}: Kubernetes reads this as the string ${JSON.stringify(goString)}, but YAML 1.2 tools read a mapping; quote it.`,
      range,
      { severity: 'warning', fixes: [quoteFix(goString, range)] },
    );
    v = goString;
  }
  if (isObject(v)) v = walkObject(st, schema, v, path, display);
  else if (Array.isArray(v)) v = walkArray(st, schema, v, path, display);
  else checkScalar(st, schema, v, path, display);
  checkEnum(st, schema, v, path, display);
  checkCombinators(st, schema, v, path, display);
  const rules = schema['x-kubernetes-validations'];
  if (rules?.length) st.celTasks.push({ path, display, rules, value: v, schema });
  return v;
}

function walkObject(st: WalkState, schema: JSONSchema, obj: Obj, path: Path, display: string): Obj {
  const props = schema.properties;
  const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const out = newObject();
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    const child = childSchema(schema, key);
    if (!child) {
      if (preserve || schema.additionalProperties === true) out[key] = v;
      else reportUnknownField(st, schema, obj, key, path, display);
      continue;
    }
    if (v === null && !child.nullable) {
      // The API server drops non-nullable nulls, then applies the field's default if it has one.
      if (child.default !== undefined) out[key] = clone(child.default);
      continue;
    }
    const isMapValue = !props?.[key] && additional !== undefined;
    out[key] = walkValue(st, child, v, [...path, key], childDisplay(display, key, isMapValue));
  }
  for (const [key, prop] of Object.entries(props ?? {})) {
    if (!(key in out) && prop.default !== undefined) out[key] = clone(prop.default);
  }
  for (const req of schema.required ?? []) {
    if (!(req in out)) {
      push(st, 'schema-required', `${display || st.rootLabel || 'The document'}: required field "${req}" is missing; add ${req}.`, anchorRange(st.doc, path));
    }
  }
  const count = Object.keys(out).length;
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    push(st, 'schema-min-properties', `${display}: must have at least ${schema.minProperties} entr${schema.minProperties === 1 ? 'y' : 'ies'}, has ${count}.`, anchorRange(st.doc, path));
  }
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    push(st, 'schema-max-properties', `${display}: must have at most ${schema.maxProperties} entries, has ${count}.`, anchorRange(st.doc, path));
    markOversized(st, path);
  }
  return out;
}

function reportUnknownField(st: WalkState, schema: JSONSchema, obj: Obj, key: string, path: Path, display: string): void {
  const fields = Object.keys(schema.properties ?? {});
  const suggestion = didYouMean(key, fields);
  const keyPath = [...path, key];
  const range = st.doc.rangeOf(keyPath, 'key');
  const where = display === '' ? 'at the top level' : `in ${display}`;
  const valid = fields.length === 0 ? `${display} takes no fields` : fields.length <= 16 ? `valid fields: ${fields.join(', ')}` : `${fields.length} fields are valid`;
  const hint = suggestion ? `did you mean "${suggestion}"? (${valid})` : valid;
  const fixes: Fix[] | undefined =
    suggestion && !(suggestion in obj)
      ? [{ title: `Rename to ${suggestion}`, isPreferred: true, edits: [{ range, newText: requoted(textOf(st.doc, range), suggestion) }] }]
      : undefined;
  push(st, 'schema-unknown-field', `Unknown field "${key}" ${where}: ${hint}.`, range, { fixes });
}

function walkArray(st: WalkState, schema: JSONSchema, arr: unknown[], path: Path, display: string): unknown[] {
  const items = schema.items;
  const out = items ? arr.map((item, i) => walkValue(st, items, item, [...path, i], childDisplay(display, i, false))) : arr.slice();
  if (schema.minItems !== undefined && out.length < schema.minItems) {
    push(st, 'schema-min-items', `${display}: must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}, has ${out.length}.`, anchorRange(st.doc, path));
  }
  if (schema.maxItems !== undefined && out.length > schema.maxItems) {
    push(st, 'schema-max-items', `${display}: must have at most ${schema.maxItems} items, has ${out.length}.`, anchorRange(st.doc, path));
    markOversized(st, path);
  }
  checkListType(st, schema, out, path, display);
  return out;
}

/** x-kubernetes-list-type set (unique items) and map (unique by the map keys). */
function checkListType(st: WalkState, schema: JSONSchema, arr: unknown[], path: Path, display: string): void {
  const listType = schema['x-kubernetes-list-type'];
  if (listType !== 'set' && listType !== 'map') return;
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  const seen = new Map<string, number>();
  arr.forEach((item, i) => {
    const identity = listType === 'set' ? JSON.stringify(item) : isObject(item) ? JSON.stringify(keys.map((k) => item[k] ?? null)) : undefined;
    if (identity === undefined) return;
    const first = seen.get(identity);
    if (first === undefined) {
      seen.set(identity, i);
      return;
    }
    const what = listType === 'set' ? `duplicate value ${show(item)}` : `duplicate entry for ${keys.map((k) => `${k}=${show((item as Obj)[k])}`).join(', ')}`;
    const related: RelatedLocation[] = [{ range: valueRange(st, [...path, first], arr[first]), message: `first ${display}[${first}]` }];
    push(st, 'schema-duplicate-item', `${display}[${i}]: ${what}; ${display} must not repeat ${listType === 'set' ? 'values' : keys.join(', ')}.`, valueRange(st, [...path, i], item), { related });
  });
}

/** Characters as the API server counts them (code points), without copying a long string into an array. */
function codePoints(s: string): number {
  if (!/[\uD800-\uDBFF]/.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function checkScalar(st: WalkState, schema: JSONSchema, v: unknown, path: Path, display: string): void {
  const range = (): Range => st.doc.rangeOf(path, 'value');
  if (typeof v === 'string') {
    // Characters (code points), counted only when a bound asks.
    const length = schema.minLength !== undefined || schema.maxLength !== undefined ? codePoints(v) : 0;
    if (schema.minLength !== undefined && length < schema.minLength) {
      push(st, 'schema-min-length', `${display}: must be at least ${schema.minLength} character${schema.minLength === 1 ? '' : 's'} long, is ${length}.`, range());
    }
    if (schema.maxLength !== undefined && length > schema.maxLength) {
      push(st, 'schema-max-length', `${display}: must be at most ${schema.maxLength} characters long, is ${length}.`, range());
      markOversized(st, path);
    }
    const re = schema.pattern !== undefined ? compiledPattern(schema.pattern) : null;
    if (re && !re.test(v)) {
      push(st, 'schema-pattern', `${display}: ${show(v)} does not match the pattern ${schema.pattern}.`, range());
    }
    const format = formatProblem(schema.format, v);
    if (format) push(st, 'schema-format', `${display}: ${show(v)} is not ${format}.`, range());
  } else if (typeof v === 'number') {
    const { minimum, maximum } = schema;
    if (minimum !== undefined && (schema.exclusiveMinimum ? v <= minimum : v < minimum)) {
      push(st, 'schema-minimum', `${display}: must be ${schema.exclusiveMinimum ? 'greater than' : 'at least'} ${minimum}, is ${v}.`, range());
    }
    if (maximum !== undefined && (schema.exclusiveMaximum ? v >= maximum : v > maximum)) {
      push(st, 'schema-maximum', `${display}: must be ${schema.exclusiveMaximum ? 'less than' : 'at most'} ${maximum}, is ${v}.`, range());
    }
  }
}

function checkEnum(st: WalkState, schema: JSONSchema, v: unknown, path: Path, display: string): void {
  const values = schema.enum;
  if (!values || values.some((e) => JSON.stringify(e) === JSON.stringify(v))) return;
  const range = valueRange(st, path, v);
  const names = values.map((e) => show(e));
  const strings = values.filter((e): e is string => typeof e === 'string');
  const closest =
    typeof v === 'string'
      ? (strings.filter((e) => e.toLowerCase() === v.toLowerCase()).length === 1
          ? strings.find((e) => e.toLowerCase() === v.toLowerCase())
          : didYouMean(v, strings))
      : undefined;
  const fixes: Fix[] | undefined = closest
    ? [{ title: `Change to ${closest}`, isPreferred: true, edits: [{ range, newText: requoted(textOf(st.doc, range), closest) }] }]
    : undefined;
  const hint = closest ? ` Did you mean ${JSON.stringify(closest)}?` : '';
  push(st, 'schema-enum', `${display}: ${show(v)} is not a supported value; use ${orList(names)}.${hint}`, range, { fixes });
}

// ---------------------------------------------------------------------------------------------
// oneOf / anyOf / allOf / not (value validations: Istio uses them for "only one of" constraints).

function checkCombinators(st: WalkState, schema: JSONSchema, v: unknown, path: Path, display: string): void {
  for (const sub of schema.allOf ?? []) checkCombinators(st, sub, v, path, display);
  if (schema.oneOf && schema.oneOf.filter((s) => satisfies(s, v)).length !== 1) reportOneOf(st, schema.oneOf, v, path, display, 'exactly one');
  const typeOnly = (s: JSONSchema): boolean => Object.keys(s).every((k) => k === 'type');
  if (schema.anyOf && !schema.anyOf.every(typeOnly) && !schema.anyOf.some((s) => satisfies(s, v))) {
    reportOneOf(st, schema.anyOf, v, path, display, 'at least one');
  }
  if (schema.not && satisfies(schema.not, v)) {
    const fields = requiredFields([schema.not]);
    const what = fields.length > 0 ? `must not set ${orList(fields)}` : `must not be such that ${describeSchema(schema.not)}`;
    push(st, 'schema-one-of', `${display}: ${what}.`, anchorRange(st.doc, path));
  }
}

/** A relative path for messages: `value`, `rules[0].name`. */
function relativeDisplay(path: Path): string {
  return path.reduce<string>((acc, step) => (typeof step === 'number' ? `${acc}[${step}]` : acc === '' ? step : `${acc}.${step}`), '');
}

/** Combinators whose forms are not told apart by required fields (e.g. Gateway API addresses): say why none fits. */
function reportNoForm(st: WalkState, branches: JSONSchema[], v: unknown, path: Path, display: string, how: string): void {
  const matching = branches.filter((b) => satisfies(b, v)).length;
  const forms = `(${explainNoForm(branches, v).forms.join(') or (')})`;
  if (matching > 1) {
    push(st, 'schema-one-of', `${display}: matches more than one of its allowed forms ${forms}; exactly one must match.`, anchorRange(st.doc, path));
    return;
  }
  const { reasons } = explainNoForm(branches, v);
  const why = reasons.map((r) => (r.path.length ? `${relativeDisplay(r.path)} ${r.text}` : r.text)).join('; ');
  const range = reasons.length === 1 ? nodeRange(st.doc, [...path, ...reasons[0].path]) : anchorRange(st.doc, path);
  push(st, 'schema-one-of', `${display}: ${why}. It must match ${how} of these forms: ${forms}.`, range);
}

function reportOneOf(st: WalkState, branches: JSONSchema[], v: unknown, path: Path, display: string, how: string): void {
  const fields = requiredFields(branches);
  if (fields.length === 0) {
    reportNoForm(st, branches, v, path, display, how);
    return;
  }
  const present = isObject(v) ? Object.keys(v).filter((k) => fields.includes(k)) : [];
  if (present.length >= 2) {
    const related: RelatedLocation[] = [{ range: st.doc.rangeOf([...path, present[0]], 'key'), message: `${present[0]} is set here` }];
    for (const extra of present.slice(1)) {
      push(
        st,
        'schema-one-of',
        `${display}: only one of ${orList(fields)} may be set; found ${present.join(' and ')}. Keep one of them.`,
        st.doc.rangeOf([...path, extra], 'key'),
        { related },
      );
    }
    return;
  }
  push(st, 'schema-one-of', `${display}: must set ${how} of ${orList(fields)}.`, anchorRange(st.doc, path));
}
