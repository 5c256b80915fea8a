/**
 * Masks the Go-template actions of a Helm chart template so that the literal YAML around them can
 * be parsed and validated. Every replacement has the same length as what it replaces and keeps the
 * line breaks, so offsets, lines and columns of the masked text are those of the template:
 * - a line holding only control actions (`{{- if }}`, `{{- range }}`, `{{- end }}`, comments,
 *   `$x := …`) becomes blank;
 * - a line holding only an output action (`{{- include … | nindent 4 }}`, `{{ toYaml .Values.x }}`)
 *   becomes blank and is recorded as an opaque block: what it produces is unknown;
 * - an action inside a line (a value, part of a value, a key) becomes a placeholder scalar
 *   (`xxxx`; `1`, `true`, `{}` or `[]` when the schema expects that type, see typePlaceholders);
 * - the `else` branches of a conditional and `define` bodies are blanked: the first branch is
 *   checked as if its condition held (checking both would report each key twice).
 */
import { findActions, inComment, type TemplateAction } from './actions';

/** A span of the text whose value is unknown (a masked action). */
export interface MaskSpan {
  start: number;
  end: number;
}

/** A blanked line whose action produces unknown YAML (include, toYaml, template…). */
export interface OpaqueBlock {
  line: number;
  /** Column at which the produced YAML would start (`nindent N`, else the action's column). */
  indent: number;
}

export interface MaskedTemplate {
  /** The text with actions masked: same length and same line breaks as the input. */
  text: string;
  values: MaskSpan[];
  blocks: OpaqueBlock[];
  /** Non-blank lines of else branches and define bodies that were not checked. */
  skippedLines: number;
  /** Helm actions found (outside YAML comments). */
  actions: number;
  /** Offset of the first action (where the file's notice goes). */
  firstAction: number;
}

interface Frame {
  skipping: boolean;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineEndAt(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl;
}

function fill(chars: string[], start: number, end: number, c: string): void {
  for (let i = start; i < end; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = c;
}

/** Updates the conditional stack for one control action. */
function step(stack: Frame[], a: TemplateAction): void {
  const skipping = stack.length > 0 && stack[stack.length - 1].skipping;
  switch (a.keyword) {
    case 'if':
    case 'range':
    case 'with':
    case 'block':
      stack.push({ skipping });
      break;
    case 'define':
      stack.push({ skipping: true });
      break;
    case 'else':
      if (stack.length > 0) stack[stack.length - 1].skipping = true;
      else stack.push({ skipping: true });
      break;
    case 'end':
      stack.pop();
      break;
    default:
  }
}

/** True when the control actions of one line open and close the same structures (e.g. `{{ if .a }}x{{ end }}`). */
function balanced(actions: readonly TemplateAction[]): boolean {
  let depth = 0;
  for (const a of actions) {
    if (a.keyword === 'if' || a.keyword === 'range' || a.keyword === 'with' || a.keyword === 'define' || a.keyword === 'block') depth++;
    else if (a.keyword === 'end') depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

function blockIndent(text: string, a: TemplateAction, lineStart: number): number {
  const m = /\bn?indent\s+(\d+)/.exec(a.body);
  return m ? Number(m[1]) : a.start - lineStart;
}

/**
 * Masks a template's actions, or returns undefined when the text has no Helm action (outside
 * comments): such a text is validated as it is (its `{{ name }}` placeholders included).
 */
export function maskTemplate(text: string): MaskedTemplate | undefined {
  if (!text.includes('{{')) return undefined;
  const actions = findActions(text).filter((a) => !inComment(text, a.start));
  if (!actions.some((a) => a.helm)) return undefined;
  const chars = text.split('');
  const starts = lineStarts(text);
  const values: MaskSpan[] = [];
  const blocks: OpaqueBlock[] = [];
  const stack: Frame[] = [];
  let skippedLines = 0;
  let next = 0;
  for (let line = 0; line < starts.length; line++) {
    const lineStart = starts[line];
    if (lineStart < next) continue; // inside a multi-line action already handled
    let groupEnd = lineEndAt(text, lineStart);
    const own: TemplateAction[] = [];
    let k = actions.findIndex((a) => a.start >= lineStart);
    while (k !== -1 && k < actions.length && actions[k].start <= groupEnd) {
      own.push(actions[k]);
      groupEnd = Math.max(groupEnd, lineEndAt(text, actions[k].end));
      k++;
    }
    next = groupEnd + 1;
    const skipping = stack.length > 0 && stack[stack.length - 1].skipping;
    let residual = '';
    let at = lineStart;
    for (const a of own) {
      residual += text.slice(at, a.start);
      at = a.end;
    }
    residual += text.slice(at, groupEnd);
    const actionOnly = own.length > 0 && residual.trim() === '';
    if (actionOnly) {
      const outputs = own.filter((a) => a.role === 'output');
      if (outputs.length > 0 && !skipping) blocks.push({ line, indent: blockIndent(text, outputs[0], lineStart) });
      for (const a of own) if (a.role === 'control') step(stack, a);
      fill(chars, lineStart, groupEnd, ' ');
      continue;
    }
    if (skipping) {
      if (residual.trim() !== '' && !residual.trim().startsWith('#')) skippedLines++;
      for (const a of own) if (a.role === 'control') step(stack, a);
      fill(chars, lineStart, groupEnd, ' ');
      continue;
    }
    if (own.length === 0) continue;
    if (!balanced(own)) for (const a of own) if (a.role === 'control') step(stack, a);
    // Inline actions: each becomes part of a value; a conditional inside a value masks the whole run.
    let i = 0;
    while (i < own.length) {
      let j = i;
      if (own[i].role === 'control') {
        let depth = 0;
        for (; j < own.length; j++) {
          const kw = own[j].keyword;
          if (kw === 'if' || kw === 'range' || kw === 'with') depth++;
          else if (kw === 'end') depth--;
          if (depth <= 0) break;
        }
        j = Math.min(j, own.length - 1);
      }
      const span = { start: own[i].start, end: own[j].end };
      fill(chars, span.start, span.end, 'x');
      values.push(span);
      i = j + 1;
    }
  }
  return { text: chars.join(''), values, blocks, skippedLines, actions: actions.length, firstAction: actions[0].start };
}
