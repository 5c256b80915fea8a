import {
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { outline } from '../../engine/src/outline';
import { toCodeActions, toDiagnostic } from './convert';
import { DEFAULT_SERVER_SETTINGS, SETTINGS_SECTION, StatusNotification, type ServerSettings, type StatusParams } from './protocol';
import { Session } from './session';

export const SERVER_NAME = 'istio-security-language-server';

function engineSettings(s: ServerSettings) {
  return { defaultNamespace: s.defaultNamespace, rootNamespace: s.rootNamespace };
}

/**
 * Adapts the engine to LSP. Every handler is thin: it finds the FileModel for the document
 * and converts engine types to LSP types (see convert.ts).
 */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let settings: ServerSettings = DEFAULT_SERVER_SETTINGS;
  const session = new Session(engineSettings(settings));
  let canPullConfiguration = false;

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
    for (const uri of [...pending]) {
      pending.delete(uri);
      validate(uri);
    }
  };

  /** The document's model, brought up to date with its newest text (cheap when it already is). */
  const analyzedVersion = new Map<string, number>();
  const freshModel = (uri: string) => {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const model = session.model(uri);
    if (analyzedVersion.get(uri) !== doc.version) {
      model.update(doc.getText());
      analyzedVersion.set(uri, doc.version);
    }
    return model;
  };

  const validate = (uri: string): void => {
    const doc = documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    let model;
    try {
      model = freshModel(uri);
    } catch (err) {
      connection.console.error(`validation failed for ${uri}: ${(err as Error).stack ?? String(err)}`);
      return;
    }
    if (!model) return;
    if (documents.get(uri)?.version !== version) return; // a newer version is already scheduled
    const findings = model.findings();
    connection.sendDiagnostics({ uri, version, diagnostics: findings.map((f) => toDiagnostic(f, uri)) });
    const status: StatusParams = {
      uri,
      version,
      istioDocuments: model.documents.filter((d) => d.analysis.resource).length,
      documents: model.documents.filter((d) => d.analysis !== undefined && d.segment.text.trim() !== '').length,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
    };
    void connection.sendNotification(StatusNotification, status);
  };

  const loadSettings = async (): Promise<void> => {
    if (!canPullConfiguration) return;
    try {
      const raw = (await connection.workspace.getConfiguration(SETTINGS_SECTION)) as Partial<ServerSettings> | null;
      settings = { ...DEFAULT_SERVER_SETTINGS, ...(raw ?? {}) };
    } catch {
      settings = DEFAULT_SERVER_SETTINGS;
    }
    session.reconfigure(engineSettings(settings));
    analyzedVersion.clear();
    for (const d of documents.all()) schedule(d.uri);
  };

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    const init = params.initializationOptions as { settings?: Partial<ServerSettings> } | undefined;
    if (init?.settings) {
      settings = { ...DEFAULT_SERVER_SETTINGS, ...init.settings };
      session.reconfigure(engineSettings(settings));
      analyzedVersion.clear();
    }
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        documentSymbolProvider: { label: 'Istio' },
      },
      serverInfo: { name: SERVER_NAME, version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    void loadSettings();
  });
  connection.onDidChangeConfiguration(() => {
    void loadSettings();
  });

  documents.onDidChangeContent((e) => schedule(e.document.uri));
  documents.onDidClose((e) => {
    pending.delete(e.document.uri);
    session.close(e.document.uri);
    analyzedVersion.delete(e.document.uri);
    connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
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

  documents.listen(connection);
  connection.listen();
}
