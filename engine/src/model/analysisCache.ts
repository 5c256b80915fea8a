import type { DocAnalysis } from '../analyze';

/**
 * The engine's one cache of per-document results, keyed by the document's exact text
 * (analysis is pure, so equal text means equal result). Bounded LRU; shared by every file
 * of a session so that moving or duplicating a document costs nothing.
 */
export class AnalysisCache {
  private readonly map = new Map<string, DocAnalysis>();

  constructor(private readonly maxEntries = 20_000) {}

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
  }

  get size(): number {
    return this.map.size;
  }
}
