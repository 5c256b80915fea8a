/**
 * Go-template actions (`{{ … }}`) in a YAML text: where they are and what they do. Helm charts'
 * templates are Go templates; tutorials also write `{{ your_hostname }}` as a fill-in placeholder.
 * Pure text scanning: no YAML parse, no template evaluation.
 */

/** What an action does to the output. */
export type ActionRole =
  /** `if`, `else`, `end`, `range`, `with`, `define`, `break`, `continue`: no output of its own. */
  | 'control'
  /** `{{/* … *\/}}` and `$x := …`: no output. */
  | 'silent'
  /** Anything that prints: a value, `include`, `toYaml`, `template`… */
  | 'output';

export interface TemplateAction {
  /** Offset of `{{`. */
  start: number;
  /** Offset just past `}}` (or the end of the line for an unclosed action). */
  end: number;
  /** The action's text without the delimiters and trim markers, trimmed. */
  body: string;
  role: ActionRole;
  /** The first word of a control action (`if`, `else`, `end`…). */
  keyword?: string;
  /** True when the action reads like Helm (a field path, a function with arguments, a pipeline…); false for `{{ your_host }}`. */
  helm: boolean;
  /** True when no `}}` closes it. */
  unclosed: boolean;
}

const CONTROL = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'break', 'continue', 'block']);

/** Helm / Sprig functions that take no argument: `{{ now }}` is Helm, `{{ your_host }}` is not. */
const NULLARY_FUNCTIONS = new Set(['now', 'uuidv4', 'list', 'dict']);

/** Offset of the `}}` closing an action whose body starts at `from`, honouring string literals and comments; -1 when unclosed on this line. */
function closingOffset(text: string, from: number): number {
  let i = from;
  const body = text.slice(from, from + 4).replace(/^-\s*/, '');
  if (body.startsWith('/*')) {
    const end = text.indexOf('*/', from);
    if (end === -1) return -1;
    const close = text.indexOf('}}', end + 2);
    return close;
  }
  while (i < text.length) {
    const c = text[i];
    if (c === '}' && text[i + 1] === '}') return i;
    if (c === '\n') return -1;
    if (c === '"' || c === "'" || c === '`') {
      const quote = c;
      i++;
      while (i < text.length && text[i] !== quote) {
        if (text[i] === '\\' && quote !== '`') i++;
        else if (text[i] === '\n' && quote !== '`') return -1;
        i++;
      }
    }
    i++;
  }
  return -1;
}

/** Does an action's body read like a Go template used by Helm (rather than a `{{ fill_me_in }}` placeholder)? */
export function isHelmBody(body: string): boolean {
  if (body === '') return false;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(body)) return CONTROL.has(body) || NULLARY_FUNCTIONS.has(body);
  if (/^[A-Za-z_][A-Za-z0-9_ ]*$/.test(body)) {
    const first = body.split(/\s+/)[0];
    return CONTROL.has(first);
  }
  return true;
}

function roleOf(body: string): { role: ActionRole; keyword?: string } {
  if (body.startsWith('/*')) return { role: 'silent' };
  const word = /^[A-Za-z]+/.exec(body)?.[0];
  if (word && CONTROL.has(word) && word !== 'block') return { role: 'control', keyword: word };
  if (word === 'block') return { role: 'control', keyword: 'block' };
  if (/^\$[A-Za-z0-9_]*\s*:?=/.test(body)) return { role: 'silent' };
  return { role: 'output' };
}

/** Every action of a text, in order. An unclosed `{{` runs to the end of its line. */
export function findActions(text: string): TemplateAction[] {
  const out: TemplateAction[] = [];
  let i = text.indexOf('{{');
  while (i !== -1) {
    const close = closingOffset(text, i + 2);
    const unclosed = close === -1;
    const lineEnd = text.indexOf('\n', i);
    const end = unclosed ? (lineEnd === -1 ? text.length : lineEnd) : close + 2;
    const inner = text.slice(i + 2, unclosed ? end : close);
    const body = inner.replace(/^-(?=\s)/, '').replace(/(?<=\s)-$/, '').trim();
    const { role, keyword } = roleOf(body);
    out.push({ start: i, end, body, role, keyword, helm: isHelmBody(body), unclosed });
    i = text.indexOf('{{', end);
  }
  return out;
}

/** True when the text holds a Helm-like Go-template action outside YAML comments. */
export function hasHelmActions(text: string): boolean {
  if (!text.includes('{{')) return false;
  return findActions(text).some((a) => a.helm && !inComment(text, a.start));
}

/** Is the offset inside a YAML comment (a `#` at line start or after white space, outside quotes)? */
export function inComment(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let quote = '';
  for (let i = lineStart; i < offset; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      const prev = text[i - 1];
      if (i === lineStart || prev === ' ' || prev === '\t' || prev === ':' || prev === '[' || prev === '{' || prev === ',' || prev === '-') quote = c;
    } else if (c === '#' && (i === lineStart || text[i - 1] === ' ' || text[i - 1] === '\t')) {
      return true;
    }
  }
  return false;
}
