import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { complete } from '../authoring/complete';
import { describeAt } from '../authoring/describe';
import { compareFindings, shiftFinding, type Finding, type Fix, type Position, type Range } from '../diagnostics';
import { tokenAt } from '../jwt/index';
import { convertTextToGatewayApi, gatewayApiFixAt } from '../convert/gatewayApi/index';
import { migrateText, type MigrationNote } from '../legacy/migrate';
import type { DocumentEntry, FileModel, UpdateStats } from '../model/fileModel';
import { isIstioDocument } from '../model/resource';
import { outline } from '../outline';
import { AnalysisPool } from '../parallel/pool';
import type { SimRequest, SimSettings, SimTarget, SimulationResult } from '../simulate/index';
import { templateNotice, type TemplateTotals } from '../templates/notice';
import { LineIndex } from '../text/lineIndex';
import { minimalEdit } from '../text/minimalEdit';
import type { IndexedResource } from '../workspace/index';
import { Workspace } from '../workspace/workspace';
import { JwksFeatures } from './jwks';
import { JwtFeatures } from './jwt';
import { DEFAULT_HOST_SETTINGS, type HostSettings } from './settings';
import type {
  CompletionItem,
  Conversion,
  DecodeReport,
  DocumentSymbol,
  FileStatus,
  InlayHint,
  Lens,
  Location,
  SimulateParams,
  SimulateReport,
  SimulationTarget,
  TextChange,
  VerifyParams,
  VerifyReport,
  WorkspaceSymbol,
} from './types';

export interface HostOptions {
  settings?: HostSettings;
  /** Epoch milliseconds (token times). Default Date.now. */
  now?: () => number;
  /** The bundled analysis worker (dist/analysisWorker.js): large inputs are analysed on worker threads. */
  workerScript?: string;
  /** Worker threads are stopped after this long without work (default 60 s); started again on demand. */
  workerIdleMs?: number;
  /** How many worker threads (0: none, everything on the calling thread). Default: defaultWorkerCount(). */
  workers?: number;
}

/**
 * Worker threads pay off only with a core to spare beside the main thread: on 2 cores, 2 warm
 * workers doubled the server's memory (5,000 documents: 205 -> 400 MB RSS) and opened the file no
 * faster (1.9 s either way), since the main thread waits for them. From 3 cores, one per core
 * but the main thread's, at most 4. `ISTIO_SEC_WORKERS` (a number) overrides.
 */
export function defaultWorkerCount(cores: number, env: Readonly<Record<string, string | undefined>> = {}): number {
  const forced = env.ISTIO_SEC_WORKERS?.trim();
  if (forced && /^\d+$/.test(forced)) return Math.min(16, Number(forced));
  return cores >= 3 ? Math.min(4, cores - 1) : 0;
}

/** Per document entry: its findings other than cross-resource ones, shifted to the file, and what they were computed from. */
interface EntryState {
  mayHaveTokens: boolean;
  tokens: readonly Finding[];
  jwks: readonly Finding[];
  startLine: number;
  shifted: Finding[];
}

const NO_FINDINGS: readonly Finding[] = [];

/**
 * The engine's one public API: a set of files (keyed by whatever the caller uses: URIs in the
 * server, paths in the CLI) and every answer about them as plain data. An update re-analyses only
 * the documents it changed and re-runs only the cross-resource checks whose inputs changed; every
 * query reads the current state. Editor policy (debouncing, trust, what to publish when) stays
 * with the caller.
 */
export class AnalysisHost {
  private settings: HostSettings;
  private ws: Workspace;
  private readonly jwks: JwksFeatures;
  private readonly jwt: JwtFeatures;
  private readonly now: () => number;
  private readonly versions = new Map<string, number>();
  private readonly changed = new Set<string>();
  private entryStates = new WeakMap<DocumentEntry, EntryState>();
  /** Per file model: its last helm-template notice and what it was built from. */
  private readonly notices = new WeakMap<FileModel, { totals: TemplateTotals; entry: DocumentEntry; startLine: number; finding: Finding | undefined }>();
  private pool: AnalysisPool | undefined;
  /** Files whose diagnostics showed a token (they change with the workspace's jwtRules). */
  private readonly tokenFiles = new Set<string>();
  private lastJwtRules: unknown;
  /** Cross-resource checks run since the last status(). */
  private crossChecks = 0;

