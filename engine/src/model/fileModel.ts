import { analyzeAndParse, type DocAnalysis } from '../analyze';
import { compareFindings, shiftFinding, type Finding } from '../diagnostics';
import { DEFAULT_SETTINGS, type EngineSettings } from '../rules/rule';
import { addTemplate, NO_TEMPLATES, type TemplateTotals } from '../templates/notice';
import { detached } from '../text/detached';
import { AnalysisCache } from './analysisCache';
import { isIstioDocument } from './resource';
import { isBlankSegment, splitDocuments, type Segment } from './split';

export interface DocumentEntry {
  segment: Segment;
  analysis: DocAnalysis;
}

/** The documents one incremental edit replaced: `removed` (old entries) became `added` at index `at`. */
export interface EntrySplice {
  at: number;
  removed: readonly DocumentEntry[];
  added: readonly DocumentEntry[];
}

export interface UpdateStats {
  documents: number;
  /** Documents analysed by this update (the rest came from the cache). */
  analyzed: number;
  /** True when an edit re-split only the documents around it (applyEdit), false for a whole-text update. */
  incremental: boolean;
  /** Set when incremental: which entries the edit replaced (every other entry is the same object). */
  splice?: EntrySplice;
  /** Whether lines of the file may have moved: always for a whole-text update; for an edit, when it changed the line count. */
  linesMoved: boolean;
}

/** Files larger than this are not validated (a single finding says so). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

const ISTIO_API_VERSION = /^[ \t]*["']?apiVersion["']?[ \t]*:[ \t]*["']?(?:[A-Za-z0-9.-]*istio\.io|gateway\.networking\.k8s\.io)\//m;

const EMPTY: DocAnalysis = { findings: [] };

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * One YAML file as a list of independently analysed documents. `update` re-splits the text
 * (a line scan) and analyses only documents whose text is not in the cache, so an edit costs
 * one document's parse and validation, whatever the file's size.
 */
export class FileModel {
  private entries: DocumentEntry[] = [];
  private oversize: Finding | undefined;
  private istioFile = false;
  /** The Helm template documents' summaries, summed (kept per edit from the replaced documents). */
  private templates: TemplateTotals = NO_TEMPLATES;
  /** The text the entries describe (for incremental edits). */
  private text: string | undefined;
  private last: UpdateStats = { documents: 0, analyzed: 0, incremental: false, linesMoved: true };

  constructor(
    private readonly cache: AnalysisCache = new AnalysisCache(),
    private readonly settings: EngineSettings = DEFAULT_SETTINGS,
  ) {}

  update(text: string): UpdateStats {
    if (text.length > MAX_FILE_BYTES) {
      this.entries = [];
      this.counts = { documents: 0, istio: 0 };
      this.text = undefined;
      this.templates = NO_TEMPLATES;
      this.oversize = {
        code: 'file-too-large',
        severity: 'warning',
        message: `This file has ${text.length} characters, more than the ${MAX_FILE_BYTES} the validator reads; it was not validated.`,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      };
      return (this.last = { documents: 0, analyzed: 0, incremental: false, linesMoved: true });
    }
    this.oversize = undefined;
    const counter = { analyzed: 0 };
    const previous = this.entries;
    this.entries = splitDocuments(text).map((segment) => this.entryFor(segment, counter));
    this.counts = { documents: 0, istio: 0 };
    this.templates = NO_TEMPLATES;
    this.count(this.entries, 1);
    this.forgetSuperseded(previous, this.entries);
    this.text = text;
    this.istioFile = this.entries.some((e) => isIstioDocument(e.analysis.resource)) || ISTIO_API_VERSION.test(text);
    return (this.last = { documents: this.entries.length, analyzed: counter.analyzed, incremental: false, linesMoved: true });
  }

  private counts = { documents: 0, istio: 0 };

  private count(entries: readonly DocumentEntry[], sign: 1 | -1): void {
    for (const e of entries) {
      if (e.analysis !== EMPTY) this.counts.documents += sign;
      if (isIstioDocument(e.analysis.resource)) this.counts.istio += sign;
      if (e.analysis.template) this.templates = addTemplate(this.templates, e.analysis.template, sign);
    }
  }

  /** Non-blank documents of the file. */
  get documentCount(): number {
    return this.counts.documents;
  }

  /** Documents of the file that belong to Istio API groups. */
  get istioDocumentCount(): number {
    return this.counts.istio;
  }

  /** The file's current text (what the entries describe; undefined before the first update or when over the size limit). */
  get currentText(): string | undefined {
    return this.text;
  }

  /** The one finding of a file over the size limit (nothing else is reported for it). */
  get oversizeFinding(): Finding | undefined {
    return this.oversize;
  }

  /** What the Helm template documents of the file left unchecked, summed (NO_TEMPLATES when none is a template). */
  get templateTotals(): TemplateTotals {
    return this.templates;
  }

