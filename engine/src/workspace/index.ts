import type { Range } from '../diagnostics';
import { shiftRange } from '../diagnostics';
import type { DocumentEntry, EntrySplice, FileModel } from '../model/fileModel';
import { indexKey, type IstioResource } from '../model/resource';
import type { EngineSettings } from '../rules/rule';

/**
 * One Istio resource of the workspace, with where it lives. Positions are read from the file
 * model's document entry, which the model shifts in place on edits above it: an edit elsewhere in
 * the file does not rebuild these objects. An edit that leaves the resource's data unchanged (a
 * comment, white space) rebinds the same object to the new entry, so nothing derived from it is
 * recomputed.
 */
export class IndexedResource {
  /** metadata.namespace, else the default namespace. */
  readonly namespace: string;
  /** False once the index dropped it (its document changed or left the workspace). */
  live = true;
  private signatureMemo: string | undefined;
  /** Facet keys, by facet id (see Facet): memoized because they are read on removal too. */
  readonly facetKeys = new Map<string, readonly string[]>();

  constructor(
    /** The file's URI (server) or path (CLI): whatever key the caller uses. */
    readonly file: string,
    private entry: DocumentEntry,
    defaultNamespace: string,
  ) {
    this.namespace = entry.analysis.resource?.namespace ?? defaultNamespace;
  }

  get resource(): IstioResource {
    return this.entry.analysis.resource as IstioResource;
  }

  /**
   * The kind the index files the resource under (see indexKey): the kind for Istio's kinds,
   * `Kind.group` for the Gateway API (`Gateway.gateway.networking.k8s.io`), `Kind.core` for the
   * Namespace and Service context objects. Lookups and rule subjects use it.
   */
  get key(): string {
    const r = this.resource;
    return indexKey(r.group, r.kind);
  }

  /** The document's text: re-parsed on demand to resolve ranges of cross-resource findings. */
  get text(): string {
    return this.entry.segment.text;
  }

  /** Index of the document in its file. */
  get docIndex(): number {
    return this.entry.segment.index;
  }

  /** First line of the document in its file. */
  get startLine(): number {
    return this.entry.segment.startLine;
  }

  /** The file model's entry this resource reads from. */
  get entryRef(): DocumentEntry {
    return this.entry;
  }

  /** The resource's data as one string: equal signatures mean every rule reads the same thing. */
  get signature(): string {
    this.signatureMemo ??= JSON.stringify(this.entry.analysis.resource?.object ?? null);
    return this.signatureMemo;
  }

  /** Points this resource at a new entry holding the same data (positions and text may differ). */
  rebind(entry: DocumentEntry): void {
    this.entry = entry;
  }

  /** File-absolute range of metadata.name. */
  get nameRange(): Range {
    const line = this.startLine;
    const r = this.entry.analysis.nameRange;
    return r ? shiftRange(r, line) : { start: { line, character: 0 }, end: { line, character: 0 } };
  }
}

/** A document is indexed when it is an Istio resource whose name (and namespace) are known: not templated, not missing. */
function indexable(entry: DocumentEntry): boolean {
  return Boolean(entry.analysis.resource?.kind) && entry.analysis.indexable !== false;
}

/**
 * A derived lookup over the index: resources of some kinds filed under keys a function computes
 * (gateway servers by selector+port+host, DestinationRules by host...). Cross rules read through
 * facets instead of scanning a kind, so a change re-runs only the rules that read its keys.
 */
export interface Facet {
  readonly id: string;
  readonly kinds: readonly string[];
  keys(r: IndexedResource): readonly string[];
}

/** What one update of the index changed: dependency keys whose answers differ, and resources in and out. */
export interface IndexChange {
  keys: ReadonlySet<string>;
  added: readonly IndexedResource[];
  removed: readonly IndexedResource[];
  /** Resources kept (same data) but bound to a new document: their findings need new ranges. */
  moved: readonly IndexedResource[];
}

