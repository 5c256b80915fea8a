import type { Range } from './diagnostics';
import type { FileModel } from './model/fileModel';
import { shiftRange } from './diagnostics';
import { isIstioDocument } from './model/resource';

/** One Istio document in a file, for outlines and workspace symbols. */
export interface OutlineItem {
  kind: string;
  apiVersion: string;
  name: string;
  namespace?: string;
  /** The whole document. */
  range: Range;
  /** metadata.name (or the document start). */
  selectionRange: Range;
}

export function outline(model: FileModel): OutlineItem[] {
  const items: OutlineItem[] = [];
  const docs = model.documents;
  docs.forEach((entry, i) => {
    const r = entry.analysis.resource;
    if (!isIstioDocument(r)) return;
    const start = entry.segment.startLine;
    const endLine = i + 1 < docs.length ? docs[i + 1].segment.startLine : start + entry.segment.text.split('\n').length - 1;
    const range: Range = { start: { line: start, character: 0 }, end: { line: Math.max(start, endLine), character: 0 } };
    const sel = entry.analysis.nameRange ? shiftRange(entry.analysis.nameRange, start) : { start: range.start, end: range.start };
    items.push({ kind: r.kind || '(no kind)', apiVersion: r.apiVersion, name: r.name ?? '(unnamed)', namespace: r.namespace, range, selectionRange: sel });
  });
  return items;
}
