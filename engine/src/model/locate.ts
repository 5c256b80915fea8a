import { isAlias, isMap, isSeq, type Document, type Node, type Pair } from 'yaml';
import { findEntry } from './goYaml';

/** A path into a document: map keys and sequence indexes, e.g. ['spec', 'rules', 0, 'from']. */
export type Path = ReadonlyArray<string | number>;

/** Which part of a path's location a diagnostic should cover. */
export type Target = 'key' | 'value' | 'pair';

export interface Located {
  /** How many path elements were resolved; less than path.length when the path is missing. */
  depth: number;
  pair?: Pair<Node, Node | null>;
  node?: Node | null;
}

/** The node an alias stands for (aliases are followed so paths reach anchored and merged content). */
function deref(doc: Document, node: Node | null | undefined): Node | null | undefined {
  return isAlias(node) ? (node.resolve(doc) as Node | undefined) : node;
}

/**
 * Walks the path as far as it exists. Keys are matched as Kubernetes names them (YAML 1.1:
 * `yes:` is "true"), aliases are followed and merge keys (`<<`) supply keys a mapping lacks, so a
 * path into the data Kubernetes reads reaches the text that wrote it.
 */
export function locate(doc: Document, path: Path): Located {
  let node: Node | null | undefined = doc.contents as Node | null;
  let pair: Pair<Node, Node | null> | undefined;
  let depth = 0;
  for (const step of path) {
    const here = deref(doc, node);
    if (typeof step === 'number' && isSeq(here)) {
      const item = here.items[step] as Node | undefined;
      if (item === undefined) break;
      node = item;
      pair = undefined;
    } else if (isMap(here)) {
      const found = findEntry(doc, here, String(step));
      if (!found) break;
      pair = { key: found.key, value: found.value } as Pair<Node, Node | null>;
      node = found.value;
    } else {
      break;
    }
    depth++;
  }
  return { depth, pair, node };
}

/** [start, end) offsets of the located part, falling back to the nearest existing ancestor. */
export function offsetsOf(doc: Document, path: Path, target: Target = 'value'): [number, number] {
  let loc = locate(doc, path);
  let t: Target = target;
  if (loc.depth < path.length) {
    // Missing path: point at the key of the deepest existing ancestor map entry.
    const parentPath = path.slice(0, loc.depth);
    loc = locate(doc, parentPath);
    t = 'key';
  }
  const key = loc.pair?.key as Node | undefined;
  const value = loc.node ?? undefined;
  if (t === 'key' && key?.range) return [key.range[0], key.range[1]];
  if (t === 'pair' && key?.range) {
    const end = value?.range ? value.range[1] : key.range[1];
    return [key.range[0], end];
  }
  if (value?.range) return [value.range[0], value.range[1]];
  if (key?.range) return [key.range[0], key.range[1]];
  const root = doc.contents as Node | null;
  if (root?.range) return [root.range[0], Math.min(root.range[1], root.range[0] + 1)];
  return [0, 0];
}
