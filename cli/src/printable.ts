/**
 * What the text formats print comes from the manifests (names, values, messages quoting them) and
 * the file system (paths). Printed raw, a value holding a newline starts a line of its own (in CI,
 * `::error::...` becomes a GitHub Actions workflow command), and escape sequences move the cursor,
 * recolour or clear the terminal. Every such character is shown as an escape instead.
 */

/** C0 and C1 controls, DEL, line/paragraph separators and the bidirectional overrides (Trojan Source). */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** `s` with control characters, newlines and bidi controls shown as escapes (`\n`, `\x1b`, `\u202e`). */
export function printable(s: string): string {
  return s.replace(UNSAFE, escape);
}

/** A path for the start of a line: printable, and never beginning with "::" (a workflow command). */
export function printablePath(p: string): string {
  const safe = printable(p);
  return safe.startsWith('::') ? `./${safe}` : safe;
}
