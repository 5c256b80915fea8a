/**
 * A copy of `s` that does not keep the string it was sliced from alive. V8 represents a slice of
 * 13+ characters as a view into its parent, so a cache keyed by one document's text (a slice of
 * its file) would otherwise hold every version of the whole file that ever produced a key.
 * Costs one copy of `s`: used only where a document is analysed anyway (cache misses).
 */
export function detached(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf16le').toString('utf16le');
}