/** Dependency keys: what a reader of the index asked for. */
export const depKey = {
  kind: (kind: string) => `K\u0000${kind}`,
  kindNs: (kind: string, ns: string) => `N\u0000${kind}\u0000${ns}`,
  name: (kind: string, ns: string, name: string) => `R\u0000${kind}\u0000${ns}\u0000${name}`,
  exists: (kind: string) => `E\u0000${kind}`,
  facet: (facet: string, key: string) => `F\u0000${facet}\u0000${key}`,
};

/** A set of resources with a deterministic order (file, then document index), materialized on demand. */
class Bucket {
  readonly set = new Set<IndexedResource>();
  private sorted: IndexedResource[] | undefined;
  add(r: IndexedResource): void {
    this.set.add(r);
    this.sorted = undefined;
  }
  delete(r: IndexedResource): void {
    this.set.delete(r);
    this.sorted = undefined;
  }
  touch(): void {
    this.sorted = undefined;
  }
  list(): readonly IndexedResource[] {
    this.sorted ??= [...this.set].sort(compareResources);
    return this.sorted;
  }
}

/** Files in name order, documents in file order: what a fresh analysis would see. */
function compareResources(a: IndexedResource, b: IndexedResource): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.docIndex - b.docIndex;
}

const EMPTY: readonly IndexedResource[] = [];

/**
 * Every Istio resource of the workspace, by file, with lookups (by kind, kind+namespace, name,
 * facets) maintained incrementally: an update costs the resources it adds and removes, never the
 * whole workspace. Subscribers get each change with the dependency keys it touched.
 */
export class WorkspaceIndex {
  private readonly files = new Map<string, IndexedResource[]>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly facets = new Map<string, Facet>();
  private readonly kindCounts = new Map<string, number>();
  private readonly kindRevisions = new Map<string, number>();
  private readonly listeners = new Set<(c: IndexChange) => void>();
  private all: IndexedResource[] | undefined;
  private count = 0;
  private _version = 0;

  constructor(private readonly settings: Pick<EngineSettings, 'defaultNamespace'>) {}

  /** Changes whenever some resource's data changes (not when only positions move). */
  get version(): number {
    return this._version;
  }

  get size(): number {
    return this.count;
  }

