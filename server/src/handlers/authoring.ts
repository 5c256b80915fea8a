/** Hover, completion, quick fixes, inlay hints and the conversions (removed APIs, Gateway API). */
import type { Conversion } from '../../../engine/src/host/index';
import { ConvertRemovedApisRequest, ConvertToGatewayApiRequest, type ConvertRemovedApisParams, type ConvertRemovedApisResult } from '../../../protocol/src/index';
import { toCodeAction, toCodeActions, toCompletionItem } from '../lsp';
import type { Session } from '../session';

export function registerAuthoring(session: Session): void {
  const { connection, host, documents } = session;
  connection.onHover((p) => {
    const value = host.hover(p.textDocument.uri, p.position, session.whyJwksNotChecked());
    return value ? { contents: { kind: 'markdown', value } } : null;
  });
  connection.onCompletion((p) => host.completion(p.textDocument.uri, p.position).map(toCompletionItem));
  connection.onCodeAction((p) => [...toCodeActions(p.textDocument.uri, p.context.diagnostics), ...host.refactorings(p.textDocument.uri, p.range).map((f) => toCodeAction(p.textDocument.uri, f))]);
  connection.languages.inlayHint.on((p) =>
    host.inlayHints(p.textDocument.uri, p.range).map((h) => ({ position: h.position, label: h.label, tooltip: h.tooltip, paddingLeft: true })),
  );
  /** A conversion of the open document's current version (the edit is the client's to apply). */
  const convertOpen =
    (convert: (uri: string) => Conversion) =>
    (p: ConvertRemovedApisParams): ConvertRemovedApisResult => {
      const doc = documents.get(p.uri);
      if (!doc || host.versionOf(p.uri) !== doc.version) return { edit: null, version: null, notes: [] };
      return { ...convert(p.uri), version: doc.version };
    };
  connection.onRequest(ConvertRemovedApisRequest, convertOpen((uri) => host.convertRemovedApis(uri)));
  connection.onRequest(ConvertToGatewayApiRequest, convertOpen((uri) => host.convertToGatewayApi(uri)));
}
