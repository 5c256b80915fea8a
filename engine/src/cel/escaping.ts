/**
 * Kubernetes' escaping of object property names into CEL identifiers (k8s.io/apiserver pkg/cel
 * Escape): a CRD field named `namespace` is `self.__namespace__` in a rule, `x-y` is `x__dash__y`.
 * Only properties of structural objects are escaped; map keys (additionalProperties) never are.
 */

/** The CEL lexer's reserved words, escaped as `__word__` when a whole property name. */
const RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

const PLAIN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const ESCAPABLE = /^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/;
const SEQUENCES: Readonly<Record<string, string>> = { __: '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__' };

/** The CEL name of a property, or undefined when the name cannot be written in CEL (it is then not accessible). */
export function escapeCelField(name: string): string | undefined {
  if (name === '' || /^[0-9]/.test(name)) return undefined;
  if (RESERVED.has(name)) return `__${name}__`;
  if (PLAIN.test(name) && !name.includes('__')) return name;
  if (!ESCAPABLE.test(name)) return undefined;
  return name.replace(/__|[./-]/g, (m) => SEQUENCES[m]);
}