  /** What the last update or edit did. */
  get lastUpdate(): UpdateStats {
    return this.last;
  }

  private entryFor(segment: Segment, counter: { analyzed: number }): DocumentEntry {
    let analysis = this.cache.get(segment.text);
    if (!analysis) {
      const key = detached(segment.text);
      if (isBlankSegment(key)) analysis = EMPTY;
      else {
        const done = analyzeAndParse(key, this.settings);
        analysis = done.analysis;
        this.cache.rememberParse(key, done.parsed);
        counter.analyzed++;
      }
      this.cache.set(key, analysis);
    }
    return { segment, analysis };
  }

  /**
   * Applies one edit (old offsets [start, end) replaced by `newText`; `text` is the whole new
   * text). Only the documents around the edit are re-split and looked up; the others keep their
   * entries, shifted, so the cost does not grow with the file.
   */
  applyEdit(start: number, end: number, newText: string, text: string): UpdateStats {
    const old = this.text;
    if (old === undefined || this.oversize || text.length > MAX_FILE_BYTES || this.entries.length === 0 || end < start || end > old.length || old.length - (end - start) + newText.length !== text.length) {
      return this.update(text);
    }
    // Touched documents, plus one on each side: an edit can make or unmake a `---` line.
    let first = this.indexAtOffset(start);
    let last = this.indexAtOffset(end);
    first = Math.max(0, first - 1);
    last = Math.min(this.entries.length - 1, last + 1);
    const regionStart = this.entries[first].segment.startOffset;
    const oldRegionEnd = last + 1 < this.entries.length ? this.entries[last + 1].segment.startOffset : old.length;
    const delta = newText.length - (end - start);
    const newRegionEnd = oldRegionEnd + delta;
    const regionText = text.slice(regionStart, newRegionEnd);
    const oldLines = this.entries.slice(first, last + 1).reduce((n, e) => n + countNewlines(e.segment.text), 0);
    const lineDelta = countNewlines(regionText) - oldLines;
    const startLine = this.entries[first].segment.startLine;
    const counter = { analyzed: 0 };
    const replaced = splitDocuments(regionText).map((seg) => {
      // Detached: a slice would keep this version of the whole file alive as long as the document is unchanged.
      const segment: Segment = { index: 0, startOffset: regionStart + seg.startOffset, startLine: startLine + seg.startLine, text: detached(seg.text) };
      return this.entryFor(segment, counter);
    });
    const superseded = this.entries.splice(first, last - first + 1, ...replaced);
    this.forgetSuperseded(superseded, replaced);
    this.count(superseded, -1);
    this.count(replaced, 1);
    for (let i = first + replaced.length; i < this.entries.length; i++) {
      const seg = this.entries[i].segment;
      seg.startOffset += delta;
      seg.startLine += lineDelta;
    }
    for (let i = first; i < this.entries.length; i++) this.entries[i].segment.index = i;
    this.text = text;
    this.istioFile = this.entries.some((e) => isIstioDocument(e.analysis.resource)) || ISTIO_API_VERSION.test(text);
    return (this.last = {
      documents: this.entries.length,
      analyzed: counter.analyzed,
      incremental: true,
      splice: { at: first, removed: superseded, added: replaced },
      linesMoved: lineDelta !== 0,
    });
  }

  /**
   * Drops from the cache the texts of documents an update replaced. Without this every keystroke
   * leaves one analysis (tens of kB) in the cache: 10,000 edits held ~270 MB. An undo re-analyses
   * one document; another file holding the same text keeps its own entry (it only loses reuse).
   */
  private forgetSuperseded(old: readonly DocumentEntry[], current: readonly DocumentEntry[]): void {
    if (old.length === 0) return;
    const kept = new Set(current.map((e) => e.segment.text));
    for (const e of old) if (!kept.has(e.segment.text)) this.cache.delete(e.segment.text);
  }

  /** Index of the document containing an offset (the last one starting at or before it). */
  private indexAtOffset(offset: number): number {
    let lo = 0;
    let hi = this.entries.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.entries[mid].segment.startOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** True when the file holds (or, broken, seems to hold) an Istio document; other YAML files get no findings. */
  get isIstioFile(): boolean {
    return this.istioFile;
  }

  get documents(): readonly DocumentEntry[] {
    return this.entries;
  }

  /** The document that contains a 0-based line. */
  documentAtLine(line: number): DocumentEntry | undefined {
    let lo = 0;
    let hi = this.entries.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.entries[mid].segment.startLine <= line) lo = mid;
      else hi = mid - 1;
    }
    return this.entries[lo];
  }

  /** All findings of the file, with file-absolute positions, sorted. */
  findings(): Finding[] {
    if (this.oversize) return [this.oversize];
    if (!this.istioFile) return [];
    const out: Finding[] = [];
    for (const e of this.entries) {
      for (const f of e.analysis.findings) out.push(shiftFinding(f, e.segment.startLine));
    }
    return out.sort(compareFindings);
  }
}
