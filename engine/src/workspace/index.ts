import type { Range } from '../diagnostics';
import { shiftRange } from '../diagnostics';
import type { DocumentEntry, EntrySplice, FileModel } from '../model/fileModel';
import type { IstioResource } from '../model/resource';
import type { EngineSettings } from '../rules/rule';

/**
 * One Istio resource of the workspace, with where it lives. Positions are read from the
 * file model's document entry, which the model shifts in place on edits above it: an edit
 * elsewhere in the file does not rebuild these objects.
 */
export class IndexedResource {
  /** metadata.namespace, else the default namespace. */
  readonly namespace: string;

  constructor(
    /** The file's URI (server) or path (CLI): whatever key the caller uses. */
    readonly file: string,
    private readonly entry: DocumentEntry,
    defaultNamespace: string,
  ) {
    this.namespace = entry.analysis.resource?.namespace ?? defaultNamespace;
  }

  get resource(): IstioResource {
    return this.entry.analysis.resource as IstioResource;
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

  /** The file model's entry this resource reads from (identity: unchanged documents keep theirs). */
  get entryRef(): DocumentEntry {
    return this.entry;
  }

  /** File-absolute range of metadata.name. */
  get nameRange(): Range {
    const line = this.startLine;
    const r = this.entry.analysis.nameRange;
    return r ? shiftRange(r, line) : { start: { line, character: 0 }, end: { line, character: 0 } };
  }
}

/**
 * Every Istio resource of the workspace, by file. Fed from FileModels (open documents and
 * files read from disk); the cross-resource checks and navigation read it. `version` changes
 * only when some file's resources change, so consumers can cache derived results.
 */
export class WorkspaceIndex {
  private readonly files = new Map<string, IndexedResource[]>();
  private all: IndexedResource[] | undefined;
  /** Lookups derived from `all`, rebuilt lazily after a change. */
  private byKind: Map<string, IndexedResource[]> | undefined;
  private byName: Map<string, IndexedResource> | undefined;
  private byKindNs: Map<string, IndexedResource[]> | undefined;
  private _version = 0;
  private _revision = 0;
  /** Every resource currently in the index (objects persist while their document is unchanged). */
  private readonly live = new Set<IndexedResource>();

  constructor(private settings: Pick<EngineSettings, 'defaultNamespace'>) {}

  /** Changes when any resource changes (content or namespace). */
  get version(): number {
    return this._version;
  }

  /** Changes on every update, positions included. */
  get revision(): number {
    return this._revision;
  }

  /**
   * Applies an incremental edit of a file already in the index: only the resources of the
   * replaced documents change, so the cost does not grow with the file. Falls back to setFile.
   */
  spliceFile(file: string, model: FileModel, splice: EntrySplice): boolean {
    const prev = this.files.get(file);
    if (!prev) return this.setFile(file, model);
    this._revision++;
    const added = splice.added.filter((e) => e.analysis.resource?.kind).map((e) => new IndexedResource(file, e, this.settings.defaultNamespace));
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
    if (end === lo && added.length === 0) return false;
    for (let i = lo; i < end; i++) this.live.delete(prev[i]);
    for (const r of added) this.live.add(r);
    const next = prev.slice(0, lo).concat(added, prev.slice(end));
    if (next.length === 0) this.files.delete(file);
    else this.files.set(file, next);
    this.all = undefined;
    this._version++;
    return true;
  }

  /** Replaces a file's resources; returns true when they changed. */
  setFile(file: string, model: FileModel): boolean {
    this._revision++;
    const prev = this.files.get(file);
    const known = new Map<DocumentEntry, IndexedResource>();
    for (const r of prev ?? []) known.set(r.entryRef, r);
    let reused = 0;
    const next: IndexedResource[] = [];
    for (const entry of model.documents) {
      if (!entry.analysis.resource?.kind) continue;
      const old = known.get(entry);
      if (old) reused++;
      next.push(old ?? new IndexedResource(file, entry, this.settings.defaultNamespace));
    }
    if (prev && reused === prev.length && reused === next.length) {
      // Same documents (positions may have moved, which entries track): same version.
      return false;
    }
    if (next.length === 0 && !prev) return false;
    for (const r of prev ?? []) this.live.delete(r);
    for (const r of next) this.live.add(r);
    if (next.length === 0) this.files.delete(file);
    else this.files.set(file, next);
    this.all = undefined;
    this._version++;
    return true;
  }

  removeFile(file: string): boolean {
    const prev = this.files.get(file);
    if (!prev || !this.files.delete(file)) return false;
    for (const r of prev) this.live.delete(r);
    this._revision++;
    this.all = undefined;
    this._version++;
    return true;
  }

  /** Is this resource still in the index (its document unchanged since it was indexed)? */
  isLive(r: IndexedResource): boolean {
    return this.live.has(r);
  }

  hasFile(file: string): boolean {
    return this.files.has(file);
  }

  fileNames(): string[] {
    return [...this.files.keys()];
  }

  resources(): readonly IndexedResource[] {
    if (!this.all) {
      this.all = [...this.files.values()].flat();
      this.byKind = undefined;
      this.byName = undefined;
      this.byKindNs = undefined;
    }
    return this.all;
  }

  ofFile(file: string): readonly IndexedResource[] {
    return this.files.get(file) ?? [];
  }

  ofKind(kind: string): readonly IndexedResource[] {
    const all = this.resources();
    if (!this.byKind) {
      this.byKind = new Map();
      for (const r of all) {
        const list = this.byKind.get(r.resource.kind);
        if (list) list.push(r);
        else this.byKind.set(r.resource.kind, [r]);
      }
    }
    return this.byKind.get(kind) ?? [];
  }

  /** Resources of a kind that reach `namespace`: those in it, and those in the root namespace. */
  inScope(kind: string, namespace: string, rootNamespace: string): IndexedResource[] {
    const all = this.resources();
    if (!this.byKindNs) {
      this.byKindNs = new Map();
      for (const r of all) {
        const key = `${r.resource.kind}/${r.namespace}`;
        const list = this.byKindNs.get(key);
        if (list) list.push(r);
        else this.byKindNs.set(key, [r]);
      }
    }
    const own = this.byKindNs.get(`${kind}/${namespace}`) ?? [];
    return namespace === rootNamespace ? own : [...own, ...(this.byKindNs.get(`${kind}/${rootNamespace}`) ?? [])];
  }

  /** The resource of a kind with a namespace and name (the first one when duplicated). */
  named(kind: string, namespace: string, name: string): IndexedResource | undefined {
    const all = this.resources();
    if (!this.byName) {
      this.byName = new Map();
      for (const r of all) {
        const key = `${r.resource.kind}/${r.namespace}/${r.resource.name ?? ''}`;
        if (!this.byName.has(key)) this.byName.set(key, r);
      }
    }
    return this.byName.get(`${kind}/${namespace}/${name}`);
  }

  get size(): number {
    return this.resources().length;
  }
}
