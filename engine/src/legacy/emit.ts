/**
 * Renders generated documents with the yaml Document API, formatted like the input document:
 * its indentation width, whether block sequences are indented under their key, and its quote style.
 */
import { Document, isMap, isPair, isScalar, isSeq, Scalar, visit, type Node, type Pair, type ToStringOptions } from 'yaml';
import type { Path } from '../model/locate';
import type { ParsedDoc } from '../model/parse';
import type { GeneratedDoc } from './convert/types';

export interface OutputStyle {
  indent: number;
  indentSeq: boolean;
  stringType: 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE';
  singleQuote: boolean;
}

export const DEFAULT_STYLE: OutputStyle = { indent: 2, indentSeq: true, stringType: 'PLAIN', singleQuote: false };

const KEY_LINE = /^( *)[^\s#-][^:#]*:\s*(#.*)?$/;
const SEQ_LINE = /^( *)- /;

/** Smallest positive indentation of a mapping key: the input's indentation step. */
function indentOf(lines: string[]): number | undefined {
  let min: number | undefined;
  for (const l of lines) {
    const m = /^( +)[^\s#-]/.exec(l);
    if (m && (min === undefined || m[1].length < min)) min = m[1].length;
  }
  return min;
}

/** True when a `- ` item under a `key:` line is indented deeper than the key. */
function indentSeqOf(lines: string[]): boolean | undefined {
  for (let i = 1; i < lines.length; i++) {
    const seq = SEQ_LINE.exec(lines[i]);
    const key = KEY_LINE.exec(lines[i - 1]);
    if (seq && key) return seq[1].length > key[1].length;
  }
  return undefined;
}

/** The input's quoting of string values (keys and the apiVersion/kind pair included). */
function quotingOf(yaml: Document): Pick<OutputStyle, 'stringType' | 'singleQuote'> {
  const counts = { PLAIN: 0, QUOTE_DOUBLE: 0, QUOTE_SINGLE: 0 };
  visit(yaml, {
    Pair(_k, pair: Pair) {
      const v = pair.value as Node | null;
      if (isScalar(v) && typeof v.value === 'string' && v.type && v.type in counts) counts[v.type as keyof typeof counts]++;
    },
  });
  const singleQuote = counts.QUOTE_SINGLE > counts.QUOTE_DOUBLE;
  const quoted = counts.QUOTE_DOUBLE + counts.QUOTE_SINGLE;
  const stringType = quoted > counts.PLAIN ? (singleQuote ? 'QUOTE_SINGLE' : 'QUOTE_DOUBLE') : 'PLAIN';
  return { stringType, singleQuote };
}

export function detectStyle(text: string, yaml: Document | undefined): OutputStyle {
  const lines = text.split(/\r?\n/);
  return {
    indent: indentOf(lines) ?? DEFAULT_STYLE.indent,
    indentSeq: indentSeqOf(lines) ?? DEFAULT_STYLE.indentSeq,
    ...(yaml ? quotingOf(yaml) : { stringType: DEFAULT_STYLE.stringType, singleQuote: DEFAULT_STYLE.singleQuote }),
  };
}

/** The pair at `path` (map keys, and list indices on the way), its key turned into a Scalar so it can carry a comment. */
function keyScalarAt(doc: Document, path: Path): Scalar | undefined {
  let node: unknown = doc.contents;
  let pair: Pair | undefined;
  for (const step of path) {
    if (typeof step === 'number') {
      node = isSeq(node) ? node.items[step] : undefined;
      continue;
    }
    if (!isMap(node)) return undefined;
    pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? p.key.value : p.key) === step) as Pair | undefined;
    if (!pair) return undefined;
    node = pair.value;
  }
  if (!pair) return undefined;
  if (!isScalar(pair.key)) pair.key = new Scalar(pair.key);
  return pair.key as Scalar;
}

function addComment(target: Scalar, text: string): void {
  target.commentBefore = target.commentBefore ? `${target.commentBefore}\n${text}` : text;
}

export function renderDoc(gen: GeneratedDoc, style: OutputStyle): string {
  const doc = new Document(gen.object, { aliasDuplicateObjects: false });
  const first = keyScalarAt(doc, ['apiVersion']);
  if (first && gen.header.length > 0) addComment(first, gen.header.join('\n'));
  const seen = new Set<string>();
  for (const c of gen.comments) {
    const id = `${c.path.join('\0')}\0${c.text}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const key = keyScalarAt(doc, c.path);
    if (key) addComment(key, c.text);
  }
  const options: ToStringOptions = {
    indent: style.indent,
    indentSeq: style.indentSeq,
    defaultStringType: style.stringType,
    defaultKeyType: 'PLAIN',
    singleQuote: style.singleQuote,
    lineWidth: 0,
  };
  return doc.toString(options);
}

/** Generated documents in the style of the document they replace, separated by `---`. */
export function renderDocs(docs: readonly GeneratedDoc[], source: ParsedDoc): string {
  const style = detectStyle(source.text, source.yaml);
  return docs.map((d) => renderDoc(d, style)).join('---\n');
}

/** A segment cut into its `---` line, leading comments, body and trailing comments. */
export interface SegmentParts {
  marker: string;
  lead: string;
  trail: string;
}

const COMMENT_OR_BLANK = /^[ \t]*(#.*)?\r?\n?$/;

export function partsOf(text: string): SegmentParts {
  const lines = text.split(/(?<=\n)/);
  let i = 0;
  let marker = '';
  if (lines[0]?.startsWith('---')) marker = lines[i++];
  const leadStart = i;
  while (i < lines.length && COMMENT_OR_BLANK.test(lines[i])) i++;
  const lead = lines.slice(leadStart, i).join('');
  let j = lines.length;
  while (j > i && COMMENT_OR_BLANK.test(lines[j - 1])) j--;
  let trail = lines.slice(j).join('');
  if (trail !== '' && !trail.endsWith('\n')) trail += '\n';
  return { marker, lead, trail };
}

/** A segment whose body (between its leading and trailing comments) is replaced by `generated`. */
export function replaceBody(segmentText: string, generated: string, extraLead = ''): string {
  const p = partsOf(segmentText);
  return `${p.marker}${extraLead}${p.lead}${generated}${p.trail}`;
}

export function commentLines(lines: string[]): string {
  return lines.map((l) => `#${l}\n`).join('');
}
