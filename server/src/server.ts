import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  FileChangeType,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from '../../engine/src/diagnostics';
import { outline } from '../../engine/src/outline';
import type { EngineSettings } from '../../engine/src/rules/rule';
import { Workspace } from '../../engine/src/workspace/workspace';
import { toCodeActions, toDiagnostic } from './convert';
import { DEFAULT_SERVER_SETTINGS, SETTINGS_SECTION, StatusNotification, type ServerSettings, type StatusParams } from './protocol';
import { listYamlFiles, loadExcludes, readIfSmall } from './workspaceFiles';

export const SERVER_NAME = 'istio-security-language-server';

function engineSettings(s: ServerSettings): EngineSettings {
  return { defaultNamespace: s.defaultNamespace, rootNamespace: s.rootNamespace };
}

/**
 * Adapts the engine to LSP. Every handler is thin: it asks the engine's Workspace (open
 * documents over the files of the workspace folders) and converts engine types to LSP types.
 */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let settings: ServerSettings = DEFAULT_SERVER_SETTINGS;
  const workspace = new Workspace(engineSettings(settings));
  let canPullConfiguration = false;
  let folders: string[] = [];
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
    // Another file's resources changed: cross-resource findings of open documents may too.
    if (workspace.resources.version !== indexVersion) {
      for (const d of documents.all()) publish(d.uri);
    }
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

  const publish = (uri: string): void => {
    const doc = documents.get(uri);
    const model = workspace.model(uri);
    if (!doc || !model || analyzedVersion.get(uri) !== doc.version) return;
    const findings = workspace.findings(uri);
    connection.sendDiagnostics({ uri, version: doc.version, diagnostics: findings.map((f) => toDiagnostic(f, uri)) });
    const status: StatusParams = {
      uri,
      version: doc.version,
      istioDocuments: model.documents.filter((d) => d.analysis.resource).length,
      documents: model.documents.filter((d) => d.segment.text.trim() !== '').length,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
    };
    void connection.sendNotification(StatusNotification, status);
  };

  const validate = (uri: string): void => {
    try {
      freshModel(uri);
    } catch (err) {
      connection.console.error(`validation failed for ${uri}: ${(err as Error).stack ?? String(err)}`);
      return;
    }
    publish(uri);
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
      for (let i = 0; i < files.length; i++) {
        const uri = pathToFileURL(files[i]).toString();
        if (documents.get(uri)) continue;
        const text = await readIfSmall(files[i]);
        if (text !== undefined) workspace.update(uri, text);
        // Yield between files: validation of the open document is never blocked for long.
        if (i % 20 === 19) await new Promise((r) => setImmediate(r));
      }
    }
    for (const d of documents.all()) publish(d.uri);
  };

  const loadSettings = async (): Promise<void> => {
    if (!canPullConfiguration) return;
    try {
      const raw = (await connection.workspace.getConfiguration(SETTINGS_SECTION)) as Partial<ServerSettings> | null;
      settings = { ...DEFAULT_SERVER_SETTINGS, ...(raw ?? {}) };
    } catch {
      settings = DEFAULT_SERVER_SETTINGS;
    }
    workspace.reconfigure(engineSettings(settings));
    for (const d of documents.all()) publish(d.uri);
  };

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    const init = params.initializationOptions as { settings?: Partial<ServerSettings> } | undefined;
    if (init?.settings) {
      settings = { ...DEFAULT_SERVER_SETTINGS, ...init.settings };
      workspace.reconfigure(engineSettings(settings));
    }
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
    for (const d of documents.all()) publish(d.uri);
  });

  documents.onDidChangeContent((e) => schedule(e.document.uri));
  documents.onDidClose(async (e) => {
    const uri = e.document.uri;
    pending.delete(uri);
    analyzedVersion.delete(uri);
    connection.sendDiagnostics({ uri, diagnostics: [] });
    // The file on disk (if any, inside the workspace) becomes the truth again.
    const path = uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
    const inFolder = path !== undefined && folders.some((f) => path.startsWith(f.endsWith('/') ? f : `${f}/`));
    const text = inFolder ? await readIfSmall(path) : undefined;
    if (text === undefined) workspace.remove(uri);
    else workspace.update(uri, text);
    for (const d of documents.all()) publish(d.uri);
  });

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
    freshModel(params.textDocument.uri);
    return workspace.navigator.referenced(workspace.resources, params.textDocument.uri).map(({ resource, name, references }) => {
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
  });

  // For tests and tools: resolves when the initial workspace index is built.
  connection.onRequest('istio/indexReady', async () => {
    await indexing;
    return { resources: workspace.resources.size };
  });

  documents.listen(connection);
  connection.listen();
}
