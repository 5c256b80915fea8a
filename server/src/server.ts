import { TextDocumentSyncKind, type Connection, type InitializeResult } from 'vscode-languageserver';
import { registerAuthoring } from './handlers/authoring';
import { registerJwks } from './handlers/jwks';
import { registerJwt } from './handlers/jwt';
import { registerNavigation } from './handlers/navigation';
import { registerRender } from './handlers/render';
import { registerSync } from './handlers/sync';
import { initializeSession, registerWorkspace } from './handlers/workspace';
import { Session } from './session';

export const SERVER_NAME = 'istio-security-language-server';

export const CAPABILITIES: InitializeResult['capabilities'] = {
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
};

/**
 * Adapts the engine's AnalysisHost to LSP: one Session (state and publication policy) and thin
 * handlers per feature area (handlers/*.ts), each converting host answers to LSP types (lsp.ts).
 */
export function startServer(connection: Connection): void {
  const session = new Session(connection);
  connection.onInitialize((params): InitializeResult => {
    initializeSession(session, params);
    return { capabilities: CAPABILITIES, serverInfo: { name: SERVER_NAME, version: '0.1.0' } };
  });
  registerWorkspace(session);
  registerSync(session);
  registerNavigation(session);
  registerAuthoring(session);
  registerJwt(session);
  registerJwks(session);
  registerRender(session);
  connection.listen();
}
