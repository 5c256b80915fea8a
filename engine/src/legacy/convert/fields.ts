/**
 * Field access on removed-API objects. Those APIs were proto-JSON: clusters accepted both the
 * lowerCamelCase and the original snake_case spelling (e.g. `enforcement_mode`, `jwks_uri`).
 */
import { asRecord } from './types';

export function snakeCase(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The key actually written for a field: camelCase, else snake_case, else the camelCase name. */
export function keyOf(o: Record<string, unknown>, camel: string): string {
  if (camel in o) return camel;
  const snake = snakeCase(camel);
  return snake in o ? snake : camel;
}

export function field(o: Record<string, unknown> | undefined, camel: string): unknown {
  return o ? o[keyOf(o, camel)] : undefined;
}

export function recordField(o: Record<string, unknown> | undefined, camel: string): Record<string, unknown> | undefined {
  return asRecord(field(o, camel));
}

export function isTrue(v: unknown): boolean {
  return v === true || v === 'true';
}
