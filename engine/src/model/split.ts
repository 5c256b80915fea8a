/**
 * Splits a multi-document YAML text into documents on `---` markers (a line that starts
 * with `---` followed by white space or the end of the line). The YAML spec forbids such a
 * line inside any scalar, so a line scan is exact and needs no parse.
 */

export interface Segment {
  /** 0-based index of the segment in the file. */
  index: number;
  /** Offset of the segment's first character in the file. */
  startOffset: number;
  /** Line of the segment's first character in the file. */
  startLine: number;
  /** The segment's text, including its leading `---` line if any. */
  text: string;
}

const MARKER = /^---(?:[ \t\r]|$)/;

export function splitDocuments(text: string): Segment[] {
  const segments: Segment[] = [];
  let segStart = 0;
  let segLine = 0;
  let line = 0;
  let pos = 0;
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl === -1 ? text.length : nl;
    if (pos > segStart && text.charCodeAt(pos) === 45 /* - */ && MARKER.test(text.slice(pos, Math.min(lineEnd, pos + 4)))) {
      segments.push({ index: segments.length, startOffset: segStart, startLine: segLine, text: text.slice(segStart, pos) });
      segStart = pos;
      segLine = line;
    }
    if (nl === -1) break;
    pos = nl + 1;
    line++;
  }
  segments.push({ index: segments.length, startOffset: segStart, startLine: segLine, text: text.slice(segStart) });
  return segments;
}

/** True when the segment holds nothing but white space, comments and document markers. */
export function isBlankSegment(text: string): boolean {
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (l === '' || l.startsWith('#') || l === '---' || l === '...') continue;
    if (l.startsWith('---') && /^---\s+#/.test(l)) continue;
    return false;
  }
  return true;
}
