import { depKey, type Facet, type IndexChange, type IndexedResource, type WorkspaceIndex } from './index';

/**
 * What a per-resource computation may read of the index. Every read is recorded as a dependency
 * key, so the computation re-runs only when an update touches one of them.
 */
export interface IndexView {
  /** Every resource of a kind: a coarse dependency (any change of the kind); prefer the others. */
  ofKind(kind: string): readonly IndexedResource[];
  /** Resources of a kind in `namespace` and in the root namespace. */
  inScope(kind: string, namespace: string, rootNamespace: string): IndexedResource[];
  named(kind: string, namespace: string, name: string): IndexedResource | undefined;
  /** Does the workspace hold any resource of a kind? (Changes only when the answer flips.) */
  exists(kind: string): boolean;
  withFacet(facet: Facet, key: string): readonly IndexedResource[];
}

class RecordingView implements IndexView {
  readonly deps = new Set<string>();
  constructor(private readonly index: WorkspaceIndex) {}
  ofKind(kind: string): readonly IndexedResource[] {
    this.deps.add(depKey.kind(kind));
    return this.index.ofKind(kind);
  }
  inScope(kind: string, namespace: string, rootNamespace: string): IndexedResource[] {
    this.deps.add(depKey.kindNs(kind, namespace));
    this.deps.add(depKey.kindNs(kind, rootNamespace));
    return this.index.inScope(kind, namespace, rootNamespace);
  }
  named(kind: string, namespace: string, name: string): IndexedResource | undefined {
    this.deps.add(depKey.name(kind, namespace, name));
    return this.index.named(kind, namespace, name);
  }
  exists(kind: string): boolean {
    this.deps.add(depKey.exists(kind));
    return this.index.hasKind(kind);
  }
  withFacet(facet: Facet, key: string): readonly IndexedResource[] {
    this.deps.add(depKey.facet(facet.id, key));
    return this.index.withFacet(facet, key);
  }
}

/** A computation over one subject resource, reading the rest of the index through a view. */
export interface QuerySpec<T> {
  /** Kinds of the subjects, as index keys (IndexedResource.key). */
  readonly subjects: readonly string[];
  /** Facets the computation reads (registered with the index). */
  readonly facets?: readonly Facet[];
  compute(subject: IndexedResource, view: IndexView): T;
}

interface Run<T> {
  value: T;
  deps: readonly string[];
}

/** Counters of the last refresh (for `istio/status` and the tests that check work is proportional). */
export interface RefreshStats {
  /** Subjects computed by the last refresh. */
  computed: number;
  /** True when the last refresh was a first run over every subject. */
  full: boolean;
}

/**
 * The value of a QuerySpec for every subject of the index, kept up to date incrementally: an
 * index change marks dirty the subjects whose recorded dependencies it touched (and the subjects
 * added or removed); `refresh` recomputes only those. Until the first refresh nothing is tracked.
 */
export class IncrementalQuery<T> {
  private readonly runs = new Map<IndexedResource, Run<T>>();
  private readonly dependents = new Map<string, Set<IndexedResource>>();
  private readonly dirty = new Set<IndexedResource>();
  private readonly gone = new Set<IndexedResource>();
  private readonly moved = new Set<IndexedResource>();
  private readonly dirtyKeys = new Set<string>();
  private started = false;
  private readonly unsubscribe: () => void;
  stats: RefreshStats = { computed: 0, full: false };

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly spec: QuerySpec<T>,
  ) {
    for (const f of spec.facets ?? []) index.addFacet(f);
    this.unsubscribe = index.subscribe((c) => this.note(c));
  }

  dispose(): void {
    this.unsubscribe();
  }

  private note(change: IndexChange): void {
    if (!this.started) return;
    for (const k of change.keys) this.dirtyKeys.add(k);
    for (const r of change.removed) if (this.spec.subjects.includes(r.key)) this.gone.add(r);
    for (const r of change.added) if (this.spec.subjects.includes(r.key)) this.dirty.add(r);
    for (const r of change.moved) if (this.runs.has(r)) this.moved.add(r);
  }

  /** True when a refresh has work to do. */
  get pending(): boolean {
    return !this.started || this.dirty.size > 0 || this.gone.size > 0 || this.dirtyKeys.size > 0 || this.moved.size > 0;
  }

  /**
   * Brings every value up to date. Returns the subjects whose value changed (recomputed, added or
   * removed) and those only moved (same value, new document position).
   */
  refresh(): { changed: Set<IndexedResource>; moved: Set<IndexedResource> } {
    const changed = new Set<IndexedResource>();
    const moved = new Set(this.moved);
    this.moved.clear();
    if (!this.started) {
      this.started = true;
      for (const kind of this.spec.subjects) for (const r of this.index.ofKind(kind)) this.dirty.add(r);
      this.stats = { computed: 0, full: true };
    } else this.stats = { computed: 0, full: false };
    for (const r of this.gone) {
      this.drop(r);
      changed.add(r);
    }
    this.gone.clear();
    for (const key of this.dirtyKeys) for (const r of this.dependents.get(key) ?? []) this.dirty.add(r);
    this.dirtyKeys.clear();
    for (const r of this.dirty) {
      if (!r.live) continue;
      this.compute(r);
      changed.add(r);
      moved.delete(r);
    }
    this.dirty.clear();
    return { changed, moved };
  }

  private compute(subject: IndexedResource): void {
    this.drop(subject);
    const view = new RecordingView(this.index);
    const value = this.spec.compute(subject, view);
    const deps = [...view.deps];
    this.runs.set(subject, { value, deps });
    for (const k of deps) {
      let set = this.dependents.get(k);
      if (!set) {
        set = new Set();
        this.dependents.set(k, set);
      }
      set.add(subject);
    }
    this.stats.computed++;
  }

  private drop(subject: IndexedResource): void {
    const run = this.runs.get(subject);
    if (!run) return;
    this.runs.delete(subject);
    for (const k of run.deps) {
      const set = this.dependents.get(k);
      set?.delete(subject);
      if (set?.size === 0) this.dependents.delete(k);
    }
  }

  /** The value for a subject as of the last refresh. */
  get(subject: IndexedResource): T | undefined {
    return this.runs.get(subject)?.value;
  }

  /** Every (subject, value) as of the last refresh. */
  entries(): IterableIterator<[IndexedResource, Run<T>]> {
    return this.runs.entries();
  }
}