  constructor(private readonly options: HostOptions = {}) {
    this.settings = options.settings ?? DEFAULT_HOST_SETTINGS;
    this.now = options.now ?? Date.now;
    this.ws = new Workspace(this.settings);
    this.jwks = new JwksFeatures(this.settings.network);
    this.jwt = new JwtFeatures(() => this.ws, this.jwks, this.now);
  }

  // ── Files ──

  /** Sets a file's whole text (open, reload from disk, or a change the host cannot apply incrementally). */
  setFile(file: string, text: string, version?: number): UpdateStats {
    const stats = this.ws.update(file, text);
    this.noteVersion(file, version);
    this.noteLinesMoved(file, stats);
    return stats;
  }

  /**
   * Applies an editor change: `changes` in offsets of the text of version `fromVersion`, giving
   * `text` (the whole new text). One change on the version the host holds is applied
   * incrementally (only the documents around it are re-split and analysed); anything else falls
   * back to the whole text.
   */
  applyChanges(file: string, fromVersion: number | undefined, version: number | undefined, changes: readonly TextChange[], text: string): UpdateStats {
    const model = this.ws.model(file);
    const held = this.versions.get(file);
    if (model && changes.length === 1 && fromVersion !== undefined && held === fromVersion) {
      const c = changes[0];
      const stats = this.ws.applyEdit(file, c.start, c.end, c.newText, text);
      this.noteVersion(file, version);
      this.noteLinesMoved(file, stats);
      return stats;
    }
    return this.setFile(file, text, version);
  }

  /**
   * When an update moved lines of `file`, the files whose findings point into it (related
   * locations) are republished, with the places as they are now. Their findings are not recomputed.
   */
  private noteLinesMoved(file: string, stats: UpdateStats): void {
    if (stats.linesMoved) for (const f of this.ws.cross.filesRelatedTo(file)) this.changed.add(f);
  }

  private noteVersion(file: string, version: number | undefined): void {
    if (version === undefined) this.versions.delete(file);
    else this.versions.set(file, version);
  }

  removeFile(file: string): void {
    this.ws.remove(file);
    this.tokenFiles.delete(file);
    this.versions.delete(file);
  }

  hasFile(file: string): boolean {
    return this.ws.model(file) !== undefined;
  }

  files(): string[] {
    return this.ws.files();
  }

  /** The version of a file's text the host holds (as given to setFile / applyChanges). */
  versionOf(file: string): number | undefined {
    return this.versions.get(file);
  }

  /** The text the host holds for a file. */
  textOf(file: string): string | undefined {
    return this.ws.model(file)?.currentText;
  }

  /** Istio resources in the workspace. */
  get resourceCount(): number {
    return this.ws.index.size;
  }

  /**
   * Analyses the not-yet-cached documents of large texts on worker threads (when the host was given
   * a worker script and there are enough of them), so that setFile of those texts only looks them
   * up. Returns how many documents were analysed there.
   */
  async preload(texts: readonly string[], minDocuments = 200): Promise<number> {
    const pool = this.startWorkers();
    if (!pool) return 0;
    clearTimeout(this.poolIdle);
    this.preloading++;
    try {
      return await this.ws.prefetch(texts, pool, minDocuments);
    } finally {
      if (--this.preloading === 0) this.stopWorkersWhenIdle(pool);
    }
  }

  /**
   * Starts the worker threads now (they warm up meanwhile), so that the first large file opened
   * finds them ready. Returns the pool, or undefined without a worker script.
   */
  startWorkers(): AnalysisPool | undefined {
    const script = this.options.workerScript;
    const size = this.options.workers ?? defaultWorkerCount(cpus().length);
    if (!script || size < 1 || !existsSync(script)) return undefined;
    if (!this.pool) {
      this.pool = new AnalysisPool(script, size);
      this.stopWorkersWhenIdle(this.pool);
    }
    return this.pool;
  }

  private poolIdle: NodeJS.Timeout | undefined;
  private preloading = 0;

  /** Idle workers hold tens of MB each: stopped after a while without work. */
  private stopWorkersWhenIdle(pool: AnalysisPool): void {
    clearTimeout(this.poolIdle);
    this.poolIdle = setTimeout(() => {
      if (this.pool !== pool) return;
      this.pool = undefined;
      void pool.close();
    }, this.options.workerIdleMs ?? 60_000);
    this.poolIdle.unref();
  }

