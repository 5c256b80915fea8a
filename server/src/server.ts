import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  FileChangeType,
  SymbolKind,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { compareFindings, type Range } from '../../engine/src/diagnostics';
import { migrateText } from '../../engine/src/legacy/migrate';
import { outline } from '../../engine/src/outline';
import { minimalEdit } from '../../engine/src/text/minimalEdit';
import { AnalysisPool } from '../../engine/src/parallel/pool';
import { kubectlProxyArgs } from '../../engine/src/jwks/clusterLocal';
import { keySetReport } from '../../engine/src/jwks/keys';
import type { EngineSettings } from '../../engine/src/rules/rule';
import { Workspace } from '../../engine/src/workspace/workspace';
import { completionItems, fieldHover } from './authoringService';
import { toCodeActions, toDiagnostic } from './convert';
import { DocumentStore, type Edit } from './documents';
import { JwksService } from './jwksService';
import { JwtService } from './jwtService';
import {
  CheckJwksRequest,
  ConvertRemovedApisRequest,
  type ConvertRemovedApisParams,
  type ConvertRemovedApisResult,
  DecodeJwtRequest,
  DEFAULT_SERVER_SETTINGS,
  JwtAtRequest,
  SimulateRequest,
  SimulationTargetsRequest,
  VerifyJwtRequest,
  SETTINGS_SECTION,
  AnalyzeKeySetRequest,
  CheckJwksFromClusterCommand,
  KubectlProxyArgsRequest,
  type AnalyzeKeySetParams,
  type KeySetReport,
  type KubectlProxyArgsParams,
  type KubectlProxyArgsResult,
  StatusNotification,
  TrustNotification,
  type CheckJwksParams,
  type CheckJwksResult,
  type DecodeJwtParams,
  type JwtAtParams,
  type SimulateParams,
  type VerifyJwtParams,
  type InitializationOptions,
  type ServerSettings,
  type StatusParams,
  type TrustParams,
} from './protocol';
import { listYamlFiles, loadExcludes, readIfSmall } from './workspaceFiles';

export const SERVER_NAME = 'istio-security-language-server';

/** Workspaces with at least this many YAML files show indexing progress. */
const INDEX_PROGRESS_MIN_FILES = 200;

/** Files larger than this are analysed on worker threads when opened. */
const PARALLEL_MIN_CHARS = 1024 * 1024;

function createPool(): AnalysisPool | undefined {
  const script = join(__dirname, 'analysisWorker.js');
  if (!existsSync(script)) return undefined; // not bundled (e.g. run from sources)
  return new AnalysisPool(script, Math.max(1, Math.min(4, cpus().length)));
}

function engineSettings(s: ServerSettings): EngineSettings {
  return { defaultNamespace: s.defaultNamespace, rootNamespace: s.rootNamespace };
}

/**
 * Adapts the engine to LSP. Every handler is thin: it asks the engine's Workspace (open
 * documents over the files of the workspace folders) and converts engine types to LSP types.
 */
/**
 * Sends a fire-and-forget notification. Once the client has gone (pipe closed) sending throws, or
 * rejects and the library's own error log throws again on the closed connection; from a timer
 * either would crash the server with a stack trace instead of letting it exit on end of input.
 */
function sendQuietly(send: () => Promise<void>): void {
  try {
    send().catch(() => undefined);
  } catch {
    // The connection is closed: nobody is listening.
  }
}

