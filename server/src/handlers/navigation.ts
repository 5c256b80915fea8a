/** Outline, workspace symbols, definition, references and lenses: thin calls into the host. */
import { toCodeLenses, toDocumentSymbol, toLocation, toWorkspaceSymbol } from '../lsp';
import type { Session } from '../session';

export function registerNavigation(session: Session): void {
  const { connection, host } = session;
  connection.onDocumentSymbol((p) => host.documentSymbols(p.textDocument.uri).map(toDocumentSymbol));
  connection.onWorkspaceSymbol((p) => host.workspaceSymbols(p.query).map(toWorkspaceSymbol));
  connection.onDefinition((p) => host.definition(p.textDocument.uri, p.position).map(toLocation));
  connection.onReferences((p) => host.references(p.textDocument.uri, p.position, p.context.includeDeclaration).map(toLocation));
  connection.onCodeLens((p) => host.lenses(p.textDocument.uri).flatMap((lens) => toCodeLenses(p.textDocument.uri, lens)));
}
