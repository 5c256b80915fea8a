import { shiftRange, type Finding, type Fix, type Severity } from '../diagnostics';
import type { ParsedDoc } from '../model/parse';
import type { AnalysisCache } from '../model/analysisCache';
import type { EngineSettings } from '../rules/rule';
import type { Facet, IndexedResource, WorkspaceIndex } from './index';
import { IncrementalQuery, type IndexView } from './incremental';
import { PlaceResolver, type ResourcePlace } from './places';

export type { ResourcePlace } from './places';

const EMPTY_SET: ReadonlySet<IndexedResource> = new Set();

/** One finding of a cross rule on its subject. */
export interface CrossReport {
  path: ResourcePlace['path'];
  target?: ResourcePlace['target'];
  message: string;
  severity?: Severity;
  istioCode?: string;
  /** The other resource(s) involved: become LSP relatedInformation. */
  related?: Array<ResourcePlace & { message: string }>;
  fixes?: (doc: ParsedDoc) => Fix[];
}

export interface CrossContext {
  /** The index, read through a view that records what the rule depends on. */
  index: IndexView;
  settings: EngineSettings;
  /** Reports a finding on the subject. */
  report(r: CrossReport): void;
}

/**
 * A cross-resource rule: data first, then a check of ONE subject resource that reads the rest of
 * the workspace only through `ctx.index`. The checker re-runs it for a subject only when something
 * it read changed, so a keystroke costs the rules its edit affects, not the workspace.
 */
export interface CrossRule {
  code: string;
  severity: Severity;
  summary: string;
  source?: string;
  /** Kinds the rule reports on, as index keys (IndexedResource.key: `VirtualService`, `HTTPRoute.gateway.networking.k8s.io`). */
  subjects: readonly string[];
  /** Facets the rule reads with ctx.index.withFacet. */
  facets?: readonly Facet[];
  check(subject: IndexedResource, ctx: CrossContext): void;
}

interface Reported {
  code: string;
  severity: Severity;
  report: CrossReport;
}

/** Counters of the last refresh: how many (rule, subject) checks ran. */
export interface CrossStats {
  checks: number;
  full: boolean;
}

/**
 * Runs cross-resource rules incrementally over the index (one IncrementalQuery per rule) and
 * gives each resource's findings, document-relative ranges resolved on demand and cached per
 * document entry.
 */
export class CrossChecker {
  private readonly queries: Array<{ rule: CrossRule; query: IncrementalQuery<Reported[]> }>;
  private readonly places: PlaceResolver;
  /** Bumped for a resource whenever its findings (or their positions inside it) may have changed. */
  private readonly revisions = new WeakMap<IndexedResource, number>();
  /** Resources with at least one finding, by file: publication visits only these. */
  private readonly reported = new Map<string, Set<IndexedResource>>();
  /** Resources whose findings have a related location in a file (another than their own), by that file. */
  private readonly relatedInto = new Map<string, Set<IndexedResource>>();
  /** The files a resource's findings point into (the keys of relatedInto it is under). */
  private readonly relatedFilesOf = new WeakMap<IndexedResource, readonly string[]>();
  private tick = 0;
  stats: CrossStats = { checks: 0, full: false };

  constructor(
    index: WorkspaceIndex,
    rules: readonly CrossRule[],
    private readonly settings: EngineSettings,
    analyses?: AnalysisCache,
  ) {
    this.places = new PlaceResolver(analyses);
    this.queries = rules.map((rule) => ({
      rule,
      query: new IncrementalQuery<Reported[]>(index, {
        subjects: rule.subjects,
        facets: rule.facets,
        compute: (subject, view) => this.check(rule, subject, view),
      }),
    }));
  }

  dispose(): void {
    for (const q of this.queries) q.query.dispose();
  }

