/**
 * Ranges inside an inline JSON string held by a YAML scalar (e.g. `jwks: |` followed by JSON):
 * maps a JSON path such as ['keys', 1, 'kid'] to the exact characters in the YAML document.
 * Falls back to undefined whenever the scalar's text cannot be mapped character for character.
 */
import { isScalar } from 'yaml';
import { BoundedCache } from '../cel/boundedCache';
import type { Range } from '../diagnostics';
import { locate, type Path, type Target } from '../model/locate';
import type { ParsedDoc } from '../model/parse';
import { jsonOffsets } from '../text/jsonTree';

/**
 * Offsets of the last few inline JSON texts, and line maps of the block scalars holding them: a
 * keystroke elsewhere in the document does not scan a key set of thousands of keys again.
 */
const offsetsByText = new BoundedCache<string, ReturnType<typeof jsonOffsets>>(4);
const blockMaps = new BoundedCache<string, OffsetMap | null>(4);

type OffsetMap = (stringOffset: number) => number;

function flowMap(text: string, start: number, value: string): OffsetMap | undefined {
  return text.slice(start, start + value.length) === value ? (i) => start + i : undefined;
}

/** Block scalars: each line of the value sits after the block's indentation on its own line. */
function blockMap(text: string, nodeStart: number, nodeEnd: number, value: string): OffsetMap | undefined {
  // Offsets relative to the block, remembered by its source text (which holds the value).
  const rel = blockMaps.getOrCreate(text.slice(nodeStart, nodeEnd), (src) => relativeBlockMap(src, value) ?? null);
  return rel ? (i) => nodeStart + rel(i) : undefined;
}

function relativeBlockMap(text: string, value: string): OffsetMap | undefined {
  const headerEnd = text.indexOf('\n');
  if (headerEnd === -1) return undefined;
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
    // The last line starting at or before i (binary search: a set of thousands of keys has as many lines).
    let lo = 0;
    let hi = valueStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (valueStarts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return lineStarts[lo] + (i - valueStarts[lo]);
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

/** Maps JSON paths inside one JSON string value to document ranges. */
export type JsonScalarLocator = (jsonPath: Path, target?: Target) => Range | undefined;

/**
 * A locator for the JSON string at `scalarPath`: the string is parsed once, on the first lookup,
 * however many problems are placed in it. Lookups answer undefined when the text cannot be mapped.
 */
export function jsonScalarLocator(doc: ParsedDoc, scalarPath: Path): JsonScalarLocator {
  let inner: { offsets: NonNullable<ReturnType<typeof jsonOffsets>>; map: OffsetMap } | null | undefined;
  return (jsonPath, target = 'pair') => {
    if (inner === undefined) {
      const m = scalarMap(doc, scalarPath);
      const offsets = m ? offsetsByText.getOrCreate(m.value, jsonOffsets) : undefined;
      inner = m && offsets ? { offsets, map: m.map } : null;
    }
    const at = inner?.offsets(jsonPath, target);
    if (!inner || !at || at[1] <= at[0]) return undefined;
    return doc.lines.range(inner.map(at[0]), inner.map(at[1] - 1) + 1);
  };
}

/** The document range of `jsonPath` inside the JSON string at `scalarPath`, or undefined. */
export function rangeInJsonScalar(doc: ParsedDoc, scalarPath: Path, jsonPath: Path, target: Target = 'pair'): Range | undefined {
  return jsonScalarLocator(doc, scalarPath)(jsonPath, target);
}
