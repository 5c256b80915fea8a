/** String similarity for "did you mean" suggestions and quick fixes. */

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions). Keeps three rows
 * only, so memory stays O(|b|) whatever the length of `a` (a multi-megabyte scalar compared to
 * enum values must not allocate a row per character).
 */
export function editDistance(a: string, b: string): number {
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

/** The single candidate within maxDistance edits (case-insensitive), or undefined when none or ambiguous. */
export function closestValue(value: string, candidates: Iterable<string>, maxDistance: number): string | undefined {
  const v = value.toLowerCase();
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  let tie = false;
  for (const c of candidates) {
    // The distance is at least the length difference: skip candidates that cannot be close.
    if (Math.abs(v.length - c.length) > maxDistance) continue;
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
