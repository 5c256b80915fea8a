import type { DocAnalysis } from '../analyze';
import type { ParsedDoc } from './parse';

/**
 * The engine's one cache of per-document results, keyed by the document's exact text
 * (analysis is pure, so equal text means equal result). Bounded LRU; shared by every file
 * of a session so that moving or duplicating a document costs nothing.
 */
export class AnalysisCache {
  private readonly map = new Map<string, DocAnalysis>();
  /**
   * The parses behind the last few analyses, by the same text: a finding placed after analysis
   * (cross-resource rules, navigation) reuses the parse instead of reading a large document again.
   */
  private readonly parses = new Map<string, ParsedDoc>();

  constructor(
    private readonly maxEntries = 20_000,
    private readonly maxParses = 8,
  ) {}

  /** The parse of a document analysed lately (see `rememberParse`), if still kept. */
  parseOf(text: string): ParsedDoc | undefined {
    return this.parses.get(text);
  }

  rememberParse(text: string, doc: ParsedDoc): void {
    this.parses.delete(text);
    this.parses.set(text, doc);
    if (this.parses.size > this.maxParses) this.parses.delete(this.parses.keys().next().value as string);
  }

  get(text: string): DocAnalysis | undefined {
    const hit = this.map.get(text);
    if (hit !== undefined) {
      this.map.delete(text);
      this.map.set(text, hit);
    }
    return hit;
  }

  set(text: string, value: DocAnalysis): void {
    this.map.set(text, value);
    if (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
  }

  delete(text: string): void {
    this.map.delete(text);
  }

  clear(): void {
    this.map.clear();
    this.parses.clear();
  }

  get size(): number {
    return this.map.size;
  }
}
