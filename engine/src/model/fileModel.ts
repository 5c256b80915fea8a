import { analyzeDocument, type DocAnalysis } from '../analyze';
import { compareFindings, shiftFinding, type Finding } from '../diagnostics';
import { DEFAULT_SETTINGS, type EngineSettings } from '../rules/rule';
import { AnalysisCache } from './analysisCache';
import { isBlankSegment, splitDocuments, type Segment } from './split';

export interface DocumentEntry {
  segment: Segment;
  analysis: DocAnalysis;
}

export interface UpdateStats {
  documents: number;
  /** Documents analysed by this update (the rest came from the cache). */
  analyzed: number;
}

/** Files larger than this are not validated (a single finding says so). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

const ISTIO_API_VERSION = /^[ \t]*["']?apiVersion["']?[ \t]*:[ \t]*["']?[A-Za-z0-9.-]*istio\.io\//m;

const EMPTY: DocAnalysis = { findings: [] };

/**
 * One YAML file as a list of independently analysed documents. `update` re-splits the text
 * (a line scan) and analyses only documents whose text is not in the cache, so an edit costs
 * one document's parse and validation, whatever the file's size.
 */
export class FileModel {
  private entries: DocumentEntry[] = [];
  private oversize: Finding | undefined;
  private istioFile = false;

  constructor(
    private readonly cache: AnalysisCache = new AnalysisCache(),
    private readonly settings: EngineSettings = DEFAULT_SETTINGS,
  ) {}

  update(text: string): UpdateStats {
    if (text.length > MAX_FILE_BYTES) {
      this.entries = [];
      this.oversize = {
        code: 'file-too-large',
        severity: 'warning',
        message: `This file has ${text.length} characters, more than the ${MAX_FILE_BYTES} the validator reads; it was not validated.`,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      };
      return { documents: 0, analyzed: 0 };
    }
    this.oversize = undefined;
    let analyzed = 0;
    this.entries = splitDocuments(text).map((segment) => {
      if (isBlankSegment(segment.text)) return { segment, analysis: EMPTY };
      let analysis = this.cache.get(segment.text);
      if (!analysis) {
        analysis = analyzeDocument(segment.text, this.settings);
        this.cache.set(segment.text, analysis);
        analyzed++;
      }
      return { segment, analysis };
    });
    this.istioFile = this.entries.some((e) => e.analysis.resource !== undefined) || ISTIO_API_VERSION.test(text);
    return { documents: this.entries.length, analyzed };
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
