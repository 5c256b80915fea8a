import { compareFindings, shiftFinding, type Finding, type Fix, type Severity } from '../diagnostics';
import type { ParsedDoc } from '../model/parse';
import type { EngineSettings } from '../rules/rule';
import type { IndexedResource, WorkspaceIndex } from './index';
import { currentEntry, PlaceResolver, type ResourcePlace } from './places';

export type { ResourcePlace } from './places';

export interface CrossReport extends ResourcePlace {
  message: string;
  severity?: Severity;
  istioCode?: string;
  /** The other resource(s) involved: become LSP relatedInformation. */
  related?: Array<ResourcePlace & { message: string }>;
  fixes?: (doc: ParsedDoc) => Fix[];
}

export interface CrossContext {
  index: WorkspaceIndex;
  settings: EngineSettings;
  report(r: CrossReport): void;
}

/** A cross-resource rule: data first, then a check over the whole index. */
export interface CrossRule {
  code: string;
  severity: Severity;
  summary: string;
  source?: string;
  check(ctx: CrossContext): void;
}

interface RawCrossFinding {
  code: string;
  severity: Severity;
  report: CrossReport;
}

/**
 * Runs cross-resource rules over the index and returns findings per file (file-absolute
 * positions). Results are cached by index version: an edit that does not change any
 * resource (only positions or comments) costs a re-resolution of ranges, not a re-run.
 */
export class CrossChecker {
  private cachedVersion = -1;
  private raw: RawCrossFinding[] = [];
  private resolvedRevision = -1;
  private resolved = new Map<string, Finding[]>();
  private readonly places = new PlaceResolver();

  constructor(
    private readonly rules: readonly CrossRule[],
    private settings: EngineSettings,
  ) {}

  reconfigure(settings: EngineSettings): void {
    this.settings = settings;
    this.cachedVersion = -1;
    this.resolvedRevision = -1;
  }

  /** True when resources changed since the rules last ran. */
  isStale(index: WorkspaceIndex): boolean {
    return index.version !== this.cachedVersion;
  }

  /**
   * Findings per file. With `allowStale`, the rules are not re-run after a change: the last
   * results are re-placed (findings on edited documents drop out) — the fast answer for a
   * keystroke, completed by a later call without it.
   */
  findingsByFile(index: WorkspaceIndex, allowStale = false): Map<string, Finding[]> {
    if (index.revision === this.resolvedRevision && (allowStale || index.version === this.cachedVersion)) return this.resolved;
    if (index.version !== this.cachedVersion && !allowStale) {
      this.raw = [];
      for (const rule of this.rules) {
        const ctx: CrossContext = {
          index,
          settings: this.settings,
          report: (report) => this.raw.push({ code: rule.code, severity: report.severity ?? rule.severity, report }),
        };
        try {
          rule.check(ctx);
        } catch {
          // A failing cross rule must not take the others down; per-document checks still run.
        }
      }
      this.cachedVersion = index.version;
    }
    const out = new Map<string, Finding[]>();
    for (const raw of this.raw) {
      const at = currentEntry(index, raw.report.at);
      if (!at) continue;
      const f = this.resolve(raw, at, index);
      const list = out.get(at.file) ?? [];
      list.push(f);
      out.set(at.file, list);
    }
    for (const list of out.values()) list.sort(compareFindings);
    this.resolved = out;
    this.resolvedRevision = index.revision;
    return out;
  }

  private resolve(raw: RawCrossFinding, at: IndexedResource, index: WorkspaceIndex): Finding {
    const r = raw.report;
    const finding: Finding = {
      code: raw.code,
      severity: raw.severity,
      message: r.message,
      range: this.places.localRange(at.text, r.path, r.target),
      istioCode: r.istioCode,
      fixes: r.fixes && this.places.localFixes(`${raw.code}\u0000${JSON.stringify(r.path)}`, at.text, r.fixes),
      related: r.related?.flatMap((rel) => {
        const other = currentEntry(index, rel.at);
        if (!other) return [];
        return [{ file: other.file, range: this.places.range({ ...rel, at: other }), message: rel.message }];
      }),
    };
    // Related locations carry their own file and are already absolute: shiftFinding leaves them.
    return shiftFinding(finding, at.startLine);
  }
}