  /** New settings: namespaces re-derive everything; network settings only drop JWKS results. */
  configure(settings: HostSettings): void {
    const engineChanged = settings.defaultNamespace !== this.settings.defaultNamespace || settings.rootNamespace !== this.settings.rootNamespace;
    this.settings = settings;
    this.jwks.configure(settings.network);
    if (!engineChanged) return;
    const texts = this.ws.files().map((f) => [f, this.ws.model(f)?.currentText] as const);
    this.ws.dispose();
    this.ws = new Workspace(settings);
    this.entryStates = new WeakMap();
    for (const [file, text] of texts) {
      if (text !== undefined) this.ws.update(file, text);
      this.changed.add(file);
    }
  }

  dispose(): void {
    this.ws.dispose();
    clearTimeout(this.poolIdle);
    void this.pool?.close();
    this.pool = undefined;
  }

  // ── Diagnostics ──

  /** Brings cross-resource results up to date (only what changed); remembers which files they moved. */
  private refresh(): void {
    for (const f of this.ws.cross.refresh()) this.changed.add(f);
    this.crossChecks += this.ws.cross.stats.checks;
    // Token findings depend on every jwtRule of the workspace: files showing tokens follow its changes.
    const rules = this.jwt.rules();
    if (rules !== this.lastJwtRules) {
      this.lastJwtRules = rules;
      for (const f of this.tokenFiles) this.changed.add(f);
    }
  }

  /**
   * Files whose cross-resource findings changed since the last call (because some other file
   * changed): the server republishes those that are open.
   */
  takeChangedFiles(): string[] {
    this.refresh();
    const out = [...this.changed];
    this.changed.clear();
    return out;
  }

  private entryState(entry: DocumentEntry): EntryState {
    let state = this.entryStates.get(entry);
    if (!state) {
      state = { mayHaveTokens: entry.segment.text.includes('eyJ'), tokens: NO_FINDINGS, jwks: NO_FINDINGS, startLine: -1, shifted: [] };
      this.entryStates.set(entry, state);
    }
    const tokens = state.mayHaveTokens ? this.jwt.findingsOf(entry) : NO_FINDINGS;
    const jwks = this.jwks.findingsOf(entry);
    const startLine = entry.segment.startLine;
    if (tokens !== state.tokens || jwks !== state.jwks || startLine !== state.startLine) {
      const local = tokens.length || jwks.length ? [...entry.analysis.findings, ...tokens, ...jwks] : [...entry.analysis.findings];
      state.shifted = local.sort(compareFindings).map((f) => shiftFinding(f, startLine));
      state.tokens = tokens;
      state.jwks = jwks;
      state.startLine = startLine;
    }
    return state;
  }

  /**
   * Everything to report for a file, sorted, file-absolute: each document's own findings, token and
   * JWKS findings (cached per document, shifted only when the document moved), then the
   * cross-resource findings of its resources. Files without an Istio document get none.
   */
  diagnostics(file: string): Finding[] {
    const model = this.ws.model(file);
    if (!model) return [];
    if (model.oversizeFinding) return [model.oversizeFinding];
    if (!model.isIstioFile) return [];
    this.refresh();
    const crossOf = new Map<DocumentEntry, IndexedResource>();
    for (const r of this.ws.cross.reportedIn(file)) crossOf.set(r.entryRef, r);
    const out: Finding[] = [];
    let tokens = false;
    // The file's helm-template notice goes with its first template document.
    let notice = model.templateTotals.documents > 0;
    for (const entry of model.documents) {
      const state = this.entryState(entry);
      tokens ||= state.mayHaveTokens;
      const own = state.shifted;
      const r = crossOf.get(entry);
      const extra = notice && entry.analysis.template ? this.templateNotice(model, entry) : undefined;
      if (extra) notice = false;
      if (!r && !extra) {
        for (const f of own) out.push(f);
        continue;
      }
      const cross = r ? this.ws.cross.findingsOf(r).map((f) => shiftFinding(f, entry.segment.startLine)) : NO_FINDINGS;
      for (const f of [...own, ...cross, ...(extra ? [extra] : [])].sort(compareFindings)) out.push(f);
    }
    if (tokens) this.tokenFiles.add(file);
    else this.tokenFiles.delete(file);
    return out;
  }

  /** A file's helm-template notice, placed in `first` (its first template document): rebuilt only when the totals or that place changed. */
  private templateNotice(model: FileModel, first: DocumentEntry): Finding | undefined {
    const totals = model.templateTotals;
    const startLine = first.segment.startLine;
    const last = this.notices.get(model);
    if (last?.totals === totals && last.entry === first && last.startLine === startLine) return last.finding;
    const finding = templateNotice(totals, first.analysis.template, startLine);
    this.notices.set(model, { totals, entry: first, startLine, finding });
    return finding;
  }

