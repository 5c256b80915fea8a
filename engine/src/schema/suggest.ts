/** "Did you mean" for field names, kinds and enum values. */
import { closestValue, editDistance, requoted } from '../text/similarity';

export { editDistance, requoted };

/** snake_case or kebab-case to camelCase: `sni_hosts` → `sniHosts`. */
export function toCamelCase(name: string): string {
  return name.replace(/[_-]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Lowercase without separators: the form spelling variants share. */
function normalized(name: string): string {
  return name.replace(/[_-]/g, '').toLowerCase();
}

/** How many edits a name of this length may be from a candidate and still count as a typo. */
function typoBudget(name: string): number {
  return name.length <= 3 ? 0 : name.length <= 5 ? 1 : 2;
}

/**
 * The one candidate the name most likely meant, or undefined when nothing is close or two
 * candidates are equally close. Exact-but-for-case and snake_case spellings win over typos.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates].filter((c) => c !== name);
  const camel = toCamelCase(name);
  const lower = name.toLowerCase();
  // Closest spelling first: camelCase of a snake_case name, then the same letters in another case,
  // then the same letters without separators (CRDs sometimes declare both jwksUri and jwks_uri).
  for (const same of [(c: string) => c === camel, (c: string) => c.toLowerCase() === lower, (c: string) => normalized(c) === normalized(name)]) {
    const matches = list.filter(same);
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) return undefined;
  }
  return closestValue(name, list, typoBudget(name));
}

/** "a, b or c" */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
