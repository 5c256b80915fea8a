/**
 * Value validations of a schema node as a predicate, for oneOf / anyOf / allOf / not (Istio uses
 * them for "only one of" constraints, the Gateway API for address forms), and plain-language
 * explanations of why a value matches none of a oneOf's forms.
 */
import type { Path } from '../model/locate';
import { compiledPattern, formatProblem, FORMAT_CHECKS } from './formats';
import { orList } from './suggest';
import type { JSONSchema } from './types';
import { isObject, show, typeName, typeOk } from './valueTypes';

/** One reason a value fails a schema: where (relative to the value) and what is wrong. */
export interface Mismatch {
  path: Path;
  text: string;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Scalar value validations (format, pattern, lengths, bounds). */
function scalarMismatch(schema: JSONSchema, v: unknown): string | undefined {
  if (typeof v === 'string') {
    const format = formatProblem(schema.format, v);
    if (format) return `${show(v)} is not ${format}`;
    const re = schema.pattern !== undefined ? compiledPattern(schema.pattern) : null;
    if (re && !re.test(v)) return `${show(v)} does not match ${schema.pattern}`;
    const length = [...v].length;
    if (schema.minLength !== undefined && length < schema.minLength) return `${show(v)} is shorter than ${schema.minLength}`;
    if (schema.maxLength !== undefined && length > schema.maxLength) return `${show(v)} is longer than ${schema.maxLength}`;
  }
  if (typeof v === 'number') {
    if (schema.minimum !== undefined && (schema.exclusiveMinimum ? v <= schema.minimum : v < schema.minimum)) return `${v} is below ${schema.minimum}`;
    if (schema.maximum !== undefined && (schema.exclusiveMaximum ? v >= schema.maximum : v > schema.maximum)) return `${v} is above ${schema.maximum}`;
  }
  return undefined;
}

/** Why `v` fails `schema`'s value validations (empty: it satisfies them), for messages. */
export function mismatches(schema: JSONSchema, v: unknown, path: Path = []): Mismatch[] {
  const out: Mismatch[] = [];
  const add = (text: string): void => {
    out.push({ path, text });
  };
  if (!typeOk(schema, v)) {
    add(`${show(v)} is not ${typeName(schema)}`);
    return out;
  }
  if (schema.enum && !schema.enum.some((e) => sameJson(e, v))) add(`${show(v)} is not ${orList(schema.enum.map(show))}`);
  const scalar = scalarMismatch(schema, v);
  if (scalar) add(scalar);
  if (isObject(v)) {
    for (const r of schema.required ?? []) if (!(r in v)) add(`${r} is missing`);
    for (const [k, p] of Object.entries(schema.properties ?? {})) if (k in v) out.push(...mismatches(p, v[k], [...path, k]));
  }
  if (schema.not && satisfies(schema.not, v)) add(`${show(v)} ${negated(schema.not)}`);
  for (const s of schema.allOf ?? []) out.push(...mismatches(s, v, path));
  if (schema.anyOf && !schema.anyOf.some((s) => satisfies(s, v))) add(`${show(v)} ${noneOf(schema.anyOf.map(describeSchema))}`);
  if (schema.oneOf && schema.oneOf.filter((s) => satisfies(s, v)).length !== 1) add(`${show(v)} does not match exactly one of its allowed forms`);
  return out;
}

/** The same verdict as `mismatches(...).length === 0`, without building reasons (the hot path of every oneOf). */
export function satisfies(schema: JSONSchema, v: unknown): boolean {
  if (!typeOk(schema, v)) return false;
  if (schema.enum && !schema.enum.some((e) => sameJson(e, v))) return false;
  if ((typeof v === 'string' || typeof v === 'number') && scalarMismatch(schema, v) !== undefined) return false;
  if (isObject(v)) {
    if (schema.required && !schema.required.every((r) => r in v)) return false;
    for (const k in schema.properties) if (k in v && !satisfies(schema.properties[k], v[k])) return false;
  }
  if (schema.not && satisfies(schema.not, v)) return false;
  if (schema.allOf && !schema.allOf.every((s) => satisfies(s, v))) return false;
  if (schema.anyOf && !schema.anyOf.some((s) => satisfies(s, v))) return false;
  if (schema.oneOf && schema.oneOf.filter((s) => satisfies(s, v)).length !== 1) return false;
  return true;
}

/** "is not X, nor Y" when every form reads "is ...", else "satisfies none of: X; Y". */
function noneOf(forms: string[]): string {
  if (forms.every((f) => f.startsWith('is ') && !f.includes(' and '))) return `is not ${forms.map((f) => f.slice(3)).join(', nor ')}`;
  return `satisfies none of: ${forms.join('; ')}`;
}

/** What a `not` schema forbids, as a predicate on the value. */
function negated(schema: JSONSchema): string {
  return schema.enum && Object.keys(schema).length === 1 ? `must not be ${orList(schema.enum.map(show))}` : `must not be such that ${describeSchema(schema)}`;
}

/** A schema's value validations in words, e.g. `type is "IPAddress" and value is an IPv4 address`. */
export function describeSchema(schema: JSONSchema): string {
  const parts: string[] = [];
  if (schema.enum) parts.push(`is ${orList(schema.enum.map(show))}`);
  if (schema.format && FORMAT_CHECKS[schema.format]) parts.push(`is ${FORMAT_CHECKS[schema.format].what}`);
  if (schema.pattern !== undefined) parts.push(`matches ${schema.pattern}`);
  for (const r of schema.required ?? []) parts.push(`has ${r}`);
  for (const [k, p] of Object.entries(schema.properties ?? {})) {
    const d = describeSchema(p);
    if (d !== '') parts.push(`${k} ${d}`);
  }
  if (schema.not) parts.push(negated(schema.not));
  if (schema.anyOf) parts.push(schema.anyOf.map(describeSchema).join(' or '));
  return parts.join(' and ');
}

/** Field names a combinator's branches require (the fields an "only one of" constraint is about). */
export function requiredFields(schemas: readonly JSONSchema[], into: string[] = []): string[] {
  for (const s of schemas) {
    for (const r of s.required ?? []) if (!into.includes(r)) into.push(r);
    requiredFields([...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? []), ...(s.not ? [s.not] : [])], into);
  }
  return into;
}

/** Why a value matches none of a oneOf's forms: the reasons of the closest form, and every form in words. */
export function explainNoForm(branches: readonly JSONSchema[], v: unknown): { reasons: Mismatch[]; forms: string[] } {
  let reasons: Mismatch[] = [];
  for (const b of branches) {
    const m = mismatches(b, v);
    if (reasons.length === 0 || m.length < reasons.length) reasons = m;
  }
  return { reasons, forms: branches.map(describeSchema) };
}
