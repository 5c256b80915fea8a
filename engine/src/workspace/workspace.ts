import { AnalysisCache } from '../model/analysisCache';
import { FileModel, MAX_FILE_BYTES, type UpdateStats } from '../model/fileModel';
import { isBlankSegment, splitDocuments } from '../model/split';
import type { AnalysisPool } from '../parallel/pool';
import { detached } from '../text/detached';
import { DEFAULT_SETTINGS, type EngineSettings } from '../rules/rule';
import { CrossChecker } from './crossCheck';
import { WorkspaceIndex } from './index';
import { Navigator } from './references';
import { CROSS_RULES } from './rules';

/**
 * A set of YAML files seen together: the editor's workspace (open documents over files on disk)
 * or the paths given to the CLI. Each file is a FileModel (documents analysed independently,
 * cached by content); the index holds every resource; cross-resource rules and navigation are
 * derived from the index incrementally. Settings are fixed for its lifetime (reconfiguring makes
 * a new Workspace).
 */
export class Workspace {
  private readonly cache = new AnalysisCache();
  private readonly models = new Map<string, FileModel>();
  readonly index: WorkspaceIndex;
  readonly cross: CrossChecker;
  readonly navigator: Navigator;

  constructor(readonly settings: EngineSettings = DEFAULT_SETTINGS) {
    this.index = new WorkspaceIndex(settings);
    this.cross = new CrossChecker(this.index, CROSS_RULES, settings, this.cache);
    this.navigator = new Navigator(this.index, settings, this.cache);
  }

  /** Analyses a file's whole new text. */
  update(file: string, text: string): UpdateStats {
    let model = this.models.get(file);
    if (!model) {
      model = new FileModel(this.cache, this.settings);
      this.models.set(file, model);
    }
    const stats = model.update(text);
    this.index.setFile(file, model);
    return stats;
  }

  /** Applies one edit to an already loaded file (see FileModel.applyEdit). */
  applyEdit(file: string, start: number, end: number, newText: string, text: string): UpdateStats {
    const model = this.models.get(file);
    if (!model) return this.update(file, text);
    const stats = model.applyEdit(start, end, newText, text);
    if (stats.splice) this.index.spliceFile(file, model, stats.splice);
    else this.index.setFile(file, model);
    return stats;
  }

  /**
   * Analyses, on the pool's worker threads, the documents of `texts` that are not cached yet, so
   * that the next `update` of those texts only looks them up. Below `minDocuments` missing
   * documents it does nothing (starting workers costs more). Returns how many were analysed.
   */
  async prefetch(texts: readonly string[], pool: AnalysisPool, minDocuments = 200): Promise<number> {
    const missing = new Set<string>();
    for (const text of texts) {
      if (text.length > MAX_FILE_BYTES) continue;
      for (const seg of splitDocuments(text)) if (!this.cache.get(seg.text) && !isBlankSegment(seg.text)) missing.add(seg.text);
    }
    if (missing.size < minDocuments) return 0;
    const list = [...missing];
    const results = await pool.analyze(list, this.settings);
    list.forEach((t, i) => this.cache.set(detached(t), results[i]));
    return list.length;
  }

  model(file: string): FileModel | undefined {
    return this.models.get(file);
  }

  remove(file: string): void {
    this.models.delete(file);
    this.index.removeFile(file);
  }

  files(): string[] {
    return [...this.models.keys()];
  }

  dispose(): void {
    this.cross.dispose();
    this.navigator.dispose();
  }
}
