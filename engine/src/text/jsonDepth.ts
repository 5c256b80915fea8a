/** Depth guard for untrusted JSON (tokens, key sets): deep values break recursive code such as JSON.stringify. */

/** True when `value` nests objects/arrays deeper than `limit` levels (iterative: stops as soon as it knows). */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<{ v: unknown; d: number }> = [{ v: value, d: 1 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > limit) return true;
    for (const child of Object.values(v as object)) stack.push({ v: child, d: d + 1 });
  }
  return false;
}
