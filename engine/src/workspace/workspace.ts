import type { Finding } from '../diagnostics';
import { compareFindings } from '../diagnostics';
import { AnalysisCache } from '../model/analysisCache';
import { FileModel, MAX_FILE_BYTES } from '../model/fileModel';
import { isBlankSegment, splitDocuments } from '../model/split';
import type { AnalysisPool } from '../parallel/pool';
import { DEFAULT_SETTINGS, type EngineSettings } from '../rules/rule';
import { CrossChecker } from './crossCheck';
import { WorkspaceIndex } from './index';
import { Navigator } from './references';
import { CROSS_RULES } from './rules';

/**
 * A set of YAML files seen together: the editor's workspace (open documents over files on
 * disk) or the paths given to the CLI. Per-document findings come from each FileModel;
 * cross-resource findings from the index of every file.
 */
export class Workspace {
  private cache = new AnalysisCache();
  private readonly models = new Map<string, FileModel>();
  private index: WorkspaceIndex;
  private readonly cross: CrossChecker;
  /** Definition, references and reference counts. */
  readonly navigator: Navigator;

  constructor(private settings: EngineSettings = DEFAULT_SETTINGS) {
    this.index = new WorkspaceIndex(settings);
    this.cross = new CrossChecker(CROSS_RULES, settings);
    this.navigator = new Navigator(settings);
  }

  /** Analyses a file's new text; returns its model. */
  update(file: string, text: string): FileModel {
    let model = this.models.get(file);
    if (!model) {
      model = new FileModel(this.cache, this.settings);
      this.models.set(file, model);
    }
    model.update(text);
    this.index.setFile(file, model);
    return model;
  }

  /** Applies one edit to an already loaded file (see FileModel.applyEdit). */
  applyEdit(file: string, start: number, end: number, newText: string, text: string): FileModel {
    const model = this.models.get(file);
    if (!model) return this.update(file, text);
    const { splice } = model.applyEdit(start, end, newText, text);
    if (splice) this.index.spliceFile(file, model, splice);
    else this.index.setFile(file, model);
    return model;
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
    list.forEach((t, i) => this.cache.set(t, results[i]));
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

  get resources(): WorkspaceIndex {
    return this.index;
  }

  /** Cross-resource findings of every file (cached by index version; see CrossChecker for `allowStale`). */
  crossFindings(allowStale = false): Map<string, Finding[]> {
    return this.cross.findingsByFile(this.index, allowStale);
  }

  /** True when resources changed since cross-resource rules last ran. */
  get crossStale(): boolean {
    return this.cross.isStale(this.index);
  }

  /** Everything to report for one file: its documents' findings, then cross-resource ones. */
  findings(file: string, opts: { allowStaleCross?: boolean } = {}): Finding[] {
    const model = this.models.get(file);
    if (!model) return [];
    const own = model.findings();
    if (!model.isIstioFile) return own;
    const cross = this.crossFindings(opts.allowStaleCross).get(file) ?? [];
    return cross.length ? [...own, ...cross].sort(compareFindings) : own;
  }

  reconfigure(settings: EngineSettings): void {
    this.settings = settings;
    this.cache = new AnalysisCache();
    const texts = [...this.models].map(([file, m]) => [file, m.documents.map((d) => d.segment.text).join('')] as const);
    this.models.clear();
    this.index = new WorkspaceIndex(settings);
    this.cross.reconfigure(settings);
    this.navigator.reconfigure(settings);
    for (const [file, text] of texts) this.update(file, text);
  }
}