export function startServer(connection: Connection): void {
  const documents = new DocumentStore();
  let settings: ServerSettings = DEFAULT_SERVER_SETTINGS;
  const workspace = new Workspace(engineSettings(settings));
  let canPullConfiguration = false;
  let folders: string[] = [];
  let trusted = true;
  let http: TrustParams['http'] = {};
  const jwks = new JwksService((uri) => publish(uri));
  const jwt = new JwtService({
    workspace,
    defaultNamespace: () => settings.defaultNamespace,
    rootNamespace: () => settings.rootNamespace,
    offline: () => settings.offline,
    jwksOptions: () => jwks.options(false),
    now: () => Date.now(),
  });
  /** Version of each open document last given to the engine. */
  const analyzedVersion = new Map<string, number>();

  // Validation runs as soon as the event loop is free: no fixed delay, and a burst of
  // changes to one document collapses into one validation of its latest version.
  const pending = new Set<string>();
  let flushScheduled = false;
  const schedule = (uri: string): void => {
    pending.add(uri);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  };
  const flush = (): void => {
    flushScheduled = false;
    const indexVersion = workspace.resources.version;
    for (const uri of [...pending]) {
      pending.delete(uri);
      validate(uri);
    }
    // Resources changed: cross-resource findings were published from the last run of the
    // cross rules; re-run them once typing pauses and republish.
    if (workspace.resources.version !== indexVersion) scheduleCrossRefresh();
  };

  /** Cross-resource rules read the whole workspace: run them off the keystroke path. */
  let crossTimer: NodeJS.Timeout | undefined;
  const CROSS_REFRESH_MS = 75;
  const scheduleCrossRefresh = (): void => {
    clearTimeout(crossTimer);
    crossTimer = setTimeout(() => {
      crossTimer = undefined;
      republishAll();
    }, CROSS_REFRESH_MS);
  };

  /** Re-runs cross-resource rules now and republishes every open document. */
  const republishAll = (): void => {
    workspace.crossFindings();
    for (const d of documents.all()) publish(d.uri);
  };

  /** The document's model, brought up to date with its newest text (cheap when it already is). */
  const freshModel = (uri: string) => {
    const doc = documents.get(uri);
    if (!doc) return workspace.model(uri);
    if (analyzedVersion.get(uri) !== doc.version) {
      workspace.update(uri, doc.getText());
      analyzedVersion.set(uri, doc.version);
    }
    return workspace.model(uri);
  };

  /** A single ranged edit goes to the engine at once (it re-splits only around it). */
  const applyEdit = (uri: string, version: number, edit: Edit): void => {
    if (analyzedVersion.get(uri) !== edit.fromVersion) {
      // The model does not hold the text the edit applies to: the next access re-reads it whole.
      analyzedVersion.delete(uri);
      return;
    }
    try {
      workspace.applyEdit(uri, edit.start, edit.end, edit.newText, edit.text);
      analyzedVersion.set(uri, version);
    } catch (err) {
      analyzedVersion.delete(uri);
      connection.console.error(`incremental update failed for ${uri}: ${String(err)}`);
    }
  };

  /** Documents opened since their last publication: their first diagnostics include fresh cross-resource results. */
  const justOpened = new Set<string>();

  const publish = (uri: string): void => {
    const doc = documents.get(uri);
    const model = workspace.model(uri);
    if (!doc || !model || analyzedVersion.get(uri) !== doc.version) return;
    // Token findings depend on every RequestAuthentication of the workspace: computed here, not per document.
    const reach = [...jwks.findings(model), ...jwt.findings(model, doc.getText())];
    const own = workspace.findings(uri, { allowStaleCross: !justOpened.delete(uri) });
    const findings = reach.length ? [...own, ...reach].sort(compareFindings) : own;
    sendQuietly(() => connection.sendDiagnostics({ uri, version: doc.version, diagnostics: findings.map((f) => toDiagnostic(f, uri)) }));
    const status: StatusParams = {
      uri,
      version: doc.version,
      istioDocuments: model.documents.filter((d) => d.analysis.resource).length,
      documents: model.documents.filter((d) => d.segment.text.trim() !== '').length,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      update: model.lastUpdate.incremental ? 'incremental' : 'full',
      analyzedDocuments: model.lastUpdate.analyzed,
    };
    sendQuietly(() => connection.sendNotification(StatusNotification, status));
  };

  // Opening a large file: its documents are analysed on worker threads first (every core),
  // then the synchronous update only looks them up.
  let pool: AnalysisPool | undefined;
  const prefetching = new Set<string>();
  const prefetchedVersion = new Map<string, number>();
  const prefetchFirst = (uri: string): boolean => {
    const doc = documents.get(uri);
    if (!doc || analyzedVersion.get(uri) === doc.version) return false;
    if (prefetching.has(uri)) return true;
    if (prefetchedVersion.get(uri) === doc.version || doc.getText().length < PARALLEL_MIN_CHARS) return false;
    pool ??= createPool();
    if (!pool) return false;
    prefetching.add(uri);
    const version = doc.version;
    void workspace
      .prefetch([doc.getText()], pool)
      .catch((err: unknown) => connection.console.warn(`parallel analysis failed, analysing in-process: ${String(err)}`))
      .finally(() => {
        prefetching.delete(uri);
        prefetchedVersion.set(uri, version);
        schedule(uri);
      });
    return true;
  };

  const validate = (uri: string): void => {
    if (prefetchFirst(uri)) return;
    try {
      freshModel(uri);
    } catch (err) {
      connection.console.error(`validation failed for ${uri}: ${(err as Error).stack ?? String(err)}`);
      return;
    }
    publish(uri);
    jwks.schedule(uri, () => workspace.model(uri));
  };

  /** Reads closed files of the workspace folders into the index, in the background. */
  let indexing: Promise<void> | undefined;
  const indexFolders = async (): Promise<void> => {
    let filesExclude: Record<string, boolean> = {};
    if (canPullConfiguration) {
      try {
        filesExclude = ((await connection.workspace.getConfiguration('files')) as { exclude?: Record<string, boolean> } | null)?.exclude ?? {};
      } catch {
        /* keep defaults */
      }
    }
    for (const folder of folders) {
      const rules = await loadExcludes(folder, filesExclude);
      const files = await listYamlFiles(folder, rules);
      // Large workspaces show progress (the editor stays usable meanwhile).
      const progress = files.length >= INDEX_PROGRESS_MIN_FILES ? await connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
      progress?.begin('Istio: indexing the workspace', 0, `${files.length} YAML files`, false);
      for (let i = 0; i < files.length; i++) {
        const uri = pathToFileURL(files[i]).toString();
        if (documents.get(uri)) continue;
        const text = await readIfSmall(files[i]);
        if (text !== undefined) workspace.update(uri, text);
        // Yield between files: validation of the open document is never blocked for long.
        if (i % 20 === 19) {
          progress?.report(Math.round((i / files.length) * 100), `${i + 1}/${files.length} files`);
          await new Promise((r) => setImmediate(r));
        }
      }
      progress?.done();
    }
    republishAll();
  };

  const mergeSettings = (raw: Partial<ServerSettings> | null | undefined): ServerSettings => ({
    ...DEFAULT_SERVER_SETTINGS,
    ...(raw ?? {}),
    jwks: { ...DEFAULT_SERVER_SETTINGS.jwks, ...(raw?.jwks ?? {}) },
  });

  const loadSettings = async (): Promise<void> => {
    if (!canPullConfiguration) return;
    try {
      const [raw, httpRaw] = (await connection.workspace.getConfiguration([{ section: SETTINGS_SECTION }, { section: 'http' }])) as [
        Partial<ServerSettings> | null,
        { proxy?: string; proxyStrictSSL?: boolean } | null,
      ];
      // A client with no such settings answers null: keep what initializationOptions gave.
      if (raw && typeof raw === 'object') settings = mergeSettings(raw);
      if (httpRaw && typeof httpRaw === 'object') http = { proxy: httpRaw.proxy, proxyStrictSSL: httpRaw.proxyStrictSSL };
    } catch {
      settings = DEFAULT_SERVER_SETTINGS;
    }
    workspace.reconfigure(engineSettings(settings));
    jwks.configure(settings, http, trusted);
    republishAll();
    for (const d of documents.all()) jwks.schedule(d.uri, () => workspace.model(d.uri));
  };

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    const init = params.initializationOptions as InitializationOptions | undefined;
    trusted = init?.trusted ?? true;
    http = init?.http ?? {};
    if (init?.settings) {
      settings = mergeSettings(init.settings);
      workspace.reconfigure(engineSettings(settings));
    }
    jwks.configure(settings, http, trusted);
    const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    folders = uris.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        documentSymbolProvider: { label: 'Istio' },
        workspaceSymbolProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        codeLensProvider: { resolveProvider: false },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [' ', ':', '-', '[', '/'] },
        inlayHintProvider: true,
      },
      serverInfo: { name: SERVER_NAME, version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    indexing = loadSettings()
      .then(indexFolders)
      .catch((err: unknown) => connection.console.error(`workspace indexing failed: ${String(err)}`));
  });
  connection.onDidChangeConfiguration(() => {
    void loadSettings();
  });

  connection.onDidChangeWatchedFiles(async (params) => {
    for (const change of params.changes) {
      if (documents.get(change.uri) || !change.uri.startsWith('file:')) continue; // open documents are authoritative
      if (change.type === FileChangeType.Deleted) workspace.remove(change.uri);
      else {
        const text = await readIfSmall(fileURLToPath(change.uri));
        if (text === undefined) workspace.remove(change.uri);
        else workspace.update(change.uri, text);
      }
    }
    republishAll();
  });

  const onClosed = async (uri: string): Promise<void> => {
    jwks.cancel(uri);
    pending.delete(uri);
    analyzedVersion.delete(uri);
    sendQuietly(() => connection.sendDiagnostics({ uri, diagnostics: [] }));
    // The file on disk (if any, inside the workspace) becomes the truth again.
    const path = uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
    const inFolder = path !== undefined && folders.some((f) => path.startsWith(f.endsWith('/') ? f : `${f}/`));
    const text = inFolder ? await readIfSmall(path) : undefined;
    if (text === undefined) workspace.remove(uri);
    else workspace.update(uri, text);
    republishAll();
  };

  connection.onCodeAction((params) => toCodeActions(params.textDocument.uri, params.context.diagnostics));

  connection.onDocumentSymbol((params) => {
    const model = freshModel(params.textDocument.uri);
    if (!model) return [];
    return outline(model).map((item) => ({
      name: `${item.kind} ${item.namespace ? `${item.namespace}/` : ''}${item.name}`,
      detail: item.apiVersion,
      kind: SymbolKind.Class,
      range: item.range,
      selectionRange: item.selectionRange,
    }));
  });

  const toLocation = (l: { file: string; range: Range }) => ({ uri: l.file, range: l.range });

  connection.onDefinition((params) => {
    freshModel(params.textDocument.uri);
    return workspace.navigator.definition(workspace.resources, params.textDocument.uri, params.position).map(toLocation);
  });

  connection.onReferences((params) => {
    freshModel(params.textDocument.uri);
    return workspace.navigator
      .references(workspace.resources, params.textDocument.uri, params.position, params.context.includeDeclaration)
      .map(toLocation);
  });

  connection.onWorkspaceSymbol((params) => {
    const q = params.query.toLowerCase();
    return workspace.resources
      .resources()
      .filter((r) => !q || `${r.resource.kind} ${r.namespace}/${r.resource.name ?? ''}`.toLowerCase().includes(q))
      .slice(0, 1000)
      .map((r) => ({
        name: `${r.namespace}/${r.resource.name ?? '(unnamed)'}`,
        containerName: r.resource.kind,
        kind: SymbolKind.Class,
        location: { uri: r.file, range: r.nameRange },
      }));
  });

  connection.onCodeLens((params) => {
    const model = freshModel(params.textDocument.uri);
    const recheck = model
      ? jwks.lenses(model, settings.defaultNamespace).flatMap(({ range, cluster }) => [
          { range, command: { title: 'Re-check JWKS', command: 'istioSecurity.checkJwks', arguments: [params.textDocument.uri] } },
          ...(cluster ? [{ range, command: { title: 'Check from the cluster (kubectl)', command: CheckJwksFromClusterCommand, arguments: [cluster] } }] : []),
        ])
      : [];
    const refs = workspace.navigator.referenced(workspace.resources, params.textDocument.uri).map(({ resource, name, references }) => {
      const n = references.length;
      const what = resource.resource.kind === 'Gateway' ? 'VirtualService' : 'AuthorizationPolicy rule';
      return {
        range: name.range,
        command: {
          title: `referenced by ${n} ${what}${n === 1 ? '' : 's'}`,
          command: n > 0 ? 'istioSecurity.showReferences' : '',
          arguments: [params.textDocument.uri, name.range.start, references.map(toLocation)],
        },
      };
    });
    return [...refs, ...recheck];
  });

  connection.onHover((params) => {
    const doc = documents.get(params.textDocument.uri);
    const token = doc ? jwt.hover(doc, params.position) : undefined;
    if (token) return { contents: { kind: 'markdown', value: token } };
    const model = freshModel(params.textDocument.uri);
    if (!model) return null;
    const text = jwks.hover(model, params.position) ?? fieldHover(model, params.position);
    return text ? { contents: { kind: 'markdown', value: text } } : null;
  });

  connection.onCompletion((params) => {
    const model = freshModel(params.textDocument.uri);
    return model ? completionItems(model, params.position, workspace.resources, settings.defaultNamespace) : [];
  });

  connection.onNotification(TrustNotification, (p: TrustParams) => {
    trusted = p.trusted;
    if (p.http) http = p.http;
    jwks.configure(settings, http, trusted);
    for (const d of documents.all()) jwks.schedule(d.uri, () => workspace.model(d.uri));
  });

  connection.onRequest(CheckJwksRequest, async (params: CheckJwksParams, token): Promise<CheckJwksResult> => {
    const uris = params.uri ? [params.uri] : workspace.files();
    const models = uris.flatMap((u) => {
      const m = freshModel(u);
      return m ? [[u, m] as [string, typeof m]] : [];
    });
    const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('Checking JWKS endpoints', 0, undefined, true);
    try {
      const r = await jwks.checkNow(models, params.force ?? true, () => token.isCancellationRequested || progress?.token?.isCancellationRequested === true, (done, total) =>
        progress?.report(Math.round((done / Math.max(1, total)) * 100), `${done}/${total} files`),
      );
      return { ...r, offline: jwks.offline };
    } finally {
      progress?.done();
    }
  });

  connection.languages.inlayHint.on((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    return jwt.inlayHints(doc, freshModel(doc.uri), params.range).map((h) => ({ position: h.position, label: h.label, tooltip: h.tooltip, paddingLeft: true }));
  });
  connection.onRequest(JwtAtRequest, (p: JwtAtParams) => {
    const doc = documents.get(p.uri);
    return { token: (doc && jwt.tokenAt(doc, p.position)) ?? null };
  });
  connection.onRequest(DecodeJwtRequest, (p: DecodeJwtParams) => jwt.decode(p.token));
  connection.onRequest(KubectlProxyArgsRequest, (p: KubectlProxyArgsParams): KubectlProxyArgsResult => ({ args: kubectlProxyArgs(p.url, { context: p.context, namespace: p.namespace }) }));
  connection.onRequest(AnalyzeKeySetRequest, (p: AnalyzeKeySetParams): Promise<KeySetReport> => keySetReport(String(p.text ?? '')));
  connection.onRequest(VerifyJwtRequest, (p: VerifyJwtParams) => jwt.verify(p));
  connection.onRequest(SimulationTargetsRequest, () => ({ targets: jwt.targets() }));
  connection.onRequest(SimulateRequest, (p: SimulateParams) => jwt.simulate(p));

  connection.onRequest(ConvertRemovedApisRequest, (params: ConvertRemovedApisParams): ConvertRemovedApisResult => {
    const doc = documents.get(params.uri);
    if (!doc) return { edit: null, version: null, notes: [] };
    const text = doc.getText();
    const result = migrateText(text, { defaultNamespace: settings.defaultNamespace, rootNamespace: settings.rootNamespace });
    return {
      edit: minimalEdit(text, result.text) ?? null,
      version: doc.version,
      notes: result.notes.map((n) => ({ severity: n.severity, code: n.code, message: n.message, line: n.range.start.line })),
    };
  });

  // For tests and tools: resolves when the initial workspace index is built.
  connection.onRequest('istio/indexReady', async () => {
    await indexing;
    return { resources: workspace.resources.size };
  });

  documents.listen(connection, {
    opened: (doc) => {
      justOpened.add(doc.uri);
      schedule(doc.uri);
    },
    changed: (doc, edit) => {
      if (edit) applyEdit(doc.uri, doc.version, edit);
      schedule(doc.uri);
    },
    closed: (uri) => void onClosed(uri),
  });
  connection.listen();
}
