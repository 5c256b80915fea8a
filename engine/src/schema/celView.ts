/**
 * The value a CEL rule sees as `self`: the pruned, defaulted data with the properties of structural
 * objects under their escaped CEL names (`namespace` → `__namespace__`) and properties that cannot
 * be written in CEL left out, as the API server presents them. Map keys are not escaped.
 */
import { escapeCelField } from '../cel/escaping';
import type { JSONSchema } from './types';
import { isObject, type Obj } from './valueTypes';

/** Per schema node: does any property below it need a different name in CEL? */
const needsEscaping = new WeakMap<JSONSchema, boolean>();

function escapes(schema: JSONSchema | undefined): boolean {
  if (!schema) return false;
  let known = needsEscaping.get(schema);
  if (known === undefined) {
    needsEscaping.set(schema, false); // schemas are trees; this only guards against cycles
    const own = Object.keys(schema.properties ?? {}).some((k) => escapeCelField(k) !== k);
    const below = [...Object.values(schema.properties ?? {}), schema.items, typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined].some(escapes);
    known = own || below;
    needsEscaping.set(schema, known);
  }
  return known;
}

function view(value: unknown, schema: JSONSchema | undefined): unknown {
  if (!schema || !escapes(schema)) return value;
  if (Array.isArray(value)) return value.map((item) => view(item, schema.items));
  if (!isObject(value)) return value;
  const props = schema.properties;
  const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  const out: Obj = {};
  for (const [key, v] of Object.entries(value)) {
    const prop = props?.[key];
    if (prop) {
      const name = escapeCelField(key);
      if (name !== undefined) out[name] = view(v, prop);
    } else out[key] = view(v, additional);
  }
  return out;
}

export function celView(value: unknown, schema: JSONSchema): unknown {
  return view(value, schema);
}
