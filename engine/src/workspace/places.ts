import type { Fix, Range } from '../diagnostics';
import { shiftRange } from '../diagnostics';
import type { Path, Target } from '../model/locate';
import { parseDoc, type ParsedDoc } from '../model/parse';
import type { IndexedResource, WorkspaceIndex } from './index';

/** A place in a resource of the index. */
export interface ResourcePlace {
  at: IndexedResource;
  path: Path;
  target?: Target;
}

/** Bounded LRU map (insertion order = recency). */
export class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string, make: () => V): V {
    let v = this.map.get(key);
    if (v === undefined) {
      v = make();
      if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value as string);
    } else this.map.delete(key);
    this.map.set(key, v);
    return v;
  }
}

/**
 * Turns (resource, path) places into ranges. The index keeps no syntax trees; documents are
 * re-parsed on demand, and ranges are cached by (document text, path), so an edit elsewhere
 * re-parses nothing.
 */
export class PlaceResolver {
  private readonly reparse = new Lru<ParsedDoc>(256);
  private readonly ranges = new Lru<Range>(50_000);
  private readonly fixes = new Lru<Fix[]>(10_000);

  doc(text: string): ParsedDoc {
    return this.reparse.get(text, () => parseDoc(text));
  }

  /** Document-relative range. */
  localRange(text: string, path: Path, target: Target = 'value'): Range {
    return this.ranges.get(`${target}\u0000${JSON.stringify(path)}\u0000${text}`, () => this.doc(text).rangeOf(path, target));
  }

  /** File-absolute range of a place. */
  range(place: ResourcePlace): Range {
    return shiftRange(this.localRange(place.at.text, place.path, place.target), place.at.startLine);
  }

  /** Document-relative fixes, computed once per (key, document text). */
  localFixes(key: string, text: string, make: (doc: ParsedDoc) => Fix[]): Fix[] {
    return this.fixes.get(`${key}\u0000${text}`, () => make(this.doc(text)));
  }
}

/** The resource if its document is unchanged since a result mentioning it was computed (positions follow it). */
export function currentEntry(index: WorkspaceIndex, at: IndexedResource): IndexedResource | undefined {
  return index.isLive(at) ? at : undefined;
}
