/** Hover, completion, quick fixes, inlay hints and the removed-API conversion. */
import { ConvertRemovedApisRequest, type ConvertRemovedApisParams, type ConvertRemovedApisResult } from '../../../protocol/src/index';
import { toCodeActions, toCompletionItem } from '../lsp';
import type { Session } from '../session';

export function registerAuthoring(session: Session): void {
  const { connection, host, documents } = session;
  connection.onHover((p) => {
    const value = host.hover(p.textDocument.uri, p.position, session.whyJwksNotChecked());
    return value ? { contents: { kind: 'markdown', value } } : null;
  });
  connection.onCompletion((p) => host.completion(p.textDocument.uri, p.position).map(toCompletionItem));
  connection.onCodeAction((p) => toCodeActions(p.textDocument.uri, p.context.diagnostics));
  connection.languages.inlayHint.on((p) =>
    host.inlayHints(p.textDocument.uri, p.range).map((h) => ({ position: h.position, label: h.label, tooltip: h.tooltip, paddingLeft: true })),
  );
  connection.onRequest(ConvertRemovedApisRequest, (p: ConvertRemovedApisParams): ConvertRemovedApisResult => {
    const doc = documents.get(p.uri);
    if (!doc || host.versionOf(p.uri) !== doc.version) return { edit: null, version: null, notes: [] };
    return { ...host.convertRemovedApis(p.uri), version: doc.version };
  });
}
