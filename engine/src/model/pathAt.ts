/** YAML node ↔ path lookups over a parsed document's AST (offsets are the document's). */
import { isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { Path } from './locate';

/** One entry of a collection: a mapping pair (with its key) or a sequence item. */
export interface NodeEntry {
  path: Path;
  key?: Node;
  value: Node | null;
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** Every mapping pair and sequence item of the document, depth first, parents before children. */
export function* entries(doc: Document): Generator<NodeEntry> {
  function* walk(node: Node | null | undefined, path: Path, depth: number): Generator<NodeEntry> {
    if (depth > 200) return;
    if (isMap(node)) {
      for (const p of node.items as Array<Pair<Node, Node | null>>) {
        if (!isPair(p)) continue;
        const child = [...path, keyText(p.key)];
        yield { path: child, key: p.key ?? undefined, value: p.value };
        yield* walk(p.value, child, depth + 1);
      }
    } else if (isSeq(node)) {
      const items = node.items as Array<Node | null>;
      for (let i = 0; i < items.length; i++) {
        const child = [...path, i];
        yield { path: child, value: items[i] };
        yield* walk(items[i], child, depth + 1);
      }
    }
  }
  yield* walk(doc.contents as Node | null, [], 0);
}

/** The deepest key or value containing an offset: its path, and whether the offset is on the key. */
export function pathAt(doc: Document, offset: number): { path: Path; onKey: boolean } {
  let best: { path: Path; onKey: boolean } = { path: [], onKey: false };
  for (const e of entries(doc)) {
    const k = e.key?.range;
    if (k && offset >= k[0] && offset < Math.max(k[1], k[0] + 1)) best = { path: e.path, onKey: true };
    const v = e.value?.range;
    if (v && offset >= v[0] && offset < Math.max(v[1], v[0] + 1)) best = { path: e.path, onKey: false };
  }
  return best;
}

/** The value node at a path, when every step exists. */
export function nodeAtPath(doc: Document, path: Path): Node | null | undefined {
  let node: Node | null | undefined = doc.contents as Node | null;
  for (const step of path) {
    if (isMap(node)) {
      const pair = (node.items as Pair[]).find((p) => isPair(p) && keyText(p.key) === String(step)) as Pair<Node, Node | null> | undefined;
      if (!pair) return undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      node = node.items[step] as Node | null | undefined;
      if (node === undefined) return undefined;
    } else {
      return undefined;
    }
  }
  return node;
}
