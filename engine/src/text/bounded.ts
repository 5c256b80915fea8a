/** Bounded text for messages built from input of any size. */

/** "0, 1, 2, 3, 4 and 9,995 more": the first `shown` items of a list and how many are left out. */
export function someOf(items: readonly unknown[], shown = 5): string {
  const head = items.slice(0, shown).map(String).join(', ');
  const rest = items.length - shown;
  return rest > 0 ? `${head} and ${rest.toLocaleString('en-US')} more` : head;
}

/** A value from the input, JSON-quoted and cut to `max` characters. */
export function quoted(v: unknown, max = 60): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > max ? `${s.slice(0, max - 4)}..."` : s;
}
