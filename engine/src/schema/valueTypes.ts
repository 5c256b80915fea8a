/** JSON types of plain YAML data and the types a schema node accepts. */
import type { JSONSchema } from './types';

export type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

export type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function jsonType(v: unknown): JsonType {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'object') return 'object';
  return typeof v as JsonType;
}

/** The JSON types a schema node accepts (undefined: any). */
export function acceptedTypes(schema: JSONSchema): JsonType[] | undefined {
  if (schema['x-kubernetes-int-or-string']) return ['integer', 'string'];
  if (!schema.type) return undefined;
  return schema.type === 'number' ? ['number', 'integer'] : [schema.type];
}

export function typeOk(schema: JSONSchema, v: unknown): boolean {
  const accepted = acceptedTypes(schema);
  return accepted === undefined || accepted.includes(jsonType(v));
}

export function typeName(schema: JSONSchema): string {
  return schema['x-kubernetes-int-or-string'] ? 'integer or string' : (schema.type ?? 'any');
}

/** A value for messages: JSON, shortened. */
export function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
