/** The one way a token is shown to people or logs: a short prefix and its length, never the whole. */

const SHOWN_CHARS = 12;

export function redactToken(token: string): string {
  if (token.length <= SHOWN_CHARS) return `${'*'.repeat(token.length)} (${token.length} chars)`;
  return `${token.slice(0, SHOWN_CHARS)}… (${token.length} chars)`;
}