  private check(rule: CrossRule, subject: IndexedResource, view: IndexView): Reported[] {
    const out: Reported[] = [];
    try {
      rule.check(subject, {
        index: view,
        settings: this.settings,
        report: (report) => out.push({ code: rule.code, severity: report.severity ?? rule.severity, report }),
      });
    } catch {
      // A failing cross rule must not take the others down; per-document checks still run.
    }
    return out;
  }

  /** True when an index change is not reflected yet. */
  get pending(): boolean {
    return this.queries.some((q) => q.query.pending);
  }

  /** Brings every rule up to date; returns the files whose cross findings may have changed. */
  refresh(): Set<string> {
    const files = new Set<string>();
    let checks = 0;
    let full = false;
    this.tick++;
    for (const { query } of this.queries) {
      if (!query.pending) continue;
      const { changed, moved } = query.refresh();
      checks += query.stats.computed;
      full ||= query.stats.full;
      for (const r of [...changed, ...moved]) {
        this.revisions.set(r, this.tick);
        files.add(r.file);
      }
      for (const r of changed) this.noteReported(r);
    }
    this.stats = { checks, full };
    return files;
  }

  /** The files holding a resource whose findings point into `file` (not `file` itself). */
  filesRelatedTo(file: string): Set<string> {
    const out = new Set<string>();
    for (const r of this.relatedInto.get(file) ?? EMPTY_SET) if (r.live) out.add(r.file);
    return out;
  }

  private noteRelated(r: IndexedResource): void {
    const files = new Set<string>();
    if (r.live) {
      for (const { query } of this.queries) {
        for (const raw of query.get(r) ?? []) for (const rel of raw.report.related ?? []) if (rel.at.file !== r.file) files.add(rel.at.file);
      }
    }
    for (const f of this.relatedFilesOf.get(r) ?? []) {
      const set = this.relatedInto.get(f);
      set?.delete(r);
      if (set?.size === 0) this.relatedInto.delete(f);
    }
    for (const f of files) {
      let set = this.relatedInto.get(f);
      if (!set) this.relatedInto.set(f, (set = new Set()));
      set.add(r);
    }
    if (files.size) this.relatedFilesOf.set(r, [...files]);
    else this.relatedFilesOf.delete(r);
  }

  private noteReported(r: IndexedResource): void {
    this.noteRelated(r);
    const has = r.live && this.queries.some(({ query }) => (query.get(r)?.length ?? 0) > 0);
    let set = this.reported.get(r.file);
    if (has) {
      if (!set) {
        set = new Set();
        this.reported.set(r.file, set);
      }
      set.add(r);
    } else if (set) {
      set.delete(r);
      if (set.size === 0) this.reported.delete(r.file);
    }
  }

  /** The resources of a file that have cross findings (as of the last refresh). */
  reportedIn(file: string): ReadonlySet<IndexedResource> {
    return this.reported.get(file) ?? EMPTY_SET;
  }

  /** A number that changes whenever the resource's cross findings may have changed. */
  revision(r: IndexedResource): number {
    return this.revisions.get(r) ?? 0;
  }

  /**
   * The cross findings of one resource, with ranges relative to its document and related
   * locations file-absolute (as of now). Call refresh() first.
   */
  findingsOf(r: IndexedResource): Finding[] {
    const out: Finding[] = [];
    for (const { query } of this.queries) {
      for (const raw of query.get(r) ?? []) out.push(this.resolve(raw, r));
    }
    return out;
  }

  private resolve(raw: Reported, at: IndexedResource): Finding {
    const r = raw.report;
    const entry = at.entryRef;
    return {
      code: raw.code,
      severity: raw.severity,
      message: r.message,
      range: this.places.localRange(entry, r.path, r.target),
      istioCode: r.istioCode,
      fixes: r.fixes && this.places.fixes(entry, r.fixes),
      related: r.related?.flatMap((rel) =>
        rel.at.live ? [{ file: rel.at.file, range: shiftRange(this.places.localRange(rel.at.entryRef, rel.path, rel.target), rel.at.startLine), message: rel.message }] : [],
      ),
    };
  }
}
