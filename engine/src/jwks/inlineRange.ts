/**
 * Ranges inside an inline JSON string held by a YAML scalar (e.g. `jwks: |` followed by JSON):
 * maps a JSON path such as ['keys', 1, 'kid'] to the exact characters in the YAML document.
 * Falls back to undefined whenever the scalar's text cannot be mapped character for character.
 */
import { isScalar, parseDocument } from 'yaml';
import type { Range } from '../diagnostics';
import { locate, offsetsOf, type Path, type Target } from '../model/locate';
import type { ParsedDoc } from '../model/parse';

type OffsetMap = (stringOffset: number) => number;

function flowMap(text: string, start: number, value: string): OffsetMap | undefined {
  return text.slice(start, start + value.length) === value ? (i) => start + i : undefined;
}

/** Block scalars: each line of the value sits after the block's indentation on its own line. */
function blockMap(text: string, nodeStart: number, nodeEnd: number, value: string): OffsetMap | undefined {
  const headerEnd = text.indexOf('\n', nodeStart);
  if (headerEnd === -1 || headerEnd >= nodeEnd) return undefined;
  const valueLines = value.split('\n');
  const lineStarts: number[] = [];
  let cursor = headerEnd + 1;
  for (const line of valueLines) {
    if (cursor > text.length) return undefined;
    const eol = text.indexOf('\n', cursor);
    const srcLine = text.slice(cursor, eol === -1 ? text.length : eol);
    if (line === '' && srcLine.trim() === '') {
      lineStarts.push(cursor);
    } else {
      const col = srcLine.length - line.length;
      if (col < 0 || srcLine.slice(col) !== line) return undefined;
      lineStarts.push(cursor + col);
    }
    cursor = (eol === -1 ? text.length : eol) + 1;
  }
  const valueStarts: number[] = [];
  let acc = 0;
  for (const line of valueLines) {
    valueStarts.push(acc);
    acc += line.length + 1;
  }
  return (i) => {
    let l = valueStarts.length - 1;
    while (l > 0 && valueStarts[l] > i) l--;
    return lineStarts[l] + (i - valueStarts[l]);
  };
}

function scalarMap(doc: ParsedDoc, path: Path): { value: string; map: OffsetMap } | undefined {
  const node = locate(doc.yaml, path).node;
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  const value = node.value;
  const [start, end] = node.range;
  let map: OffsetMap | undefined;
  if (node.type === 'BLOCK_LITERAL') map = blockMap(doc.text, start, end, value);
  else if (node.type === 'PLAIN') map = flowMap(doc.text, start, value);
  else if (node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE') map = flowMap(doc.text, start + 1, value);
  return map ? { value, map } : undefined;
}

/** The document range of `jsonPath` inside the JSON string at `scalarPath`, or undefined. */
export function rangeInJsonScalar(doc: ParsedDoc, scalarPath: Path, jsonPath: Path, target: Target = 'pair'): Range | undefined {
  const m = scalarMap(doc, scalarPath);
  if (!m) return undefined;
  const inner = parseDocument(m.value, { keepSourceTokens: false });
  if (inner.errors.length > 0) return undefined;
  const [s, e] = offsetsOf(inner, jsonPath, target);
  if (e <= s) return undefined;
  return doc.lines.range(m.map(s), m.map(e - 1) + 1);
}
