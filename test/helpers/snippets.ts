/**
 * Expands VS Code snippet bodies the way the editor does when the user accepts every default:
 * `${n:default}` → default (nested placeholders expanded), `${n|a,b|}` → the chosen option,
 * `$n` / `${n}` → the value of placeholder n elsewhere (mirrors), `$0` → ''.
 */
export interface SnippetChoice {
  /** Placeholder number → index of the option to pick (default 0). */
  [placeholder: number]: number;
}

export function choicesOf(body: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const m of body.matchAll(/\$\{(\d+)\|([^|]*)\|\}/g)) out.set(Number(m[1]), m[2].split(','));
  return out;
}

export function expandSnippet(body: string, pick: SnippetChoice = {}): string {
  const values = new Map<number, string>();
  // Choices first.
  let text = body.replace(/\$\{(\d+)\|([^|]*)\|\}/g, (_m, n: string, opts: string) => {
    const v = opts.split(',')[pick[Number(n)] ?? 0];
    values.set(Number(n), v);
    return v;
  });
  // Placeholders with defaults, innermost first.
  for (let guard = 0; guard < 50 && /\$\{\d+:[^{}]*\}/.test(text); guard++) {
    text = text.replace(/\$\{(\d+):([^{}]*)\}/g, (_m, n: string, def: string) => {
      if (!values.has(Number(n))) values.set(Number(n), def);
      return values.get(Number(n))!;
    });
  }
  return text.replace(/\$\{(\d+)\}|\$(\d+)/g, (_m, a?: string, b?: string) => values.get(Number(a ?? b)) ?? '');
}
