import { compareFindings, type Finding, type Fix, type Range, type Severity } from '../diagnostics';
import { shiftFinding, shiftRange } from '../diagnostics';
import type { Path, Target } from '../model/locate';
import { parseDoc, type ParsedDoc } from '../model/parse';
import type { EngineSettings } from '../rules/rule';
import type { IndexedResource, WorkspaceIndex } from './index';

/** A place in a resource of the index. */
export interface ResourcePlace {
  at: IndexedResource;
  path: Path;
  target?: Target;
}

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

/** Bounded LRU map (insertion order = recency). */
class Lru<V> {
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
 * Runs cross-resource rules over the index and returns findings per file (file-absolute
 * positions). Results are cached by index version: an edit that does not change any
 * resource (only positions or comments) costs a re-resolution of ranges, not a re-run.
 */
export class CrossChecker {
  private cachedVersion = -1;
  private raw: RawCrossFinding[] = [];
  private resolvedRevision = -1;
  private resolved = new Map<string, Finding[]>();
  /** Re-parsed documents, to turn paths into ranges (only documents with findings). */
  private readonly reparse = new Lru<ParsedDoc>(256);
  /** Document-relative ranges by (document text, path, target): an edit elsewhere re-parses nothing. */
  private readonly ranges = new Lru<Range>(50_000);
  /** Document-relative quick fixes by (rule, document text, path). */
  private readonly fixes = new Lru<Fix[]>(10_000);

  constructor(
    private readonly rules: readonly CrossRule[],
    private settings: EngineSettings,
  ) {}

  reconfigure(settings: EngineSettings): void {
    this.settings = settings;
    this.cachedVersion = -1;
    this.resolvedRevision = -1;
  }

  private rangeOf(text: string, path: Path, target: Target): Range {
    return this.ranges.get(`${target}\u0000${JSON.stringify(path)}\u0000${text}`, () => this.reparse.get(text, () => parseDoc(text)).rangeOf(path, target));
  }

  findingsByFile(index: WorkspaceIndex): Map<string, Finding[]> {
    if (index.revision === this.resolvedRevision && index.version === this.cachedVersion) return this.resolved;
    if (index.version !== this.cachedVersion) {
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
      const at = current(index, raw.report.at);
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
      range: this.rangeOf(at.text, r.path, r.target ?? 'value'),
      istioCode: r.istioCode,
      fixes: r.fixes && this.fixes.get(`${raw.code}\u0000${JSON.stringify(r.path)}\u0000${at.text}`, () => r.fixes!(this.reparse.get(at.text, () => parseDoc(at.text)))),
      related: r.related?.flatMap((rel) => {
        const other = current(index, rel.at);
        if (!other) return [];
        const range = this.rangeOf(other.text, rel.path, rel.target ?? 'value');
        return [{ file: other.file, range: shiftRange(range, other.startLine), message: rel.message }];
      }),
    };
    // Related locations carry their own file and are already absolute: shiftFinding leaves them.
    return shiftFinding(finding, at.startLine);
  }
}

/** The entry currently at the same place (positions may have moved since the rules ran). */
function current(index: WorkspaceIndex, at: IndexedResource): IndexedResource | undefined {
  return index.ofFile(at.file).find((r) => r.docIndex === at.docIndex && r.text === at.text) ?? index.ofFile(at.file).find((r) => r.text === at.text);
}
