/** "Did you mean" for field names, kinds and enum values. */

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

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
  let best: string | undefined;
  let bestDistance = typoBudget(name) + 1;
  let tie = false;
  for (const c of list) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance) {
      tie = true;
    }
  }
  return tie ? undefined : best;
}

/** A scalar's YAML text for a new value, keeping the original's quoting style. */
export function requoted(originalText: string, value: string): string {
  if (originalText.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  if (originalText.startsWith('"')) return JSON.stringify(value);
  return /^[A-Za-z0-9_./-][A-Za-z0-9_./:-]*$/.test(value) && !/^(true|false|null|~|[-+]?[0-9.]+)$/i.test(value) ? value : JSON.stringify(value);
}

/** "a, b or c" */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
