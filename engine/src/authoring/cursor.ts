/**
 * Where the cursor is in a YAML document, computed from indentation alone so that it works
 * on the half-typed text an editor holds while the user types (which often does not parse).
 * A stack of open keys and sequence items is kept while scanning lines top-down, the way a
 * block-YAML parser nests them.
 */

export type CursorMode = 'key' | 'value' | 'sequence-value';

export interface CursorContext {
  /** Path of the mapping the cursor is in ('key'), of the key whose value is typed ('value'), or of the sequence ('sequence-value'). */
  path: Array<string | number>;
  mode: CursorMode;
  /** For 'value': the key being given a value. */
  key?: string;
  /** What the user has typed of the current key or value so far. */
  prefix: string;
  /** Column where the typed key or value starts (for the replace range). */
  prefixStart: number;
  /** Keys already present in the mapping the cursor is in ('key' mode). */
  siblings: string[];
}

interface LineInfo {
  blank: boolean;
  indent: number;
  /** Columns of the `- ` markers that open the line. */
  dashes: number[];
  /** Column of the content after the dashes. */
  contentCol: number;
  key?: string;
  /** Text after `key:`, '' when the value is a block on the next lines. */
  rest?: string;
}

const KEY_RE = /^(?:"([^"]*)"|'([^']*)'|([^\s#'"{}[\],&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?))[ \t]*:(?:[ \t]|$)(.*)$/;

export function lineInfo(line: string): LineInfo {
  const indent = line.length - line.trimStart().length;
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#') || trimmed === '---' || trimmed.startsWith('--- ')) {
    return { blank: true, indent, dashes: [], contentCol: indent };
  }
  const dashes: number[] = [];
  let col = indent;
  while (line[col] === '-' && (line[col + 1] === ' ' || col + 1 === line.length)) {
    dashes.push(col);
    col += 1;
    while (line[col] === ' ') col++;
  }
  const m = KEY_RE.exec(line.slice(col));
  if (!m) return { blank: false, indent, dashes, contentCol: col };
  const key = (m[1] ?? m[2] ?? m[3]).trim();
  const rest = m[4].replace(/(^|\s+)#.*$/, '').trim();
  return { blank: false, indent, dashes, contentCol: col, key, rest };
}

interface Frame {
  col: number;
  step: string | number;
  item: boolean;
}

function popTo(stack: Frame[], col: number): void {
  while (stack.length && stack[stack.length - 1].col >= col) stack.pop();
}

/** Applies one line to the stack of open keys and items. */
function apply(stack: Frame[], info: LineInfo): void {
  if (info.blank) return;
  info.dashes.forEach((d, i) => {
    let index = 0;
    if (i === 0) {
      while (stack.length) {
        const top = stack[stack.length - 1];
        if (top.col > d || (top.col === d && top.item)) {
          stack.pop();
          if (top.col === d && top.item) index = (top.step as number) + 1;
        } else break;
      }
    }
    stack.push({ col: d, step: index, item: true });
  });
  if (info.key === undefined) return;
  popTo(stack, info.contentCol);
  if (info.rest === '') stack.push({ col: info.contentCol, step: info.key, item: false });
}

const pathOf = (stack: Frame[]) => stack.map((f) => f.step);

/** The cursor context at (line, character) of a document's text (document-relative). */
export function cursorContext(text: string, line: number, character: number): CursorContext {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const stack: Frame[] = [];
  for (let l = 0; l < line && l < lines.length; l++) apply(stack, lineInfo(lines[l]));
  const current = (lines[line] ?? '').slice(0, character);
  const here = lineInfo(current);

  if (!here.blank && here.key !== undefined) {
    // `key: partial value`
    const lineStack = [...stack];
    apply(lineStack, { ...here, rest: 'x' });
    const colon = current.indexOf(':', here.contentCol);
    const typed = current.slice(colon + 1).trimStart();
    const prefix = typed.replace(/^["']/, '');
    return { path: pathOf(lineStack), mode: 'value', key: here.key, prefix, prefixStart: current.length - prefix.length, siblings: [] };
  }
  if (here.dashes.length) {
    const lineStack = [...stack];
    apply(lineStack, { ...here, key: undefined });
    const prefix = current.slice(here.contentCol);
    if (/^[A-Za-z_]*$/.test(prefix)) {
      // `- ` then the start of a key: a new item mapping.
      const path = pathOf(lineStack);
      return { path, mode: 'key', prefix, prefixStart: here.contentCol, siblings: [] };
    }
    lineStack.pop();
    return { path: pathOf(lineStack), mode: 'sequence-value', prefix, prefixStart: here.contentCol, siblings: [] };
  }
  const col = here.blank ? current.length : here.indent;
  popTo(stack, col);
  const path = pathOf(stack);
  const prefix = current.slice(col);
  return { path, mode: 'key', prefix, prefixStart: col, siblings: siblingKeys(lines, line, path) };
}

/** Keys of the mapping at `path`, from every line except the cursor's. */
function siblingKeys(lines: string[], cursorLine: number, path: Array<string | number>): string[] {
  const want = JSON.stringify(path);
  const stack: Frame[] = [];
  const keys: string[] = [];
  lines.forEach((raw, l) => {
    const info = lineInfo(raw);
    if (info.blank) return;
    apply(stack, info);
    if (l === cursorLine || info.key === undefined) return;
    // The parent path of this key: the stack after the line minus the key's own frame.
    const parent = info.rest === '' ? stack.slice(0, -1) : stack;
    if (JSON.stringify(pathOf(parent)) === want) keys.push(info.key);
  });
  return keys;
}
