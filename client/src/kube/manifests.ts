/**
 * The resources a file (or a selection of it) would apply: kind, apiVersion, namespace/name
 * and where each document and its metadata.name are, parsed with the `yaml` package (the
 * client does not import the engine). No `vscode` import.
 */
import { isMap, isScalar, LineCounter, parseAllDocuments, type Document } from 'yaml';

export interface Position {
  line: number;
  character: number;
}

export interface Span {
  start: Position;
  end: Position;
}

export interface ManifestDoc {
  /** The document's index in its file (0-based, counting non-empty documents only). */
  index: number;
  /** The file (URI string or path) the document comes from. */
  source: string;
  apiVersion: string;
  kind: string;
  name: string;
  /** metadata.namespace, if the document sets it. */
  namespace?: string;
  /** The document's own text (without the `---` separators). */
  text: string;
  /** Lines the document spans. */
  span: Span;
  /** The metadata.name value (or the document's first line when there is none). */
  nameRange: Span;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function position(lc: LineCounter, offset: number): Position {
  const p = lc.linePos(offset);
  return { line: p.line - 1, character: p.col - 1 };
}

function nameNodeRange(doc: Document.Parsed): [number, number] | undefined {
  const meta = doc.get('metadata', true);
  if (!isMap(meta)) return undefined;
  const name = meta.get('name', true);
  return isScalar(name) && name.range ? [name.range[0], name.range[1]] : undefined;
}

/** Every non-empty document of a YAML file. Documents that are not objects are skipped. */
export function manifestDocs(source: string, text: string): ManifestDoc[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: ManifestDoc[] = [];
  for (const doc of list) {
    const range = doc.contents?.range;
    if (!range || !isMap(doc.contents)) continue;
    const js = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown> | null;
    if (!js || typeof js !== 'object') continue;
    const meta = (js.metadata && typeof js.metadata === 'object' ? js.metadata : {}) as Record<string, unknown>;
    const [start, end] = [range[0], range[2]];
    const nr = nameNodeRange(doc) ?? [start, start];
    out.push({
      index: out.length,
      source,
      apiVersion: str(js.apiVersion),
      kind: str(js.kind),
      name: str(meta.name),
      namespace: str(meta.namespace) || undefined,
      text: text.slice(start, end),
      span: { start: position(lc, start), end: position(lc, end) },
      nameRange: { start: position(lc, nr[0]), end: position(lc, nr[1]) },
    });
  }
  return out;
}

function overlaps(a: Span, b: Span): boolean {
  const before = (p: Position, q: Position): boolean => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** The documents touched by the selections; all of them when every selection is empty. */
export function selectDocs(docs: ManifestDoc[], selections: Span[]): ManifestDoc[] {
  const real = selections.filter((s) => s.start.line !== s.end.line || s.start.character !== s.end.character);
  if (real.length === 0) return docs;
  return docs.filter((d) => real.some((s) => overlaps(d.span, s)));
}

/** `Kind namespace/name` as the confirmation lists it; the namespace is the one kubectl will use. */
export function describeDoc(d: ManifestDoc, defaultNamespace: string): string {
  return `${d.kind || '(no kind)'} ${d.namespace ?? defaultNamespace}/${d.name || '(no name)'}`;
}

/** The namespaces the documents go to: their own, or the default one for those without. */
export function namespacesOf(docs: ManifestDoc[], defaultNamespace: string): string[] {
  return [...new Set(docs.map((d) => d.namespace ?? defaultNamespace))].sort();
}