  subscribe(listener: (c: IndexChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Registers a facet (idempotent); resources already indexed are filed under it. */
  addFacet(facet: Facet): void {
    if (this.facets.has(facet.id)) return;
    this.facets.set(facet.id, facet);
    for (const kind of facet.kinds) for (const r of this.ofKind(kind)) this.fileFacet(facet, r, true);
  }

  /** Applies an incremental edit of a file already in the index: only the replaced documents' resources change. */
  spliceFile(file: string, model: FileModel, splice: EntrySplice): void {
    const prev = this.files.get(file);
    if (!prev) return this.setFile(file, model);
    // prev is in document order; documents before the edit keep their indexes (< splice.at).
    let lo = 0;
    let hi = prev.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (prev[mid].docIndex < splice.at) lo = mid + 1;
      else hi = mid;
    }
    const removedEntries = new Set(splice.removed);
    let end = lo;
    while (end < prev.length && removedEntries.has(prev[end].entryRef)) end++;
    const replaced = this.replace(file, prev.slice(lo, end), splice.added);
    const next = prev.slice(0, lo).concat(replaced, prev.slice(end));
    this.store(file, next);
  }

  /** Replaces a file's resources with those of its model's documents. */
  setFile(file: string, model: FileModel): void {
    const prev = this.files.get(file) ?? [];
    this.store(file, this.replace(file, prev, model.documents));
  }

  removeFile(file: string): void {
    const prev = this.files.get(file);
    if (!prev) return;
    this.replace(file, prev, []);
    this.store(file, []);
  }

  private store(file: string, list: IndexedResource[]): void {
    if (list.length === 0) this.files.delete(file);
    else this.files.set(file, list);
  }

  /**
   * The resources of `entries` replacing `old`: an old resource whose document is unchanged, or
   * whose data is equal, is kept (rebound); the rest are removed and added, and subscribers told.
   */
  private replace(file: string, old: readonly IndexedResource[], entries: readonly DocumentEntry[]): IndexedResource[] {
    const byAnalysis = new Map<unknown, IndexedResource[]>();
    for (const r of old) {
      const list = byAnalysis.get(r.entryRef.analysis);
      if (list) list.push(r);
      else byAnalysis.set(r.entryRef.analysis, [r]);
    }
    const kept = new Set<IndexedResource>();
    const moved: IndexedResource[] = [];
    const pending: Array<{ entry: DocumentEntry; at: number }> = [];
    const next: Array<IndexedResource | undefined> = [];
    for (const entry of entries) {
      if (!indexable(entry)) continue;
      const same = byAnalysis.get(entry.analysis)?.find((r) => !kept.has(r));
      if (same) {
        kept.add(same);
        if (same.entryRef !== entry) {
          same.rebind(entry);
          moved.push(same);
        }
        next.push(same);
      } else {
        pending.push({ entry, at: next.length });
        next.push(undefined);
      }
    }
    // Changed documents: one with the same data as a removed resource keeps that resource.
    const leftovers = old.filter((r) => !kept.has(r));
    const bySignature = new Map<string, IndexedResource[]>();
    if (pending.length && leftovers.length) {
      for (const r of leftovers) {
        const list = bySignature.get(r.signature);
        if (list) list.push(r);
        else bySignature.set(r.signature, [r]);
      }
    }
    const added: IndexedResource[] = [];
    for (const { entry, at } of pending) {
      const fresh = new IndexedResource(file, entry, this.settings.defaultNamespace);
      const same = bySignature.size ? bySignature.get(fresh.signature)?.find((r) => !kept.has(r)) : undefined;
      if (same) {
        kept.add(same);
        same.rebind(entry);
        moved.push(same);
        next[at] = same;
      } else {
        added.push(fresh);
        next[at] = fresh;
      }
    }
    const removed = old.filter((r) => !kept.has(r));
    for (const r of moved) this.resort(r);
    if (added.length || removed.length) this.apply(added, removed, moved);
    else if (moved.length) this.emit({ keys: new Set(), added: EMPTY, removed: EMPTY, moved });
    return next as IndexedResource[];
  }

  private apply(added: readonly IndexedResource[], removed: readonly IndexedResource[], moved: readonly IndexedResource[]): void {
    const keys = new Set<string>();
    const before = new Map<string, number>();
    for (const r of removed) {
      const kind = r.key;
      if (!before.has(kind)) before.set(kind, this.kindCounts.get(kind) ?? 0);
      this.file(r, false, keys);
      r.live = false;
    }
    for (const r of added) {
      const kind = r.key;
      if (!before.has(kind)) before.set(kind, this.kindCounts.get(kind) ?? 0);
      this.file(r, true, keys);
    }
    for (const [kind, n] of before) if (n === 0 !== ((this.kindCounts.get(kind) ?? 0) === 0)) keys.add(depKey.exists(kind));
    this.all = undefined;
    this._version++;
    this.emit({ keys, added, removed, moved });
  }

  private emit(change: IndexChange): void {
    for (const l of this.listeners) l(change);
  }

  /** Adds or removes a resource under every lookup key, collecting the dependency keys touched. */
  private file(r: IndexedResource, add: boolean, keys: Set<string>): void {
    const kind = r.key;
    const { name } = r.resource;
    const ns = r.namespace;
    for (const key of [depKey.kind(kind), depKey.kindNs(kind, ns), depKey.name(kind, ns, name ?? '')]) {
      this.fileUnder(key, r, add);
      keys.add(key);
    }
    this.kindCounts.set(kind, (this.kindCounts.get(kind) ?? 0) + (add ? 1 : -1));
    this.kindRevisions.set(kind, (this.kindRevisions.get(kind) ?? 0) + 1);
    this.count += add ? 1 : -1;
    for (const facet of this.facets.values()) if (facet.kinds.includes(kind)) for (const k of this.fileFacet(facet, r, add)) keys.add(k);
  }

  private fileFacet(facet: Facet, r: IndexedResource, add: boolean): string[] {
    let own = r.facetKeys.get(facet.id);
    if (!own) {
      own = [...new Set(facet.keys(r))];
      r.facetKeys.set(facet.id, own);
    }
    const keys = own.map((k) => depKey.facet(facet.id, k));
    for (const key of keys) this.fileUnder(key, r, add);
    return keys;
  }

  /** A rebound resource may have changed place among its bucket's members: re-sort them on next read. */
  private resort(r: IndexedResource): void {
    const kind = r.key;
    const { name } = r.resource;
    const keys = [depKey.kind(kind), depKey.kindNs(kind, r.namespace), depKey.name(kind, r.namespace, name ?? '')];
    for (const [id, own] of r.facetKeys) for (const k of own) keys.push(depKey.facet(id, k));
    for (const key of keys) this.buckets.get(key)?.touch();
  }

  /** Adds a resource under a key, or removes it (an emptied key is dropped: names come and go as one types). */
  private fileUnder(key: string, r: IndexedResource, add: boolean): void {
    let b = this.buckets.get(key);
    if (add) {
      if (!b) {
        b = new Bucket();
        this.buckets.set(key, b);
      }
      b.add(r);
    } else if (b) {
      b.delete(r);
      if (b.set.size === 0) this.buckets.delete(key);
    }
  }

  private lookup(key: string): readonly IndexedResource[] {
    return this.buckets.get(key)?.list() ?? EMPTY;
  }

  /** Is this resource still in the index? */
  isLive(r: IndexedResource): boolean {
    return r.live;
  }

  hasFile(file: string): boolean {
    return this.files.has(file);
  }

  fileNames(): string[] {
    return [...this.files.keys()];
  }

  /** Every resource (materialized on demand: not for the keystroke path). */
  resources(): readonly IndexedResource[] {
    this.all ??= [...this.files.keys()].sort().flatMap((f) => this.files.get(f) ?? []);
    return this.all;
  }

  ofFile(file: string): readonly IndexedResource[] {
    return this.files.get(file) ?? EMPTY;
  }

  /** Resources of a kind: its name for Istio's kinds, `Kind.group` for others (see IndexedResource.key). */
  ofKind(kind: string): readonly IndexedResource[] {
    return this.lookup(depKey.kind(kind));
  }

  /** Resources of a kind in one namespace. */
  inNamespace(kind: string, namespace: string): readonly IndexedResource[] {
    return this.lookup(depKey.kindNs(kind, namespace));
  }

  /** Resources of a kind that reach `namespace`: those in it, and those in the root namespace. */
  inScope(kind: string, namespace: string, rootNamespace: string): IndexedResource[] {
    const own = this.inNamespace(kind, namespace);
    return namespace === rootNamespace ? [...own] : [...own, ...this.inNamespace(kind, rootNamespace)];
  }

  /** The resource of a kind with a namespace and name (the first in file order when duplicated). */
  named(kind: string, namespace: string, name: string): IndexedResource | undefined {
    return this.lookup(depKey.name(kind, namespace, name))[0];
  }

  /** Changes whenever a resource of the kind is added, removed or changed. */
  revisionOf(kind: string): number {
    return this.kindRevisions.get(kind) ?? 0;
  }

  hasKind(kind: string): boolean {
    return (this.kindCounts.get(kind) ?? 0) > 0;
  }

  /** Resources filed under a facet key (the facet must be registered). */
  withFacet(facet: Facet, key: string): readonly IndexedResource[] {
    return this.lookup(depKey.facet(facet.id, key));
  }
}