  /** What a file holds, how its last update went, and the cross-resource checks run since the previous status. */
  status(file: string, findings: readonly Finding[] = this.diagnostics(file)): FileStatus {
    const model = this.ws.model(file);
    const last = model?.lastUpdate;
    const crossChecks = this.crossChecks;
    this.crossChecks = 0;
    return {
      istioDocuments: model?.istioDocumentCount ?? 0,
      documents: model?.documentCount ?? 0,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      update: last?.incremental ? 'incremental' : 'full',
      analyzedDocuments: last?.analyzed ?? 0,
      crossChecks,
    };
  }

  // ── Navigation and structure ──

  documentSymbols(file: string): DocumentSymbol[] {
    const model = this.ws.model(file);
    return model ? outline(model) : [];
  }

  workspaceSymbols(query: string, limit = 1000): WorkspaceSymbol[] {
    const q = query.toLowerCase();
    const out: WorkspaceSymbol[] = [];
    for (const r of this.ws.index.resources()) {
      if (out.length >= limit) break;
      if (!isIstioDocument(r.resource)) continue;
      if (q && !`${r.resource.kind} ${r.namespace}/${r.resource.name ?? ''}`.toLowerCase().includes(q)) continue;
      out.push({ kind: r.resource.kind, namespace: r.namespace, name: r.resource.name, location: { file: r.file, range: r.nameRange } });
    }
    return out;
  }

  definition(file: string, pos: Position): Location[] {
    return this.ws.navigator.definition(file, pos);
  }

  references(file: string, pos: Position, includeDeclaration: boolean): Location[] {
    return this.ws.navigator.references(file, pos, includeDeclaration);
  }

  /** "referenced by N" lenses on (Istio and Gateway API) Gateways and RequestAuthentications, and a JWKS lens per jwtRule endpoint. */
  lenses(file: string): Lens[] {
    const model = this.ws.model(file);
    if (!model) return [];
    const refs: Lens[] = this.ws.navigator.referenced(file).map(({ name, references, noun }) => ({
      kind: 'references',
      range: name.range,
      what: noun,
      locations: references,
    }));
    const jwks: Lens[] = this.jwks.lenses(model, this.settings.defaultNamespace).map((l) => ({ kind: 'jwks', range: l.range, cluster: l.cluster }));
    return [...refs, ...jwks];
  }

  // ── Authoring ──

  /** The document under a position, the position in its coordinates, and its offset there. */
  private local(file: string, pos: Position): { entry: DocumentEntry; line: number; character: number; offset: number; lines: LineIndex } | undefined {
    const entry = this.ws.model(file)?.documentAtLine(pos.line);
    if (!entry) return undefined;
    const line = pos.line - entry.segment.startLine;
    const lines = new LineIndex(entry.segment.text);
    return { entry, line, character: pos.character, offset: lines.offsetAt({ line, character: pos.character }), lines };
  }

  /** The JWT under a position, if any. */
  tokenAt(file: string, pos: Position): string | undefined {
    const at = this.local(file, pos);
    return at ? tokenAt(at.entry.segment.text, at.offset)?.token : undefined;
  }

  /**
   * Hover markdown: a token under the cursor, else a jwtRule endpoint's last JWKS check, else the
   * field, enum value or `when` key. `whyJwksNotChecked` completes "not checked: ..." when the
   * caller has not checked the endpoint (e.g. the workspace is not trusted).
   */
  hover(file: string, pos: Position, whyJwksNotChecked = 'the check has not run yet'): string | undefined {
    const at = this.local(file, pos);
    if (!at) return undefined;
    const token = tokenAt(at.entry.segment.text, at.offset)?.token;
    if (token) return this.jwt.hover(token);
    const model = this.ws.model(file);
    return (model && this.jwks.hover(model, pos, whyJwksNotChecked)) ?? describeAt(at.entry.segment.text, at.line, at.character);
  }

  completion(file: string, pos: Position): CompletionItem[] {
    const at = this.local(file, pos);
    if (!at) return [];
    const startLine = at.entry.segment.startLine;
    return complete(at.entry.segment.text, at.line, at.character, { index: this.ws.index, defaultNamespace: this.settings.defaultNamespace }).map((e) => ({
      label: e.label,
      kind: e.kind,
      detail: e.detail,
      documentation: e.documentation,
      insertText: e.insertText,
      snippet: e.snippet,
      sortText: e.sortText,
      range: { start: { line: e.replace.line + startLine, character: e.replace.start }, end: { line: e.replace.line + startLine, character: e.replace.end } },
    }));
  }

