import type { Path } from '../model/locate';

/**
 * A field path as the API server prints it: `spec.jwtRules[0].jwksUri`, with map keys
 * (labels, selectors) in brackets: `metadata.labels[app]`.
 */
export function formatPath(path: Path, mapKeys: ReadonlySet<number> = new Set()): string {
  let out = '';
  path.forEach((step, i) => {
    if (typeof step === 'number') out += `[${step}]`;
    else if (mapKeys.has(i)) out += `[${step}]`;
    else out += out === '' ? step : `.${step}`;
  });
  return out === '' ? '<root>' : out;
}

/**
 * Resolves a CEL rule's fieldPath (JSONPath-like, relative to the node: `.targetRef`,
 * `.rules[0].from`, `['a.b']`) to path steps; undefined when it cannot be parsed.
 */
export function parseFieldPath(fieldPath: string): Array<string | number> | undefined {
  const steps: Array<string | number> = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\['([^']*)'\]/y;
  let pos = 0;
  while (pos < fieldPath.length) {
    re.lastIndex = pos;
    const m = re.exec(fieldPath);
    if (!m) return undefined;
    steps.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]));
    pos = re.lastIndex;
  }
  return steps;
}
