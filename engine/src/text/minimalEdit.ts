import type { TextEdit } from '../diagnostics';
import { LineIndex } from './lineIndex';

/**
 * The single edit that turns `before` into `after`, covering only what differs (common prefix
 * and suffix kept): one undoable step in an editor, and untouched text keeps its place.
 */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) {
    endB--;
    endA--;
  }
  const lines = new LineIndex(before);
  return { range: lines.range(start, endB), newText: after.slice(start, endA) };
}
