import {
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
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

  const validate = (uri: string): void => {
    const doc = documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    const model = session.model(uri);
    try {
      model.update(doc.getText());
    } catch (err) {
      connection.console.error(`validation failed for ${uri}: ${(err as Error).stack ?? String(err)}`);
      return;
    }
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
    for (const d of documents.all()) schedule(d.uri);
  };

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    const init = params.initializationOptions as { settings?: Partial<ServerSettings> } | undefined;
    if (init?.settings) {
      settings = { ...DEFAULT_SERVER_SETTINGS, ...init.settings };
      session.reconfigure(engineSettings(settings));
    }
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
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
    connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onCodeAction((params) => toCodeActions(params.textDocument.uri, params.context.diagnostics));

  documents.listen(connection);
  connection.listen();
}
