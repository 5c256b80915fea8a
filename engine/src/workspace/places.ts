import { parseForAnalysis } from '../analyze';
import type { Fix, Range } from '../diagnostics';
import { shiftRange } from '../diagnostics';
import type { AnalysisCache } from '../model/analysisCache';
import type { DocumentEntry } from '../model/fileModel';
import type { Path, Target } from '../model/locate';
import type { ParsedDoc } from '../model/parse';
import type { IndexedResource } from './index';

/** A place in a resource of the index. */
export interface ResourcePlace {
  at: IndexedResource;
  path: Path;
  target?: Target;
}

/**
 * Turns (resource, path) places into ranges. The index keeps no syntax trees: a document is
 * re-parsed on demand (a small LRU of the last ones; the parse analysis just made is reused), and ranges are cached per document entry,
 * so an edit elsewhere re-parses nothing and no cache is keyed by document text.
 */
export class PlaceResolver {
  private readonly parsed = new Map<DocumentEntry, ParsedDoc>();
  private readonly ranges = new WeakMap<DocumentEntry, Map<string, Range>>();

  constructor(
    /** Where analysis left its latest parses (reused before parsing again). */
    private readonly analyses?: AnalysisCache,
    private readonly maxParsed = 64,
  ) {}

  /** The parsed document of an entry, read as analyzeDocument reads it (a Helm template masked); re-parsed when not among the last few. */
  doc(entry: DocumentEntry): ParsedDoc {
    let doc = this.parsed.get(entry);
    if (doc) this.parsed.delete(entry);
    else {
      doc = this.analyses?.parseOf(entry.segment.text) ?? parseForAnalysis(entry.segment.text);
      if (this.parsed.size >= this.maxParsed) this.parsed.delete(this.parsed.keys().next().value as DocumentEntry);
    }
    this.parsed.set(entry, doc);
    return doc;
  }

  /** Document-relative range of a path in an entry's document. */
  localRange(entry: DocumentEntry, path: Path, target: Target = 'value'): Range {
    let map = this.ranges.get(entry);
    if (!map) {
      map = new Map();
      this.ranges.set(entry, map);
    }
    const key = `${target}${JSON.stringify(path)}`;
    let r = map.get(key);
    if (!r) {
      r = this.doc(entry).rangeOf(path, target);
      map.set(key, r);
    }
    return r;
  }

  /** File-absolute range of a place. */
  range(place: ResourcePlace): Range {
    return shiftRange(this.localRange(place.at.entryRef, place.path, place.target), place.at.startLine);
  }

  /** Document-relative fixes of an entry's document. */
  fixes(entry: DocumentEntry, make: (doc: ParsedDoc) => Fix[]): Fix[] {
    return make(this.doc(entry));
  }
}