  /** One hint after each decodable token in the range (whole file when omitted) of an Istio file. */
  inlayHints(file: string, range?: Range): InlayHint[] {
    const model = this.ws.model(file);
    if (!model?.isIstioFile) return [];
    const out: InlayHint[] = [];
    for (const entry of model.documents) {
      if (!this.entryState(entry).mayHaveTokens) continue;
      const startLine = entry.segment.startLine;
      const lines = new LineIndex(entry.segment.text);
      const from = range ? lines.offsetAt({ line: range.start.line - startLine, character: range.start.line < startLine ? 0 : range.start.character }) : 0;
      const to = range ? lines.offsetAt({ line: range.end.line - startLine, character: range.end.character }) : entry.segment.text.length;
      if (range && (range.end.line < startLine || to < 0)) continue;
      for (const h of this.jwt.inlayHints(entry.segment.text, from, to, (o) => lines.positionAt(o))) out.push({ ...h, position: { line: h.position.line + startLine, character: h.position.character } });
    }
    return out;
  }

  // ── JWTs and simulation ──

  decodeJwt(token: string): DecodeReport {
    return this.jwt.decode(token);
  }

  verifyJwt(params: VerifyParams): Promise<VerifyReport> {
    return this.jwt.verify(params);
  }

  simulationTargets(): SimulationTarget[] {
    return this.jwt.targets();
  }

  /** The editor's simulation: a markdown report. */
  simulate(params: SimulateParams): Promise<SimulateReport> {
    return this.jwt.simulate(params);
  }

  /** The CLI's simulation: the full result (trace included). */
  /** One request; `mesh.pathNormalization` is the mesh's meshConfig.pathNormalization (default BASE). */
  simulateRequest(target: SimTarget, request: SimRequest, mesh: Pick<SimSettings, 'pathNormalization'> = {}): Promise<SimulationResult> {
    return this.jwt.run(target, request, mesh);
  }

  // ── JWKS ──

  /** RequestAuthentication documents of a file with an endpoint or inline keys to check. */
  jwksTargets(file: string): number {
    const model = this.ws.model(file);
    return model ? this.jwks.targets(model) : 0;
  }

  /** Checks a file's JWKS endpoints (those without a result, unless `force`); true when a result changed. */
  checkJwks(file: string, opts: { force?: boolean; shouldStop?: () => boolean } = {}): Promise<boolean> {
    const model = this.ws.model(file);
    return model ? this.jwks.check(model, opts.force ?? false, opts.shouldStop) : Promise.resolve(false);
  }

  /** The JWKS findings of a file's last checks (file-absolute). */
  jwksFindings(file: string): Finding[] {
    const model = this.ws.model(file);
    return model ? this.jwks.findings(model) : [];
  }

  get offline(): boolean {
    return this.jwks.offline;
  }

  // ── Conversion ──

  /** The removed-API conversion of a file, as one minimal edit and notes. */
  convertRemovedApis(file: string): Conversion {
    return this.conversion(file, (text, opts) => migrateText(text, opts));
  }

  /** The Gateway API conversion of a file (Istio Gateways, their VirtualServices, gateway policies). */
  convertToGatewayApi(file: string): Conversion {
    return this.conversion(file, (text, opts) => convertTextToGatewayApi(text, opts));
  }

  /** Fixes offered without a diagnostic at a range: on an Istio Gateway, its conversion to the Gateway API. */
  refactorings(file: string, range: Range): Fix[] {
    const text = this.textOf(file);
    const fix = text === undefined ? undefined : gatewayApiFixAt(text, range.start.line, { defaultNamespace: this.settings.defaultNamespace, rootNamespace: this.settings.rootNamespace });
    return fix ? [{ title: fix.title, edits: [fix.edit] }] : [];
  }

  private conversion(file: string, convert: (text: string, opts: { defaultNamespace: string; rootNamespace: string }) => { text: string; notes: MigrationNote[] }): Conversion {
    const text = this.textOf(file);
    if (text === undefined) return { edit: null, notes: [] };
    const result = convert(text, { defaultNamespace: this.settings.defaultNamespace, rootNamespace: this.settings.rootNamespace });
    return {
      edit: minimalEdit(text, result.text) ?? null,
      notes: result.notes.map((n) => ({ severity: n.severity, code: n.code, message: n.message, line: n.range.start.line })),
    };
  }
}
