/** String similarity for "did you mean" suggestions and quick fixes. */

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

/** The single candidate within maxDistance edits (case-insensitive), or undefined when none or ambiguous. */
export function closestValue(value: string, candidates: Iterable<string>, maxDistance: number): string | undefined {
  const v = value.toLowerCase();
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  let tie = false;
  for (const c of candidates) {
    const d = editDistance(v, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance) tie = true;
  }
  return best !== undefined && !tie ? best : undefined;
}

/** A scalar's YAML text for a new value, keeping the original's quoting style. */
export function requoted(originalText: string, value: string): string {
  if (originalText.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  if (originalText.startsWith('"')) return JSON.stringify(value);
  return /^[A-Za-z0-9_./-][A-Za-z0-9_./:-]*$/.test(value) && !/^(true|false|null|~|[-+]?[0-9.]+)$/i.test(value) ? value : JSON.stringify(value);
}
